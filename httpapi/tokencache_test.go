package httpapi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/tenancy"
)

// A verified access token is recalled within the TTL but never past its
// own expiry, and a token that failed verification is never remembered.
func TestVerifiedTokensNeverOutliveTheToken(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	exp := now.Add(3 * time.Second)
	calls := 0
	var failWith error
	verify := func(token string) (tenancy.AccessClaims, error) {
		calls++
		if failWith != nil {
			return tenancy.AccessClaims{}, failWith
		}
		return tenancy.AccessClaims{UserID: 7, AccountID: 3, ExpiresAt: exp}, nil
	}
	v := newVerifiedTokens(10*time.Second, clock)

	c, err := v.claims("good", verify)
	require.NoError(t, err)
	require.Equal(t, int64(7), c.UserID)
	c, err = v.claims("good", verify)
	require.NoError(t, err)
	require.Equal(t, int64(3), c.AccountID)
	require.Equal(t, 1, calls, "the second request is served from the cache")

	// Past the token's expiry (still inside the cache's TTL) it is verified
	// again, and the verifier's refusal stands.
	now = exp.Add(time.Millisecond)
	failWith = errors.New("token expired")
	_, err = v.claims("good", verify)
	require.ErrorContains(t, err, "expired")
	require.Equal(t, 2, calls)

	_, err = v.claims("bad", verify)
	require.Error(t, err)
	_, err = v.claims("bad", verify)
	require.Error(t, err)
	require.Equal(t, 4, calls, "a refused token is verified every time")

	// Off (nil): every call verifies.
	var off *verifiedTokens
	failWith = nil
	_, err = off.claims("good", verify)
	require.NoError(t, err)
	_, err = off.claims("good", verify)
	require.NoError(t, err)
	require.Equal(t, 6, calls)
}
