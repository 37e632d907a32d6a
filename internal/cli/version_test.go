package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeDryRun prints the commands `make targets` would run in dir with the
// repository's Makefile.
func makeDryRun(t *testing.T, dir string, targets ...string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	mf, err := filepath.Abs("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", append([]string{"-n", "-f", mf}, targets...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %s: %v\n%s", strings.Join(targets, " "), err, out)
	}
	return string(out)
}

// make build stamps the version git describe gives, "dev" without git; make
// run builds the binary and runs it, so that Ctrl-C gives its exit status,
// not go run's.
func TestMakefileStampsTheVersion(t *testing.T) {
	const stamp = "-X github.com/readout/readout/internal/cli.Version="
	out := makeDryRun(t, "../..", "build", "run")
	describe, err := exec.Command("git", "describe", "--tags", "--always", "--dirty").Output()
	if err != nil {
		t.Skipf("git describe: %v", err)
	}
	if want := stamp + strings.TrimSpace(string(describe)); strings.Count(out, want) != 2 {
		t.Errorf("make build run: want both builds to stamp %q:\n%s", want, out)
	}
	if strings.Contains(out, "go run") || !strings.Contains(out, "\nbin/readout run\n") {
		t.Errorf("make run: want bin/readout run, not go run:\n%s", out)
	}
	noGit := t.TempDir()
	if err := os.WriteFile(filepath.Join(noGit, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := makeDryRun(t, noGit, "build"); !strings.Contains(out, stamp+"dev ") && !strings.Contains(out, stamp+"dev\"") {
		t.Errorf("make build outside git: want %sdev:\n%s", stamp, out)
	}
}
