package processor

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
)

// checkDecode fails t unless decodeRawItem gives what json.Unmarshal gives
// on data: the same item (nil and empty slices told apart) and the same error.
func checkDecode(t *testing.T, data []byte) {
	t.Helper()
	var want, got model.RawItem
	werr := json.Unmarshal(data, &want)
	gerr := decodeRawItem(data, &got)
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("%q: error %v, want %v", data, gerr, werr)
	}
	if werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", data, got, want)
	}
}

// fullRawItem has every field of model.RawItem set, found by reflection, so
// that a field the fast path does not know fails the test.
func fullRawItem(t *testing.T) model.RawItem {
	var it model.RawItem
	v := reflect.ValueOf(&it).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String:
			f.SetString("value of " + v.Type().Field(i).Name + " \"quoted\" <&> é\n")
		case f.Type() == reflect.TypeOf([]string(nil)):
			f.Set(reflect.ValueOf([]string{v.Type().Field(i).Name, "", "два"}))
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2025, 3, 7, 13, 20, 0, 123, time.UTC)))
		default:
			t.Fatalf("field %s of type %s: teach decodeRawItem and this test", v.Type().Field(i).Name, f.Type())
		}
	}
	return it
}

func TestDecodeRawItem(t *testing.T) {
	full := fullRawItem(t)
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var got model.RawItem
	if err := decodeRawItem(b, &got); err != nil || !reflect.DeepEqual(got, full) {
		t.Fatalf("got %#v, %v; want %#v", got, err, full)
	}
	d := rawDecoder{data: b}
	if !d.item(new(model.RawItem)) {
		t.Fatal("an item with every field set is left to encoding/json: a field of model.RawItem rawDecoder.item does not know")
	}
	for _, s := range rawSeeds {
		checkDecode(t, []byte(s))
	}
	f, err := os.Open("../../testdata/eval/raw.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		checkDecode(t, sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// rawSeeds are messages at the edges of the fast path and beyond it.
var rawSeeds = []string{
	`{"source":"s","url":"u","title":"t","body":"b","tags":["a","b"],"fetched_at":"2025-01-02T03:04:05Z"}`,
	" \t\r\n{ \"source\" : \"s\" , \"tags\" : [ ] , \"persons\" : [ \"x\" ] } \n",
	`{}`, `{ }`, ``, ` `, `[]`, `null`, `{"source":"s"} x`, `{"source":"s",}`, `{"source":"s"`, `{"source"}`,
	`{"body":"line\none\\\"\/\b\f\r\t\u00e9\u0026\u2028 \ud83d\ude00 \ud83d \ude00 \ud83d\u0041 \uDBFF\uDFFF \u0000"}`,
	`{"body":"bad \x escape"}`, `{"body":"\u12"}`, `{"body":"\u12G4"}`, "{\"body\":\"ctl \x01\"}", `{"body":"tab	inside"}`,
	"{\"body\":\"invalid \xff utf-8\"}", "{\"body\":\"cut \xe2\x82\"}",
	`{"Source":"case-insensitive name"}`, `{"sour\u0063e":"escaped name"}`, `{"unknown":"x","source":"s"}`,
	`{"source":"a","source":"b"}`, `{"tags":["a"],"tags":[]}`, `{"tags":null}`, `{"source":null}`, `{"tags":[null,"a"]}`,
	`{"source":1}`, `{"tags":"a"}`, `{"tags":[1]}`, `{"tags":["a",]}`, `{"tags":["a" "b"]}`,
	`{"fetched_at":"2025-01-02T03:04:05.123456789+03:00"}`, `{"fetched_at":"yesterday"}`, `{"fetched_at":null}`,
	`{"fetched_at":"2025-01-02T03:04:05\u005a"}`, `{"fetched_at":""}`, `{"fetched_at":1}`,
}

func FuzzDecodeRawItem(f *testing.F) {
	for _, s := range rawSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
	})
}

// needsLook finds '"', '\\' and control characters among any other bytes.
func TestNeedsLook(t *testing.T) {
	for _, fill := range []byte{'a', ' ', 0x7f, 0x80, 0xd0, 0xff, '"' + 1, '\\' - 1, 0x21} {
		for pos := range 8 {
			for c := range 256 {
				var b [8]byte
				for k := range b {
					b[k] = fill
				}
				b[pos] = byte(c)
				want := false
				for _, x := range b {
					want = want || x < ' ' || x == '"' || x == '\\'
				}
				if got := needsLook(binary.LittleEndian.Uint64(b[:])); got != want {
					t.Fatalf("needsLook(%q) = %v", b, got)
				}
			}
		}
	}
}
