package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Request is one prepared request. Header and Body are shared by every
// send and never modified.
type Request struct {
	// Method defaults to GET.
	Method string
	URL    string
	Header http.Header
	// Body is sent as is (nil: no body); set Content-Type in Header.
	Body []byte
}

// method is r's HTTP method, GET when none was given.
func (r Request) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// newHTTP builds one send of r: a fresh reader over the shared body, so
// concurrent workers never share a read position.
func (r Request) newHTTP(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method(), r.URL, body)
	if err != nil {
		return nil, err
	}
	req.Header = r.Header
	return req, nil
}

// Config is the shape of one closed-loop run.
type Config struct {
	// Concurrency is the number of workers, each with one request in flight.
	Concurrency int
	// Duration is the measured window.
	Duration time.Duration
	// Timeout bounds one request (default 30 s).
	Timeout time.Duration
}

// Result is what one run measured.
type Result struct {
	// OK counts 2xx answers completed inside the window; Errors everything
	// else (other statuses, transport errors).
	OK, Errors int64
	// Elapsed is the measured window.
	Elapsed time.Duration
	// Latency holds the 2xx answers.
	Latency *Histogram
	// Bytes is the body size of the 2xx answers, summed.
	Bytes int64
	// Statuses counts the errors by HTTP status (0: no answer).
	Statuses map[int]int64
	// FirstError describes one error, for the log.
	FirstError string
}

// RPS is 2xx answers per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// AvgBytes is the mean body size of a 2xx answer.
func (r Result) AvgBytes() float64 {
	if r.OK == 0 {
		return 0
	}
	return float64(r.Bytes) / float64(r.OK)
}

// worker is one closed loop's private tally, merged after the run.
type worker struct {
	hist       *Histogram
	ok, errs   int64
	bytes      int64
	statuses   map[int]int64
	firstError string
}

// Run sends reqs round-robin from cfg.Concurrency workers for cfg.Duration.
// Worker w starts at request w·len/concurrency and walks the list in order,
// so every target given the same list sees the same mix. Answers finishing
// after the window are not counted.
func Run(ctx context.Context, client *http.Client, reqs []Request, cfg Config) (Result, error) {
	if len(reqs) == 0 || cfg.Concurrency < 1 || cfg.Duration <= 0 {
		return Result{}, errors.New("loadgen: need requests, concurrency ≥ 1 and a positive duration")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	start := time.Now()
	end := start.Add(cfg.Duration)
	workers := make([]*worker, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{hist: NewHistogram(), statuses: map[int]int64{}}
		workers[i] = w
		offset := i * len(reqs) / cfg.Concurrency
		wg.Go(func() { w.loop(ctx, client, reqs, offset, end, cfg.Timeout) })
	}
	wg.Wait()

	res := Result{Elapsed: cfg.Duration, Latency: NewHistogram(), Statuses: map[int]int64{}}
	for _, w := range workers {
		res.Latency.Merge(w.hist)
		res.OK += w.ok
		res.Errors += w.errs
		res.Bytes += w.bytes
		for s, n := range w.statuses {
			res.Statuses[s] += n
		}
		if res.FirstError == "" {
			res.FirstError = w.firstError
		}
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("loadgen: run interrupted: %w", err)
	}
	return res, nil
}

func (w *worker) loop(ctx context.Context, client *http.Client, reqs []Request, i int, end time.Time, timeout time.Duration) {
	for ctx.Err() == nil && time.Now().Before(end) {
		r := reqs[i%len(reqs)]
		i++
		t0 := time.Now()
		status, n, err := do(ctx, client, r, timeout)
		t1 := time.Now()
		if t1.After(end) {
			return
		}
		switch {
		case err != nil:
			w.fail(0, err.Error())
		case status < 200 || status > 299:
			w.fail(status, fmt.Sprintf("%s %s answered %d", r.method(), r.URL, status))
		default:
			w.ok++
			w.bytes += n
			w.hist.Record(t1.Sub(t0))
		}
	}
}

func (w *worker) fail(status int, msg string) {
	w.errs++
	w.statuses[status]++
	if w.firstError == "" {
		w.firstError = msg
	}
}

// do sends one request and reads the whole body: a server is done only once
// its answer has arrived.
func do(ctx context.Context, client *http.Client, r Request, timeout time.Duration) (int, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := r.newHTTP(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("build request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return resp.StatusCode, n, fmt.Errorf("read body: %w", err)
	}
	return resp.StatusCode, n, nil
}

// NewClient returns a client that keeps up to concurrency connections
// alive to one target (servers that close after each answer, like
// gunicorn's sync workers, just cost a new connection each time).
func NewClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2 * concurrency
	t.MaxIdleConnsPerHost = 2 * concurrency
	t.DisableCompression = true
	return &http.Client{Transport: t}
}
