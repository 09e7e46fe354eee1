package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/igny8/igny8-go/bench/internal/targets"
)

func TestTargetNames(t *testing.T) {
	for _, c := range []struct {
		list   string
		layers bool
		want   string // comma-separated, or "error: …"
	}{
		{"igny8,ceiling,drf,igny8-sqlite", false, "igny8,ceiling,drf,igny8-sqlite"},
		{"igny8,ceiling,drf,igny8-sqlite", true, "igny8,igny8-memthrottle,igny8-nolog,igny8-nocache,igny8-fresh,ceiling,drf,igny8-sqlite"},
		{"ceiling,igny8,igny8-nolog", true, "ceiling,igny8,igny8-memthrottle,igny8-nocache,igny8-fresh,igny8-nolog"},
		{"igny8,igny8-nocache", false, "igny8,igny8-nocache"},
		{"igny8-nolog", false, "error: add igny8"},
		{"ceiling", true, "error: add igny8"},
		{"igny8,nginx", false, "error: unknown target \"nginx\""},
	} {
		got, err := targetNames(c.list, c.layers)
		if msg, ok := strings.CutPrefix(c.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("targetNames(%q, %v) = %v, %v; want an error with %q", c.list, c.layers, got, err, msg)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != c.want {
			t.Errorf("targetNames(%q, %v) = %v, %v; want %s", c.list, c.layers, got, err, c.want)
		}
	}
}

func TestConnectionsNeededCountsOneVariantAtATime(t *testing.T) {
	defaults := 2*targets.PoolSize + targets.Workers()
	if got := connectionsNeeded(allTargets()); got != defaults {
		t.Fatalf("default targets need %d, want %d (igny8-sqlite needs none)", got, defaults)
	}
	withLayers, err := targetNames(strings.Join(allTargets(), ","), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := connectionsNeeded(withLayers); got != defaults+targets.PoolSize {
		t.Fatalf("with the layer variants %d, want %d", got, defaults+targets.PoolSize)
	}
}

func TestEveryVariantHasItsRatios(t *testing.T) {
	for _, v := range targets.VariantNames() {
		n := 0
		for _, r := range ratios() {
			if r.Num == v && r.Den == "igny8" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%s has %d ratios to igny8, want req/s and p99", v, n)
		}
	}
	if !slices.Contains(knownTargets(), "igny8-nocache") {
		t.Fatal("-targets must accept the variants")
	}
}
