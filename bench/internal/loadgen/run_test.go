package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRunCountsSuccessesErrorsAndRotation(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/bad" {
			http.Error(w, "nope", http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer t" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("0123456789"))
	}))
	defer srv.Close()

	h := http.Header{"Authorization": {"Bearer t"}}
	reqs := []Request{{URL: srv.URL + "/a", Header: h}, {URL: srv.URL + "/b", Header: h}, {URL: srv.URL + "/bad", Header: h}}
	res, err := Run(context.Background(), NewClient(4), reqs, Config{Concurrency: 4, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK == 0 || res.Errors == 0 {
		t.Fatalf("ok=%d errors=%d: both kinds expected", res.OK, res.Errors)
	}
	if res.Statuses[http.StatusNotFound] != res.Errors {
		t.Fatalf("statuses %v, errors %d", res.Statuses, res.Errors)
	}
	if !strings.Contains(res.FirstError, "/bad answered 404") {
		t.Fatalf("first error %q", res.FirstError)
	}
	if res.Latency.Count() != uint64(res.OK) || res.AvgBytes() != 10 {
		t.Fatalf("latency count %d (ok %d), avg bytes %v", res.Latency.Count(), res.OK, res.AvgBytes())
	}
	if got := res.RPS(); got <= 0 || res.Elapsed != 300*time.Millisecond {
		t.Fatalf("rps %v elapsed %v", got, res.Elapsed)
	}
	// Round-robin: every request of the list was used, in similar numbers.
	mu.Lock()
	defer mu.Unlock()
	if hits["/a"] == 0 || hits["/b"] == 0 || hits["/bad"] == 0 {
		t.Fatalf("hits %v", hits)
	}
	if d := hits["/a"] - hits["/b"]; d > 8 || d < -8 {
		t.Fatalf("uneven rotation %v", hits)
	}
}

func TestRunRejectsEmptyInput(t *testing.T) {
	if _, err := Run(context.Background(), NewClient(1), nil, Config{Concurrency: 1, Duration: time.Second}); err == nil {
		t.Fatal("want an error without requests")
	}
}

func TestRunSendsMethodAndBody(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		seen[r.Method+" "+r.Header.Get("Content-Type")+" "+string(body)]++
		mu.Unlock()
		if r.Method == http.MethodPost && r.ContentLength != int64(len(body)) {
			http.Error(w, "length", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()

	login := http.Header{"Content-Type": {"application/json"}}
	reqs := []Request{
		{Method: http.MethodPost, URL: srv.URL + "/login", Header: login, Body: []byte(`{"email":"a"}`)},
		{Method: http.MethodPost, URL: srv.URL + "/login", Header: login, Body: []byte(`{"email":"b"}`)},
		{URL: srv.URL + "/list"},
	}
	res, err := Run(context.Background(), NewClient(3), reqs, Config{Concurrency: 3, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.OK == 0 {
		t.Fatalf("ok=%d errors=%d (%s)", res.OK, res.Errors, res.FirstError)
	}
	mu.Lock()
	defer mu.Unlock()
	// Every send carried its whole body (a reader shared between workers
	// would send some empty), and a request without a method stayed a GET.
	want := []string{`POST application/json {"email":"a"}`, `POST application/json {"email":"b"}`, "GET  "}
	for _, k := range want {
		if seen[k] == 0 {
			t.Errorf("never saw %q; saw %v", k, seen)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("unexpected requests: %v", seen)
	}
}

func TestFailureNamesMethod(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	defer srv.Close()
	reqs := []Request{{Method: http.MethodPost, URL: srv.URL + "/login", Body: []byte("{}")}}
	res, err := Run(context.Background(), NewClient(1), reqs, Config{Concurrency: 1, Duration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Statuses[http.StatusUnauthorized] == 0 || !strings.HasPrefix(res.FirstError, "POST "+srv.URL+"/login answered 401") {
		t.Fatalf("statuses %v, first error %q", res.Statuses, res.FirstError)
	}
}
