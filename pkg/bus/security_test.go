package bus_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/readout/readout/pkg/bus"
)

// Readout authenticates with SASL PLAIN and SCRAM against a broker that
// requires it, and is refused with a wrong password.
func TestSASL(t *testing.T) {
	for _, mech := range []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"} {
		t.Run(mech, func(t *testing.T) {
			c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser(mech, "readout", "s3cret"), kfake.AllowAutoTopicCreation())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// kfake has no TLS with SASL here: PLAIN is allowed in clear
			// text explicitly.
			good := bus.Config{Brokers: c.ListenAddrs(), SASLMechanism: mech, Username: "readout", Password: "s3cret", InsecurePlain: mech == "PLAIN"}
			topics := bus.PrefixedTopics("sasl.")
			if err := bus.EnsureTopics(ctx, good, topics.Specs(1)); err != nil {
				t.Fatalf("create topics with %s: %v", mech, err)
			}
			p, err := bus.NewProducer(good, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := p.Write(ctx, bus.Message{Topic: topics.Raw, Key: []byte("k"), Value: []byte("v")}); err != nil {
				t.Fatalf("write with %s: %v", mech, err)
			}
			n, err := bus.ReadAll(ctx, good, topics.Raw, func(bus.Record) error { return nil })
			if err != nil || n != 1 {
				t.Fatalf("read back %d: %v", n, err)
			}
			bad := good
			bad.Password = "wrong"
			bctx, bcancel := context.WithTimeout(ctx, 5*time.Second)
			defer bcancel()
			if err := bus.EnsureTopics(bctx, bad, topics.Specs(1)); err == nil {
				t.Fatalf("%s with a wrong password was accepted", mech)
			}
		})
	}
}

// Readout connects over TLS, trusting the CA given in the CA file.
func TestTLS(t *testing.T) {
	certPEM, keyPEM := selfSigned(t)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := bus.Config{Brokers: c.ListenAddrs(), TLS: true, CAFile: ca}
	topics := bus.PrefixedTopics("tls.")
	if err := bus.EnsureTopics(ctx, cfg, topics.Specs(1)); err != nil {
		t.Fatalf("TLS: %v", err)
	}
	p, err := bus.NewProducer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Write(ctx, bus.Message{Topic: topics.Raw, Key: []byte("k"), Value: []byte("v")}); err != nil {
		t.Fatalf("TLS write: %v", err)
	}
	// Without the CA the broker's certificate is not trusted.
	untrusted := bus.Config{Brokers: c.ListenAddrs(), TLS: true}
	bctx, bcancel := context.WithTimeout(ctx, 5*time.Second)
	defer bcancel()
	if err := bus.EnsureTopics(bctx, untrusted, topics.Specs(1)); err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
}

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}
