package ceiling

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/igny8/igny8-go/bench/internal/listsql"
	"github.com/igny8/igny8-go/planner"
)

// Path is where the list is served; /healthz answers 200 once the pool
// reaches the database.
const Path = "/keywords/"

// maxPageSize matches igny8-go's IGNY8_MAX_PAGE_SIZE default.
const maxPageSize = 100

// listBody is igny8's list envelope (httpapi listBody), field for field.
type listBody struct {
	Success   bool              `json:"success"`
	Count     int64             `json:"count"`
	Next      *string           `json:"next"`
	Previous  *string           `json:"previous"`
	Results   []planner.Keyword `json:"results"`
	RequestID string            `json:"request_id,omitempty"`
}

type errorBody struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
}

// Handler serves the list from pool. PublicURL is the base of next and
// previous links, as IGNY8_PUBLIC_URL is for igny8-go.
type Handler struct {
	Pool      *pgxpool.Pool
	PublicURL string
	Log       *slog.Logger
}

// ServeHTTP routes the two paths by hand: a router is part of what the
// ceiling leaves out.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodGet:
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method not allowed"})
	case r.URL.Path == Path:
		h.list(w, r)
	case r.URL.Path == "/healthz":
		if err := h.Pool.Ping(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "database unreachable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	default:
		writeJSON(w, http.StatusNotFound, errorBody{Error: "not found"})
	}
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	p, err := parseParams(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error()})
		return
	}
	rows, count, err := h.query(r.Context(), p)
	if err != nil {
		if h.Log != nil {
			h.Log.ErrorContext(r.Context(), "list keywords", slog.Any("error", err))
		}
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "internal server error"})
		return
	}
	body := listBody{Success: true, Count: count, Results: rows, RequestID: newRequestID()}
	if int64(p.Page)*int64(p.PageSize) < count {
		body.Next = h.pageURL(r, p.Page+1)
	}
	if p.Page > 1 {
		body.Previous = h.pageURL(r, p.Page-1)
	}
	writeJSON(w, http.StatusOK, body)
}

// query runs igny8's one statement for a page and its total, and the COUNT
// only for a page past the end, as store.ListPage does.
func (h *Handler) query(ctx context.Context, p listsql.Params) ([]planner.Keyword, int64, error) {
	rows, err := h.Pool.Query(ctx, listsql.PageSQL, p.PageArgs()...)
	if err != nil {
		return nil, 0, fmt.Errorf("ceiling: page: %w", err)
	}
	page, count, err := listsql.Scan(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("ceiling: page: %w", err)
	}
	if len(page) == 0 && p.Page > 1 {
		if err := h.Pool.QueryRow(ctx, listsql.CountSQL, p.CountArgs()...).Scan(&count); err != nil {
			return nil, 0, fmt.Errorf("ceiling: count: %w", err)
		}
	}
	return page, count, nil
}

// parseParams reads the query string. Only the benchmarked shape is
// accepted: ordering must be -volume (or absent, meaning the same), and the
// search is taken as one term.
func parseParams(q url.Values) (listsql.Params, error) {
	var p listsql.Params
	var errs []error
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"account_id", &p.AccountID}, {"site_id", &p.SiteID}, {"sector_id", &p.SectorID}} {
		n, err := strconv.ParseInt(q.Get(f.name), 10, 64)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("%s must be a positive integer", f.name))
		}
		*f.dst = n
	}
	p.Search = q.Get("search")
	if o := q.Get("ordering"); o != "" && o != "-volume" {
		errs = append(errs, errors.New("ordering must be -volume"))
	}
	p.Page, p.PageSize = 1, 25
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, errors.New("page must be a positive integer"))
		}
		p.Page = n
	}
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			errs = append(errs, fmt.Errorf("page_size must be an integer between 1 and %d", maxPageSize))
		}
		p.PageSize = n
	}
	return p, errors.Join(errs...)
}

// pageURL builds the absolute link of another page on PublicURL, as
// igny8-go does (never from the Host header).
func (h *Handler) pageURL(r *http.Request, page int) *string {
	u, err := url.Parse(h.PublicURL)
	if err != nil {
		return nil
	}
	q := r.URL.Query()
	if page <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	u.Path = r.URL.Path
	u.RawQuery = q.Encode()
	s := u.String()
	return &s
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
