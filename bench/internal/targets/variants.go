package targets

// Igny8Variant is the igny8 target with one layer of its stack changed
// through the environment, so that its ratio to igny8 is that layer's cost.
type Igny8Variant struct {
	Name string
	// Change says what differs from igny8, for the report ("igny8 " +
	// Change reads as a sentence).
	Change string
	// Env is applied over igny8's environment (see Igny8Options.Env).
	Env []string
}

// Igny8Variants are the layer variants, in round order. The control
// changes nothing: the variants are started afresh for each measurement
// (see the run command), igny8 once, and the control's ratio shows what
// that difference alone is worth.
func Igny8Variants() []Igny8Variant {
	return []Igny8Variant{
		{Name: "igny8-memthrottle", Env: []string{"IGNY8_REDIS_URL"},
			Change: "without IGNY8_REDIS_URL: the throttle runs in process instead of one Redis round trip per request"},
		{Name: "igny8-nolog", Env: []string{"IGNY8_LOG_LEVEL=warn"},
			Change: "with IGNY8_LOG_LEVEL=warn: no access log line (written at info) per request"},
		{Name: "igny8-nocache", Env: []string{"IGNY8_AUTH_CACHE_TTL=-1s"},
			Change: "with IGNY8_AUTH_CACHE_TTL=-1s: no auth cache, every request verifies the JWT and reads user, account and module switches from the database"},
		{Name: "igny8-fresh", Env: nil,
			Change: "unchanged: the control for starting afresh"},
	}
}

// VariantNames are the names of Igny8Variants.
func VariantNames() []string {
	vs := Igny8Variants()
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}
