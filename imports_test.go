package igny8_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/igny8/igny8-go"

// domains never import each other, httpapi or the root: each declares the
// small interface it needs and the root wires the implementation.
var domains = []string{"planner", "writer", "publisher", "system", "automation", "linker", "optimizer"}

// allowedImports is the plan of docs/architecture.md: for each package
// (by path relative to the module), the module packages it may import
// directly. "internal/" entries are prefixes.
func allowedImports(pkg string) (allowed []string, known bool) {
	base := []string{"internal/"}
	switch {
	case pkg == "errs":
		return nil, true
	case strings.HasPrefix(pkg, "internal/"):
		return []string{"errs", "internal/"}, true
	case pkg == "store":
		return append(base, "errs"), true
	case pkg == "tenancy":
		return append(base, "errs", "store"), true
	case pkg == "jobs":
		return append(base, "errs", "tenancy", "store"), true
	case pkg == "ai":
		return append(base, "errs", "tenancy"), true
	case pkg == "nullable":
		// A wire type for partial updates, used by domains and httpapi.
		return nil, true
	case pkg == "billing":
		// The credits ledger is platform, not a domain: every AI domain
		// pre-checks and charges through it.
		return append(base, "errs", "tenancy", "store"), true
	case pkg == "ai/aitest":
		// The fake provider of tests.
		return append(base, "errs", "ai"), true
	case isDomain(pkg):
		return append(base, "errs", "tenancy", "store", "jobs", "ai", "billing", "nullable"), true
	case pkg == "httpapi":
		return append(append(base, "errs", "tenancy", "store", "jobs", "ai", "billing", "nullable"), domains...), true
	case pkg == "", pkg == "examples", strings.HasPrefix(pkg, "cmd/"), strings.HasPrefix(pkg, "examples/"):
		return []string{"*"}, true
	case strings.HasPrefix(pkg, "bench/"):
		// Benchmark tooling drives the whole product from outside.
		return []string{"*"}, true
	case pkg == "igny8test":
		return []string{"*"}, true
	}
	return nil, false
}

func isDomain(pkg string) bool {
	for _, d := range domains {
		if pkg == d || strings.HasPrefix(pkg, d+"/") {
			return true
		}
	}
	return false
}

func TestImportRules(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", errOutput(err))
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		allowed, known := allowedImports(rel)
		if !known {
			t.Errorf("package %q has no place in the import plan; add it to allowedImports and docs/architecture.md", rel)
			continue
		}
		checked++
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			target := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			if !permitted(allowed, target) {
				t.Errorf("%s imports %s, which the architecture forbids", displayName(rel), displayName(target))
			}
		}
	}
	require.Greater(t, checked, 8, "the rule must have seen the module's packages")
}

func permitted(allowed []string, target string) bool {
	for _, a := range allowed {
		if a == "*" || a == target || (strings.HasSuffix(a, "/") && strings.HasPrefix(target, a)) {
			return true
		}
	}
	return false
}

func displayName(rel string) string {
	if rel == "" {
		return "igny8 (root)"
	}
	return rel
}

func errOutput(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func TestImportRuleCatchesViolations(t *testing.T) {
	allowed, _ := allowedImports("planner")
	require.False(t, permitted(allowed, "writer"), "a domain importing another domain must be refused")
	require.False(t, permitted(allowed, "httpapi"))
	require.False(t, permitted(allowed, ""), "a domain importing the root must be refused")
	require.True(t, permitted(allowed, "tenancy"))
	allowed, _ = allowedImports("store")
	require.False(t, permitted(allowed, "tenancy"))
}
