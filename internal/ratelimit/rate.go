package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate allows Limit requests per Period.
type Rate struct {
	Limit  int
	Period time.Duration
}

// unitPeriod maps the unit spellings DRF settings use in practice. DRF
// itself only looks at the first letter, which silently accepts typos such
// as "10/mnute"; an explicit list turns those into a start-up error instead.
func unitPeriod(unit string) (time.Duration, bool) {
	switch unit {
	case "s", "sec", "second", "seconds":
		return time.Second, true
	case "m", "min", "minute", "minutes":
		return time.Minute, true
	case "h", "hr", "hour", "hours":
		return time.Hour, true
	case "d", "day", "days":
		return 24 * time.Hour, true
	}
	return 0, false
}

// ParseRate reads DRF throttle notation: "<count>/<unit>" with a unit of
// s, m, h or d, or their usual longer spellings ("10/min", "1000/hour").
func ParseRate(s string) (Rate, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: want <count>/<unit>, e.g. 10/min", s)
	}
	num, unit = strings.TrimSpace(num), strings.ToLower(strings.TrimSpace(unit))
	if num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: count %q is not a whole number", s, num)
	}
	limit, err := strconv.Atoi(num)
	if err != nil {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: count: %w", s, err)
	}
	if limit <= 0 {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: count must be positive", s)
	}
	period, ok := unitPeriod(unit)
	if !ok {
		return Rate{}, fmt.Errorf("ratelimit: rate %q: unknown unit %q (want s, m, h or d)", s, unit)
	}
	return Rate{Limit: limit, Period: period}, nil
}

// String renders the rate back in DRF notation where the period allows, so
// log lines read like the settings they came from.
func (r Rate) String() string {
	switch r.Period {
	case time.Second:
		return fmt.Sprintf("%d/s", r.Limit)
	case time.Minute:
		return fmt.Sprintf("%d/min", r.Limit)
	case time.Hour:
		return fmt.Sprintf("%d/hour", r.Limit)
	case 24 * time.Hour:
		return fmt.Sprintf("%d/day", r.Limit)
	}
	return fmt.Sprintf("%d/%s", r.Limit, r.Period)
}

// validate rejects rates that would divide by zero in GCRA; a zero Rate is
// most likely an unset scope, and guessing "unlimited" or "blocked" for it
// would hide the configuration bug.
func (r Rate) validate() error {
	if r.Limit <= 0 || r.Period <= 0 {
		return fmt.Errorf("ratelimit: invalid rate %d per %s: limit and period must be positive", r.Limit, r.Period)
	}
	return nil
}

// Result is the outcome of one check, carrying what the HTTP layer needs
// for Retry-After and X-RateLimit-* headers.
type Result struct {
	Allowed    bool
	Limit      int
	Remaining  int           // requests that could still be made right now
	RetryAfter time.Duration // 0 when allowed
	ResetAfter time.Duration // until the bucket is full again
}

// Limiter decides whether one more request under key fits rate. The key
// names the bucket, so callers put the scope in it ("user:42", "anon:ip");
// using one key with two different rates mixes their accounting.
type Limiter interface {
	Allow(ctx context.Context, key string, rate Rate) (Result, error)
}
