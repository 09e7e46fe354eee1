package targets

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// igny8Vars is the IGNY8_* part of an environment (the rest is inherited).
func igny8Vars(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "IGNY8_") {
			out = append(out, kv)
		}
	}
	return out
}

func TestVariantEnvironmentsDifferFromIgny8ByTheirChangeOnly(t *testing.T) {
	t.Setenv("IGNY8_LOG_LEVEL", "debug") // inherited variables never reach a server
	base := Igny8Options{Addr: "127.0.0.1:1", DataDir: "/d", DatabaseURL: "postgres://db", SecretKey: "k", RedisURL: "redis://r/14"}
	igny8 := igny8Vars(Igny8Env(base))
	if !slices.Contains(igny8, "IGNY8_REDIS_URL=redis://r/14") || slices.ContainsFunc(igny8, func(kv string) bool { return strings.HasPrefix(kv, "IGNY8_LOG_LEVEL=") }) {
		t.Fatalf("igny8's environment: %v", igny8)
	}
	want := map[string]struct{ added, removed []string }{
		"igny8-memthrottle": {removed: []string{"IGNY8_REDIS_URL=redis://r/14"}},
		"igny8-nolog":       {added: []string{"IGNY8_LOG_LEVEL=warn"}},
		"igny8-nocache":     {added: []string{"IGNY8_AUTH_CACHE_TTL=-1s"}},
		"igny8-fresh":       {},
	}
	for _, v := range Igny8Variants() {
		o := base
		o.Env = v.Env
		got := igny8Vars(Igny8Env(o))
		var added, removed []string
		for _, kv := range got {
			if !slices.Contains(igny8, kv) {
				added = append(added, kv)
			}
		}
		for _, kv := range igny8 {
			if !slices.Contains(got, kv) {
				removed = append(removed, kv)
			}
		}
		w, ok := want[v.Name]
		if !ok {
			t.Errorf("untested variant %s", v.Name)
			continue
		}
		if !slices.Equal(added, w.added) || !slices.Equal(removed, w.removed) {
			t.Errorf("%s: added %v removed %v, want added %v removed %v", v.Name, added, removed, w.added, w.removed)
		}
	}
}

func TestOverrideReplacesInPlaceOfAppending(t *testing.T) {
	got := override([]string{"A=1", "B=2", "AB=3"}, []string{"A=9", "AB", "C=4"})
	if want := []string{"B=2", "A=9", "C=4"}; !slices.Equal(got, want) {
		t.Fatalf("override = %v, want %v", got, want)
	}
}

func TestLoginRequestsSignInEveryOwner(t *testing.T) {
	m := manifest()
	m.Tenants[0].Email, m.Tenants[1].Email = "a@x.test", "b@x.test"
	reqs, err := LoginRequests("http://a", m, "pw-pw-pw")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		var body map[string]string
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if r.Method != http.MethodPost || r.URL != "http://a/api/v1/auth/login/" || r.Header.Get("Content-Type") != "application/json" ||
			body["email"] != m.Tenants[i].Email || body["password"] != "pw-pw-pw" {
			t.Fatalf("request %d: %s %s %v %v", i, r.Method, r.URL, r.Header, body)
		}
	}
}

func TestUnthrottledRatesRaiseTheLoginScope(t *testing.T) {
	if !strings.Contains(","+UnthrottledRates()+",", ",auth=1000000/min,") {
		t.Fatalf("the auth scope (login) is not raised: %s", UnthrottledRates())
	}
}
