package passwd

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/igny8/igny8-go/errs"
	"golang.org/x/crypto/argon2"
)

// Params are argon2id parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// OWASP returns the OWASP Password Storage Cheat Sheet minimum for
// argon2id (m=19 MiB, t=2, p=1).
func OWASP() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// Limits on parameters read from stored hashes, so a planted hash cannot
// make one login burn minutes of CPU or gigabytes of memory.
const (
	maxPBKDF2Iterations = 10_000_000
	maxArgonMemory      = 256 * 1024 // KiB = 256 MiB
	maxArgonTime        = 10
	// MaxPasswordBytes bounds the input; longer passwords are rejected,
	// never truncated.
	MaxPasswordBytes = 1024
)

// Hasher hashes new passwords with argon2id and verifies stored hashes of
// any supported format, at most `concurrency` at a time.
type Hasher struct {
	params Params
	sem    chan struct{}

	dummyOnce sync.Once
	dummy     string
}

// New returns a Hasher. concurrency <= 0 means one per CPU.
func New(p Params, concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: p, sem: make(chan struct{}, concurrency)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC string $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", errs.Field("password", fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes))
	}
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passwd: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	h.release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks password against encoded. needsRehash is true when the
// password matched but the hash is in a legacy format or weaker than the
// Hasher's parameters. A malformed hash is an Invalid error naming the
// part of the hash that is wrong.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	if len(password) > MaxPasswordBytes {
		return false, false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"):
		ok, p, err := verifyArgon2(password, encoded)
		if err != nil {
			return false, false, err
		}
		return ok, ok && h.weaker(p), nil
	case strings.HasPrefix(encoded, "argon2$argon2id$"): // Django's Argon2PasswordHasher
		ok, _, err := verifyArgon2(password, strings.TrimPrefix(encoded, "argon2"))
		return ok, ok, err
	case strings.HasPrefix(encoded, "pbkdf2_sha256$"):
		ok, err := verifyDjangoPBKDF2(password, encoded)
		return ok, ok, err
	case encoded == "" || strings.HasPrefix(encoded, "!"):
		// Empty or Django's unusable-password marker: no password can match.
		return false, false, nil
	}
	return false, false, malformed("algorithm", "unsupported password hash format")
}

// VerifyDummy spends the same work as a real verification, so that a login
// for an unknown email takes as long as one with a wrong password.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) {
	h.dummyOnce.Do(func() {
		h.dummy, _ = h.Hash(context.Background(), "igny8-dummy-password")
	})
	_, _, _ = h.Verify(ctx, password, h.dummy)
}

func (h *Hasher) weaker(p Params) bool {
	return p.Memory < h.params.Memory || p.Time < h.params.Time || p.KeyLen < h.params.KeyLen
}

func malformed(part, msg string) error {
	return &errs.Error{
		Code:    errs.Invalid,
		Message: "malformed password hash: " + part + ": " + msg,
		Fields:  map[string][]string{"password_hash." + part: {msg}},
	}
}

// verifyArgon2 checks a PHC argon2id string.
func verifyArgon2(password, encoded string) (bool, Params, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 {
		return false, Params{}, malformed("format", "want $argon2id$v=19$m=…,t=…,p=…$salt$hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, Params{}, malformed("version", "unsupported argon2 version")
	}
	var p Params
	var threads int
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil {
		return false, Params{}, malformed("parameters", "want m=<KiB>,t=<iterations>,p=<threads>")
	}
	if p.Memory < 8 || p.Memory > maxArgonMemory || p.Time < 1 || p.Time > maxArgonTime || threads < 1 || threads > 64 {
		return false, Params{}, malformed("parameters", "out of the accepted range")
	}
	p.Threads = uint8(threads)
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, Params{}, malformed("salt", "not valid base64 of at least 8 bytes")
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 128 {
		return false, Params{}, malformed("hash", "not valid base64 of 16 to 128 bytes")
	}
	p.KeyLen = uint32(len(want))
	p.SaltLen = uint32(len(salt))
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, want) == 1, p, nil
}

// verifyDjangoPBKDF2 checks Django's pbkdf2_sha256$<iterations>$<salt>$<base64 hash>.
func verifyDjangoPBKDF2(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 {
		return false, malformed("format", "want pbkdf2_sha256$<iterations>$<salt>$<hash>")
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations < 1 {
		return false, malformed("iterations", "must be a positive integer")
	}
	if iterations > maxPBKDF2Iterations {
		return false, malformed("iterations", fmt.Sprintf("must be at most %d", maxPBKDF2Iterations))
	}
	salt := parts[2]
	if salt == "" {
		return false, malformed("salt", "must not be empty")
	}
	want, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(want) != sha256.Size {
		return false, malformed("hash", "must be base64 of a 32-byte SHA-256 digest")
	}
	got, err := pbkdf2.Key(sha256.New, password, []byte(salt), iterations, sha256.Size)
	if err != nil {
		return false, fmt.Errorf("passwd: pbkdf2: %w", err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
