package seed

import (
	"io"
	"maps"
	"testing"

	"github.com/igny8/igny8-go/igny8test"
)

func TestHashCost(t *testing.T) {
	for in, want := range map[string]string{
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA": "argon2id m=19456,t=2,p=1",
		"argon2$argon2id$v=19$m=102400,t=2,p=8$s$h":    "argon2",
		"pbkdf2_sha256$600000$salt$hash":               "pbkdf2_sha256",
		"":                                             "unknown format",
	} {
		if got := HashCost(in); got != want {
			t.Errorf("HashCost(%q) = %q, want %q", in, got, want)
		}
	}
	if got := DefaultHashCost(); got != "argon2id m=19456,t=2,p=1" {
		t.Fatalf("DefaultHashCost = %q: the OWASP minimum changed, check the report's wording", got)
	}
}

// The login measurement is only right if the seeded owners' hashes cost
// what a production hash costs: verification uses the stored parameters.
func TestSeededOwnersHaveTheServersDefaultHashCost(t *testing.T) {
	ctx := t.Context()
	app, err := OpenApp(ctx, "", t.TempDir(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, _, err := Ensure(ctx, app, small()); err != nil {
		t.Fatal(err)
	}
	costs, err := OwnerHashCosts(ctx, app.DB())
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{DefaultHashCost(): small().Accounts}; !maps.Equal(costs, want) {
		t.Fatalf("seeded hash costs %v, want %v", costs, want)
	}
}

// And the check tells a cheaper hash apart: igny8test seeds at a test cost.
func TestOwnerHashCostsSeesCheapHashes(t *testing.T) {
	env := igny8test.New(t)
	if _, _, err := Ensure(t.Context(), env.App, small()); err != nil {
		t.Fatal(err)
	}
	costs, err := OwnerHashCosts(t.Context(), env.App.DB())
	if err != nil {
		t.Fatal(err)
	}
	if costs[DefaultHashCost()] != 0 || len(costs) != 1 {
		t.Fatalf("test-cost hashes read as %v", costs)
	}
}
