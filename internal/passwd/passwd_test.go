package passwd

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
)

func cheap() Params { return Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16} }

func TestHashAndVerify(t *testing.T) {
	ctx := context.Background()
	h := New(cheap(), 2)
	enc, err := h.Hash(ctx, "s3cret password")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$"))
	other, err := h.Hash(ctx, "s3cret password")
	require.NoError(t, err)
	assert.NotEqual(t, enc, other, "salted")

	ok, rehash, err := h.Verify(ctx, "s3cret password", enc)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.False(t, rehash)
	ok, _, err = h.Verify(ctx, "wrong", enc)
	require.NoError(t, err)
	assert.False(t, ok)

	// A stronger Hasher wants the weaker hash upgraded.
	strong := New(Params{Memory: 128, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}, 1)
	ok, rehash, err = strong.Verify(ctx, "s3cret password", enc)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, rehash)
}

func TestOWASPParams(t *testing.T) {
	enc, err := New(OWASP(), 1).Hash(context.Background(), "password123")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$"), enc)
}

func TestDjangoFormats(t *testing.T) {
	ctx := context.Background()
	h := New(cheap(), 1)
	// Made with Python hashlib in Django's format (see tenancy's auth test).
	fixture := "pbkdf2_sha256$600000$Zm9vYmFyc2FsdA1$bboV+qhlXSf4E9qDrgxTDab6/MeGlxszBI1D/zLzmBo="
	ok, rehash, err := h.Verify(ctx, "hunter2-legacy!", fixture)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, rehash, "legacy formats are always upgraded")
	ok, _, err = h.Verify(ctx, "hunter2-legacy?", fixture)
	require.NoError(t, err)
	assert.False(t, ok)

	// Django's Argon2PasswordHasher wraps a PHC string in "argon2".
	phc, err := h.Hash(ctx, "from django")
	require.NoError(t, err)
	ok, rehash, err = h.Verify(ctx, "from django", "argon2"+phc)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, rehash)

	// Unusable passwords never match.
	for _, enc := range []string{"", "!unusable"} {
		ok, _, err = h.Verify(ctx, "", enc)
		require.NoError(t, err)
		assert.False(t, ok)
	}
}

func TestMalformedHashesNameTheirPart(t *testing.T) {
	h := New(cheap(), 1)
	cases := map[string]string{
		"pbkdf2_sha256$0$salt$AAAA":                                            "password_hash.iterations",
		"pbkdf2_sha256$99999999$salt$AAAA":                                     "password_hash.iterations",
		"pbkdf2_sha256$-5$salt$AAAA":                                           "password_hash.iterations",
		"pbkdf2_sha256$1000$salt$AAAA":                                         "password_hash.hash",
		"pbkdf2_sha256$1000$$AAAA":                                             "password_hash.salt",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA": "password_hash.parameters",
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA":       "password_hash.version",
		"$argon2id$v=19$m=64,t=1,p=1$$aGFzaGhhc2hoYXNoaGFzaA":                  "password_hash.salt",
		"$argon2id$v=19$m=64":                                                  "password_hash.format",
		"bcrypt$$2b$12$abc":                                                    "password_hash.algorithm",
	}
	for enc, field := range cases {
		_, _, err := h.Verify(context.Background(), "x", enc)
		require.Error(t, err, enc)
		e := errs.As(err)
		require.NotNil(t, e, enc)
		assert.Equal(t, errs.Invalid, e.Code, enc)
		assert.Contains(t, e.Fields, field, enc)
	}
}

func TestLongPasswordsAreRejectedNotTruncated(t *testing.T) {
	h := New(cheap(), 1)
	long := strings.Repeat("a", MaxPasswordBytes+1)
	_, err := h.Hash(context.Background(), long)
	require.Error(t, err)
	enc, err := h.Hash(context.Background(), long[:MaxPasswordBytes])
	require.NoError(t, err)
	ok, _, err := h.Verify(context.Background(), long, enc)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestConcurrencyIsBounded(t *testing.T) {
	h := New(Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}, 2)
	var inFlight, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			require.NoError(t, h.acquire(context.Background()))
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			inFlight.Add(-1)
			h.release()
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(2))

	// A caller waiting for a slot gives up with its context.
	require.NoError(t, h.acquire(context.Background()))
	require.NoError(t, h.acquire(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Hash(ctx, "password")
	require.ErrorIs(t, err, context.Canceled)
}

func FuzzVerify(f *testing.F) {
	f.Add("pbkdf2_sha256$1000$salt$bboV+qhlXSf4E9qDrgxTDab6/MeGlxszBI1D/zLzmBo=")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	h := New(cheap(), 1)
	f.Fuzz(func(t *testing.T, enc string) {
		ok, _, err := h.Verify(context.Background(), "password", enc)
		if err != nil && ok {
			t.Fatalf("ok with error for %q", enc)
		}
		if err != nil && errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("malformed hash %q gave %v", enc, err)
		}
	})
}
