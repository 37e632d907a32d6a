package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestMain runs this test binary as the processor command when
// PROCESSOR_TEST_MAIN is set, so that tests can run it as a process.
func TestMain(m *testing.M) {
	if os.Getenv("PROCESSOR_TEST_MAIN") != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func processorCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PROCESSOR_TEST_MAIN=1")
	return cmd
}

// --help lists both commands, on standard output, with exit status 0.
func TestHelpListsCommands(t *testing.T) {
	for _, arg := range []string{"--help", "help", "-h"} {
		out, err := processorCmd(arg).Output()
		if err != nil || !strings.Contains(string(out), "  run ") || !strings.Contains(string(out), "  replay ") {
			t.Errorf("processor %s: %v\n%s", arg, err, out)
		}
	}
	var b bytes.Buffer
	fs := newFlagSet("replay")
	fs.SetOutput(&b)
	fs.Usage()
	if !strings.Contains(b.String(), "usage: processor replay [flags]") || !strings.Contains(b.String(), "  run ") {
		t.Errorf("processor replay --help:\n%s", b.String())
	}
}

// SIGTERM while the processor waits for Kafka is a clean stop: exit 0.
func TestSIGTERMWhileWaitingForKafkaExitsZero(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there
	cmd := processorCmd("run", "--kafka-brokers", closed, "--http-addr", "127.0.0.1:0", "--public-addr", "")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck
	var stderr strings.Builder
	sc := bufio.NewScanner(pipe)
	for sc.Scan() && !strings.Contains(sc.Text(), "kafka not ready") {
		stderr.WriteString(sc.Text() + "\n")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v, want status 0:\n%s", err, stderr.String())
	}
}
