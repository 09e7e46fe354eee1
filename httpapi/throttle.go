package httpapi

import (
	"fmt"
	"maps"

	"github.com/igny8/igny8-go/internal/ratelimit"
)

// DefaultThrottleRates are the original's scopes and rates
// (DebugScopedRateThrottle in api/throttles.py); Config.ThrottleRates
// overrides any of them.
func DefaultThrottleRates() map[string]string {
	return map[string]string{
		"ai_function": "10/min", "image_gen": "15/min", "planner_ai": "10/min", "writer_ai": "10/min",
		"content_write": "30/min", "content_read": "100/min",
		"auth": "20/min", "auth_strict": "5/min",
		"planner": "60/min", "writer": "60/min",
		"system": "100/min", "system_admin": "30/min",
		"billing": "30/min", "billing_admin": "10/min",
		"integration": "60/min", "linker": "60/min", "optimizer": "60/min",
		"default": "100/min",
	}
}

func throttleRates(overrides map[string]string) (map[string]ratelimit.Rate, error) {
	spec := DefaultThrottleRates()
	maps.Copy(spec, overrides)
	rates := make(map[string]ratelimit.Rate, len(spec))
	for scope, s := range spec {
		r, err := ratelimit.ParseRate(s)
		if err != nil {
			return nil, fmt.Errorf("httpapi: throttle rate of scope %q: %w", scope, err)
		}
		rates[scope] = r
	}
	return rates, nil
}
