package listsql

import (
	"strings"
	"testing"
)

func TestPatternEscapesLikeMetacharacters(t *testing.T) {
	cases := map[string]string{
		"best":   "%best%",
		"50%":    `%50\%%`,
		"a_b":    `%a\_b%`,
		`c:\dir`: `%c:\\dir%`,
	}
	for in, want := range cases {
		if got := Pattern(in); got != want {
			t.Errorf("Pattern(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArgsDefaultToFirstPageOf25(t *testing.T) {
	p := Params{AccountID: 1, SiteID: 2, SectorID: 3, Search: "x"}
	args := p.PageArgs()
	if args[4] != 25 || args[5] != 0 {
		t.Fatalf("limit/offset = %v/%v, want 25/0", args[4], args[5])
	}
	p.Page, p.PageSize = 3, 10
	args = p.PageArgs()
	if args[4] != 10 || args[5] != 20 {
		t.Fatalf("limit/offset = %v/%v, want 10/20", args[4], args[5])
	}
	if len(p.CountArgs()) != strings.Count(CountSQL, "$") {
		t.Fatalf("CountSQL has %d placeholders, CountArgs gives %d", strings.Count(CountSQL, "$"), len(p.CountArgs()))
	}
	if len(args) != strings.Count(PageSQL, "$") {
		t.Fatalf("PageSQL has %d placeholders, PageArgs gives %d", strings.Count(PageSQL, "$"), len(args))
	}
}
