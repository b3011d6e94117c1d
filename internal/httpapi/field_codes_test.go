package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestEveryFieldErrorCodeHasASPAMessage reads the codes the Go code can
// produce and the SPA's code table: a new code without a message in the
// person's language fails here.
func TestEveryFieldErrorCodeHasASPAMessage(t *testing.T) {
	t.Parallel()
	codes := producedCodes(t)
	if len(codes) < 20 {
		t.Fatalf("found only %d codes; the scan is broken: %v", len(codes), codes)
	}
	for _, want := range []string{"required", "max", "length", "range", "phone", "time_gap", "type", "oneof", "min", "uuid", "unknown_field", "characters", "encoding", "visible_letter"} {
		if !codes[want] {
			t.Errorf("scan missed code %q", want)
		}
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "lib", "errors.ts"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)const fieldCodes[^{]*\{(.*?)\n\};`).FindSubmatch(src)
	if block == nil {
		t.Fatal("no fieldCodes table in frontend/src/lib/errors.ts")
	}
	mapped := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*'?(\w+)'?\s*:`).FindAllSubmatch(block[1], -1) {
		mapped[string(m[1])] = true
	}
	var missing []string
	for c := range codes {
		if !mapped[c] {
			missing = append(missing, c)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("codes without a SPA mapping in fieldCodes (frontend/src/lib/errors.ts): %v", missing)
	}
}

// producedCodes scans internal/service, internal/httpapi and internal/apperr
// for field error codes: the second argument of Add, AddP, Validation and
// ValidationP, the apperr.Code constants, OneOf, and the validator tags.
func producedCodes(t *testing.T) map[string]bool {
	t.Helper()
	consts := map[string]string{}
	codes := map[string]bool{"oneof": true}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, dir := range []string{"../apperr", "../service", "../textpolicy", "."} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, id := range vs.Names {
					if strings.HasPrefix(id.Name, "Code") && i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
							consts[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
			return true
		})
	}
	for _, v := range consts {
		codes[v] = true
	}
	tagRe := regexp.MustCompile(`validate:"([^"]*)"`)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING && strings.Contains(n.Value, "validate:") {
					for _, m := range tagRe.FindAllStringSubmatch(n.Value, -1) {
						for _, rule := range strings.Split(m[1], ",") {
							tag, _, _ := strings.Cut(rule, "=")
							if tag != "omitempty" && tag != "" {
								codes[tag] = true
							}
						}
					}
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if (name == "Add" || name == "AddP" || name == "Validation" || name == "ValidationP" || name == "add") && len(n.Args) >= 3 {
					switch a := n.Args[1].(type) {
					case *ast.BasicLit:
						if c, err := strconv.Unquote(a.Value); err == nil {
							codes[c] = true
						}
					case *ast.SelectorExpr:
						if c, ok := consts[a.Sel.Name]; ok {
							codes[c] = true
						}
					}
				}
			}
			return true
		})
	}
	delete(codes, "")
	return codes
}
