package processor

import (
	"encoding/binary"
	"encoding/hex"
)

// packHashes packs content hashes into one string, newest first: a
// hex SHA-256 (what normalize.ContentHash gives) as a 0 byte and its 32
// bytes, anything else as a 1 byte, its length (uvarint) and itself. It is
// how an evicted statement keeps its recent hashes in a fifth of the room.
func packHashes(hashes []string) string {
	b := make([]byte, 0, 33*len(hashes))
	for _, h := range hashes {
		if raw, ok := hexHash(h); ok {
			b = append(append(b, 0), raw[:]...)
			continue
		}
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(h)))
		b = append(b, h...)
	}
	return string(b)
}

// hexHash decodes a lower-case hex SHA-256.
func hexHash(h string) (raw [32]byte, ok bool) {
	if len(h) != 64 {
		return raw, false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return raw, false
		}
	}
	_, err := hex.Decode(raw[:], []byte(h))
	return raw, err == nil
}

// eachPacked calls fn with each hash of packed, in order, until fn says stop.
func eachPacked(packed string, fn func(raw bool, h string) (stop bool)) {
	for len(packed) > 0 {
		if packed[0] == 0 {
			if fn(true, packed[1:33]) {
				return
			}
			packed = packed[33:]
			continue
		}
		n, k := binary.Uvarint([]byte(packed[1:min(len(packed), 11)]))
		h := packed[1+k : 1+k+int(n)]
		if fn(false, h) {
			return
		}
		packed = packed[1+k+int(n):]
	}
}

// packedHas reports whether packed holds hash h.
func packedHas(packed, h string) bool {
	raw, isHex := hexHash(h)
	found := false
	eachPacked(packed, func(isRaw bool, p string) bool {
		if isRaw && isHex {
			found = p == string(raw[:])
		} else if !isRaw && !isHex {
			found = p == h
		}
		return found
	})
	return found
}

// unpackHashes is the inverse of packHashes.
func unpackHashes(packed string) []string {
	var out []string
	eachPacked(packed, func(raw bool, h string) bool {
		if raw {
			h = hex.EncodeToString([]byte(h))
		}
		out = append(out, h)
		return false
	})
	return out
}
