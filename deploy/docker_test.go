package deploy

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	for _, want := range []string{
		"CGO_ENABLED=0", "./cmd/crawler", "./cmd/processor",
		"AS crawler", "AS processor", "distroless/static", "USER 65532:65532", `CMD ["run"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^USER\s+(root|0)\b`).MatchString(df) {
		t.Error("Dockerfile switches to root")
	}
	if _, err := os.Stat("../.dockerignore"); err != nil {
		t.Error(err)
	}
	for _, f := range []string{"../cmd/crawler", "../cmd/processor"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("build target: %v", err)
		}
	}
}

// linkVar matches the -X import/path.Name=value flags of go build.
var linkVar = regexp.MustCompile(`-X\s+([\w./-]+)\.(\w+)=`)

// Every -X of the Dockerfile names a package-level string variable that
// exists: the linker silently ignores one that does not.
func TestDockerfileVersionTarget(t *testing.T) {
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	found := linkVar.FindAllStringSubmatch(string(raw), -1)
	if len(found) < 2 {
		t.Fatalf("the Dockerfile sets %d link-time variables, want the version of both binaries", len(found))
	}
	const module = "github.com/readout/readout/"
	for _, m := range found {
		pkg, name := m[1], m[2]
		rel, ok := strings.CutPrefix(pkg, module)
		if !ok {
			t.Errorf("-X %s.%s: not a package of this module (main.X needs the main package's own variable)", pkg, name)
			continue
		}
		if !hasStringVar(t, filepath.Join("..", rel), name) {
			t.Errorf("-X %s.%s: no package-level string variable %s in %s", pkg, name, name, rel)
		}
	}
}

func hasStringVar(t *testing.T, dir, name string) bool {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if n.Name != name {
							continue
						}
						if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" {
							return true
						}
						if vs.Type == nil && len(vs.Values) > 0 {
							if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}
