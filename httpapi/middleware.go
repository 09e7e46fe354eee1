package httpapi

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/cors"

	"github.com/igny8/igny8-go/internal/logging"
)

// securityHeaders are the headers Django's SecurityMiddleware and
// XFrameOptionsMiddleware set: no MIME sniffing, no framing (clickjacking),
// a strict referrer policy, and HSTS when the request came over TLS.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// recorder remembers the status and size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// accessNote lets authentication, which runs inside the access log, tell
// it who the caller was.
type accessNote struct{ attrs []slog.Attr }

type accessNoteKey struct{}

// noteCaller records attributes for the request's access line.
func noteCaller(ctx context.Context, attrs ...slog.Attr) {
	if n, ok := ctx.Value(accessNoteKey{}).(*accessNote); ok {
		n.attrs = append(n.attrs, attrs...)
	}
}

// accessLog writes one line per request (path without query string, which
// may hold search terms or tokens), with the caller's account and user.
func (a *api) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		note := &accessNote{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), accessNoteKey{}, note)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		ctx := logging.WithAttrs(r.Context(), note.attrs...)
		logging.AccessRecord(ctx, a.log, r.Method, r.URL.Path, rec.status, time.Since(start), rec.bytes, r.RemoteAddr)
	})
}

// exposedHeaders are readable by the SPA across origins.
var exposedHeaders = []string{
	"X-Request-ID", "X-Resource-Tracking-ID", "X-Throttle-Limit", "X-Throttle-Remaining", "X-Throttle-Reset", "Retry-After",
}

// cors lets the configured origins call the API with credentials.
func (a *api) cors(next http.Handler) http.Handler {
	if len(a.cfg.CORSOrigins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins:   a.cfg.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "X-IGNY8-API-KEY", "X-Request-ID", "X-Debug-Resource-Tracking"},
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           600,
	}).Handler(next)
}

// static serves a built SPA from cfg.StaticDir for paths outside /api/,
// falling back to index.html for client-side routes. Hashed assets under
// /assets/ are cached for a year, index.html never (so a deploy is picked up
// at once); text assets are gzipped for clients that accept it.
func (a *api) static(next http.Handler) http.Handler {
	dir := a.cfg.StaticDir
	if dir == "" {
		return next
	}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		path := filepath.Join(dir, filepath.Clean("/"+r.URL.Path))
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			// Client-side route (or the root): the app shell.
			r = r.Clone(r.Context())
			r.URL.Path = "/"
			w.Header().Set("Cache-Control", "no-cache")
		} else if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		if compressible(r.URL.Path) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && r.Header.Get("Range") == "" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			gz := gzip.NewWriter(w)
			defer gz.Close()
			w = gzipWriter{ResponseWriter: w, w: gz}
		}
		files.ServeHTTP(w, r)
	})
}

// compressible reports whether a static path is text worth gzipping.
func compressible(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case "", ".html", ".js", ".mjs", ".css", ".json", ".svg", ".map", ".txt", ".xml":
		return true
	}
	return false
}

// gzipWriter sends the body through gzip; the length is no longer known.
type gzipWriter struct {
	http.ResponseWriter
	w io.Writer
}

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

func (g gzipWriter) Write(b []byte) (int, error) {
	g.Header().Del("Content-Length")
	return g.w.Write(b)
}
