package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbedExampleRuns(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "demo.db"), &out))
	assert.Contains(t, out.String(), `account "embedded-agency" (Starter plan, 1000 credits, status trial)`)
	assert.Contains(t, out.String(), "Agency Blog / Case Studies")
}
