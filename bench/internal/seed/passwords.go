package seed

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/tenancy"
)

// HashCost is the algorithm and cost of a stored password hash, e.g.
// "argon2id m=19456,t=2,p=1": what verifying it costs, whatever the
// server's own parameters (a verification uses the stored ones).
func HashCost(encoded string) string {
	parts := strings.Split(encoded, "$")
	// PHC: "", algorithm, "v=19", "m=…,t=…,p=…", salt, hash.
	if len(parts) == 6 && parts[0] == "" && parts[1] == "argon2id" {
		return "argon2id " + parts[3]
	}
	if algorithm, _, ok := strings.Cut(encoded, "$"); ok && algorithm != "" {
		return algorithm // Django's formats put the algorithm first
	}
	return "unknown format"
}

// DefaultHashCost is the HashCost of a hash igny8-server makes at its
// default (production) cost: no configuration lowers it.
func DefaultHashCost() string {
	p := tenancy.OWASPPasswordParams()
	return fmt.Sprintf("argon2id m=%d,t=%d,p=%d", p.MemoryKiB, p.Iterations, p.Threads)
}

// OwnerHashCosts counts the seeded owners' stored hashes by HashCost.
func OwnerHashCosts(ctx context.Context, db *bun.DB) (map[string]int, error) {
	var hashes []string
	if err := db.NewRaw(`SELECT password FROM igny8_users WHERE email LIKE ?`, "bench-owner-%@"+EmailDomain).Scan(ctx, &hashes); err != nil {
		return nil, fmt.Errorf("seed: read the owners' password hashes: %w", err)
	}
	counts := map[string]int{}
	for _, h := range hashes {
		counts[HashCost(h)]++
	}
	return counts, nil
}
