package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlannerExampleRuns(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "demo.db"), &out))
	got := out.String()
	assert.Contains(t, got, "imported 6 keywords, rejected 1\n  line 8: duplicate of line 2\n")
	assert.Contains(t, got, `cluster "Running shoes": 2 keywords, volume 14400, difficulty 49, mapped`)
	assert.Contains(t, got, `cluster "Training plans": 2 keywords, volume 16500, difficulty 32, mapped`)
	assert.Contains(t, got, "top 3 of 6 keywords by volume:\n  best running shoes")
	assert.Contains(t, got, `targets 2 keywords; cluster "Training plans" now has 1 idea(s)`)
}
