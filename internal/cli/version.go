package cli

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
)

// Version is the build's version, set at link time (make build and make run
// set it to `git describe`):
//
//	go build -ldflags "-X github.com/readout/readout/internal/cli.Version=v1.2.0" ./cmd/...
//
// Read it through BuildVersion, which falls back to the module version.
var Version string

// BuildVersion is Version, else the main module's version from the build
// information (a `go install ...@v1.2.0` build), else "dev".
func BuildVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// addVersionFlag gives fs a --version flag that prints BuildVersion to
// standard output and exits 0, once per flag set.
func addVersionFlag(fs *flag.FlagSet) {
	if fs.Lookup("version") != nil {
		return
	}
	fs.BoolFunc("version", "print the version and exit", func(string) error {
		fmt.Fprintln(os.Stdout, BuildVersion())
		os.Exit(0)
		return nil
	})
}
