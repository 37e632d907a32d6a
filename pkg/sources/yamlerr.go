package sources

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The forms of the YAML decoder's errors that decodeError explains.
var (
	syntaxErrRE   = regexp.MustCompile(`^yaml: line (\d+): (.+)$`)
	durationErrRE = regexp.MustCompile("^line (\\d+): cannot unmarshal !!\\w+ `(.*)` into time.Duration$")
	unknownKeyRE  = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)
)

// decodeError turns an error of the YAML decoder on data into one that says
// what is wrong, on which line, and how to fix it.
func decodeError(data []byte, err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the file is empty: it needs a sources: list (configs/sources.yaml shows one)")
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			msgs[i] = explainField(data, e)
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	m := syntaxErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[1])
	return fmt.Errorf("line %d: %s%s", syntaxLine(data, line, m[2]), m[2], syntaxHint(m[2]))
}

// syntaxLine is the line where the syntax error problem starts: the first
// line from reported on (the decoder names the start of the enclosing
// block, often lines above the mistake) whose addition to the lines before
// it makes them fail with that problem.
func syntaxLine(data []byte, reported int, problem string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := max(reported, 1); n <= len(lines); n++ {
		var v yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &v)
		if err != nil && strings.HasSuffix(err.Error(), ": "+problem) {
			return n
		}
	}
	return reported
}

// syntaxHint says how to fix the usual causes of a syntax problem.
func syntaxHint(problem string) string {
	switch {
	case strings.Contains(problem, "tab character"), strings.Contains(problem, "cannot start any token"):
		return ": indent with spaces, not tabs"
	case strings.Contains(problem, "did not find expected"):
		return ": check this line's indentation: the keys of a source line up under its first key, and each source starts with '- '"
	case strings.Contains(problem, "mapping values are not allowed"):
		return ": check this line's indentation, or quote a value that contains ': '"
	case strings.Contains(problem, "could not find expected ':'"):
		return ": a key needs ': ' after it"
	}
	return ""
}

// explainField explains one error of the decoder's *yaml.TypeError.
func explainField(data []byte, e string) string {
	if m := durationErrRE.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		key := keyOnLine(data, line)
		if key == "" {
			key = "value"
		}
		if _, err := strconv.ParseFloat(m[2], 64); err == nil {
			return fmt.Sprintf("line %d: %s %s has no unit: write %ss (a duration: 30s, 5m, 1h)", line, key, m[2], m[2])
		}
		return fmt.Sprintf("line %d: %s %q is not a duration: write one such as 30s, 5m or 1h", line, key, m[2])
	}
	if m := unknownKeyRE.FindStringSubmatch(e); m != nil {
		return fmt.Sprintf("line %s: unknown key %s: check its spelling and indentation (configs/sources.yaml documents every key)", m[1], m[2])
	}
	return e
}

// keyOnLine is the key that line n (from 1) of data sets, "" when none.
func keyOnLine(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	l := strings.TrimLeft(strings.TrimSpace(lines[n-1]), "- ")
	if k, _, ok := strings.Cut(l, ":"); ok && !strings.ContainsAny(k, "{[ ") {
		return k
	}
	return ""
}
