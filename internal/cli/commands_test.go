package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// notYetThroughCLI are flags of commands owned elsewhere that still bypass
// this package (and so have no environment twin); remove entries as they move.
var notYetThroughCLI = map[string][]string{}

// commands are the operated commands (services and their one-shot modes);
// cmd/eval and cmd/benchpipe are developer tools run from make targets.
var commands = []string{"cmd/crawler/main.go", "cmd/processor/main.go", "cmd/readout/main.go"}

// Every flag of every command is defined through this package, so each has
// its environment twin: the commands' sources must not call the flag
// package's own definers (fs.String, flag.Bool, ...).
func TestCommandsDefineFlagsThroughCLI(t *testing.T) {
	var files []string
	for _, c := range commands {
		files = append(files, filepath.Join("../..", c))
	}
	definers := map[string]bool{"String": true, "Bool": true, "Int": true, "Int64": true, "Uint": true, "Uint64": true,
		"Float64": true, "Duration": true, "Func": true, "BoolFunc": true, "TextVar": true, "Var": true,
		"StringVar": true, "BoolVar": true, "IntVar": true, "Int64Var": true, "UintVar": true, "Uint64Var": true,
		"Float64Var": true, "DurationVar": true}
	checked := 0
	for _, f := range files {
		rel, _ := filepath.Rel("../..", f)
		rel = filepath.ToSlash(rel)
		allowed := map[string]bool{}
		for _, name := range notYetThroughCLI[rel] {
			allowed[name] = true
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The flag sets: the flag package itself and every variable assigned flag.NewFlagSet(...).
		flagSets := map[string]bool{"flag": true}
		ast.Inspect(file, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, rhs := range as.Rhs {
				if call, ok := rhs.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewFlagSet" {
						if id, ok := as.Lhs[i].(*ast.Ident); ok {
							flagSets[id.Name] = true
						}
					}
				}
			}
			return true
		})
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !definers[sel.Sel.Name] || len(call.Args) < 2 {
				return true
			}
			recv, ok := sel.X.(*ast.Ident)
			if ok && recv.Name == "cli" {
				checked++
				return true
			}
			if !ok || !flagSets[recv.Name] {
				return true
			}
			// fs.String("name", ...) or flag.String("name", ...): the first argument is the name.
			var lit *ast.BasicLit
			for _, a := range call.Args[:2] {
				if l, ok := a.(*ast.BasicLit); ok && l.Kind == token.STRING {
					lit = l
					break
				}
			}
			if lit == nil {
				return true
			}
			name, _ := strconv.Unquote(lit.Value)
			if allowed[name] {
				return true
			}
			t.Errorf("%s: flag --%s is defined with %s.%s, so it has no environment twin %s; use cli.%s",
				fset.Position(call.Pos()), name, recv.Name, sel.Sel.Name, EnvName(name), sel.Sel.Name)
			return true
		})
	}
	if checked < 10 {
		t.Errorf("only %d cli.* flag definitions found: is the check looking at the commands?", checked)
	}
}

// Every listener of every command defaults to loopback: what is reachable
// from elsewhere (containers: 0.0.0.0) is set explicitly by flag or
// environment. A listener is a flag named *-addr defined with a literal
// default, or the public listener's default passed to AddPublicFlags.
func TestCommandListenersDefaultToLoopback(t *testing.T) {
	found := 0
	for _, c := range commands {
		path := filepath.Join("../..", c)
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if recv, ok := sel.X.(*ast.Ident); !ok || recv.Name != "cli" {
				return true
			}
			var def ast.Expr
			switch {
			case sel.Sel.Name == "String" && len(call.Args) >= 3:
				if name, ok := call.Args[1].(*ast.BasicLit); ok && strings.HasSuffix(name.Value, `-addr"`) {
					def = call.Args[2]
				}
			case sel.Sel.Name == "AddPublicFlags" && len(call.Args) == 2:
				def = call.Args[1]
			}
			if def == nil {
				return true
			}
			found++
			lit, ok := def.(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: a listener's default is not a literal", fset.Position(call.Pos()))
				return true
			}
			addr, _ := strconv.Unquote(lit.Value)
			host, _, err := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); err != nil || ((ip == nil || !ip.IsLoopback()) && host != "localhost") {
				t.Errorf("%s: listener default %q is not a loopback address", fset.Position(call.Pos()), addr)
			}
			return true
		})
	}
	if found < 5 {
		t.Errorf("only %d listener flags found: is the check looking at the commands?", found)
	}
}
