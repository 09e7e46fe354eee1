package seed

import (
	"encoding/json"
	"fmt"

	"github.com/igny8/igny8-go/errs"
)

// EmailDomain is the domain of every seeded user; LoadManifest finds the
// seeded tenants by it.
const EmailDomain = "bench.igny8.test"

// PlanSlug is the plan of seeded accounts: the one whose max_sites and
// max_users fit the defaults. (Its max_keywords, 5,000, is below the
// 10,000 keywords per account of the default dataset; the limit is a
// create-time check and bulk rows do not pass through it.)
const PlanSlug = "scale"

// Config is the shape of the dataset. Equal configs give equal data.
type Config struct {
	Accounts        int `json:"accounts"`
	SitesPerAccount int `json:"sites_per_account"`
	SectorsPerSite  int `json:"sectors_per_site"`
	// Keywords is the total over all accounts, spread evenly over sectors.
	Keywords int `json:"keywords"`
	// KeywordsPerCluster is the average size of a cluster.
	KeywordsPerCluster int `json:"keywords_per_cluster"`
	// MappedPercent of the keywords belong to a cluster (status mapped);
	// the others are new.
	MappedPercent int `json:"mapped_percent"`
	// MaxIdeasPerCluster: each cluster gets 0..MaxIdeasPerCluster ideas.
	MaxIdeasPerCluster int    `json:"max_ideas_per_cluster"`
	Seed               uint64 `json:"seed"`
	// Password of every seeded user.
	Password string `json:"password"`
}

// Defaults is the dataset of `make bench`: 10 accounts × 2 sites × 3
// sectors, 100,000 keywords (≈1,667 per sector).
func Defaults() Config {
	return Config{
		Accounts: 10, SitesPerAccount: 2, SectorsPerSite: 3, Keywords: 100_000,
		KeywordsPerCluster: 25, MappedPercent: 60, MaxIdeasPerCluster: 2, Seed: 1,
		Password: "bench-password-2026",
	}
}

// Validate reports every bad field.
func (c Config) Validate() error {
	var v errs.Validation
	v.Check(c.Accounts >= 1 && c.Accounts <= 999, "accounts", "must be 1..999")
	v.Check(c.SitesPerAccount >= 1 && c.SitesPerAccount <= 99, "sites_per_account", "must be 1..99 (plan scale)")
	v.Check(c.SectorsPerSite >= 1 && c.SectorsPerSite <= 5, "sectors_per_site", "must be 1..5 (active sectors per site)")
	v.Check(c.Keywords >= 0, "keywords", "must not be negative")
	v.Check(c.KeywordsPerCluster >= 1, "keywords_per_cluster", "must be at least 1")
	v.Check(c.MappedPercent >= 0 && c.MappedPercent <= 100, "mapped_percent", "must be 0..100")
	v.Check(c.MaxIdeasPerCluster >= 0, "max_ideas_per_cluster", "must not be negative")
	v.Check(len(c.Password) >= 8, "password", "must be at least 8 characters")
	return v.Err()
}

// sectors is the number of sectors in the dataset.
func (c Config) sectors() int { return c.Accounts * c.SitesPerAccount * c.SectorsPerSite }

// keywordsIn is how many keywords sector g (0-based, manifest order) gets:
// an even share, the remainder going to the first sectors.
func (c Config) keywordsIn(g int) int {
	n, rest := c.Keywords/c.sectors(), c.Keywords%c.sectors()
	if g < rest {
		n++
	}
	return n
}

// Email is the login of account i's owner (0-based), zero-padded so that
// sorting by email is sorting by account.
func Email(i int) string { return fmt.Sprintf("bench-owner-%03d@%s", i+1, EmailDomain) }

// fingerprint is the config as stored in bench_seed.
func (c Config) fingerprint() (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("seed: encode config: %w", err)
	}
	return string(b), nil
}
