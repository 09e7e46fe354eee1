package logging

import (
	"context"
	"log/slog"
	"slices"
)

// ctxKey is unexported so only this package can store or read the
// attributes, and no other package's context value can collide with it.
type ctxKey struct{}

// WithAttrs returns a context whose records carry attrs in addition to those
// already added to ctx; an attribute whose key was added before replaces the
// earlier value (a job started by a request can set its own job_id, or
// override user_id, and keep the request_id). ctx itself is not changed.
func WithAttrs(ctx context.Context, attrs ...slog.Attr) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(attrs) == 0 {
		return ctx
	}
	old := fromContext(ctx)
	// A new slice every time: the stored one is shared by every context
	// derived from ctx and by concurrent handlers, so it is never mutated.
	merged := make([]slog.Attr, 0, len(old)+len(attrs))
	for _, a := range old {
		if !hasKey(attrs, a.Key) {
			merged = append(merged, a)
		}
	}
	for i, a := range attrs {
		if !hasKey(attrs[i+1:], a.Key) { // within one call the last one wins too
			merged = append(merged, a)
		}
	}
	return context.WithValue(ctx, ctxKey{}, merged)
}

// Attrs returns a copy of the attributes added to ctx by WithAttrs, for code
// that must carry them across a boundary a context does not cross (a job
// payload that records the request_id that enqueued it).
func Attrs(ctx context.Context) []slog.Attr {
	return slices.Clone(fromContext(ctx))
}

func fromContext(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	attrs, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	return attrs
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// ContextHandler wraps a handler and adds to each record the attributes
// stored in its context by WithAttrs. They are always written at the top
// level of the record, even from a logger that has opened groups with
// WithGroup, so request_id stays one searchable field in every line.
type ContextHandler struct {
	// base is the wrapped handler with the attributes added before the
	// first WithGroup: context attributes are added at this level.
	base slog.Handler
	// ops are the WithGroup/WithAttrs calls made from the first WithGroup
	// on, replayed over base when a record has context attributes.
	ops []handlerOp
	// full is base with ops applied, used as is when the context holds no
	// attributes so the common path costs nothing extra.
	full slog.Handler
}

// handlerOp is one WithGroup (group != "") or WithAttrs call.
type handlerOp struct {
	group string
	attrs []slog.Attr
}

var _ slog.Handler = (*ContextHandler)(nil)

// NewContextHandler wraps h. Wrapping a ContextHandler again returns it
// unchanged, since a second wrapper would write every attribute twice.
func NewContextHandler(h slog.Handler) *ContextHandler {
	if ch, ok := h.(*ContextHandler); ok {
		return ch
	}
	return &ContextHandler{base: h, full: h}
}

// Enabled reports whether the wrapped handler takes records at level.
func (h *ContextHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.full.Enabled(ctx, level)
}

// Handle adds the context attributes to r and passes it on.
func (h *ContextHandler) Handle(ctx context.Context, r slog.Record) error {
	attrs := fromContext(ctx)
	if len(attrs) == 0 {
		return h.full.Handle(ctx, r)
	}
	if len(h.ops) == 0 {
		// Clone: the caller may hold other copies of r, and AddAttrs on a
		// shallow copy could write into their shared attribute array.
		r = r.Clone()
		r.AddAttrs(attrs...)
		return h.base.Handle(ctx, r)
	}
	// Groups are open: attributes added to r would land inside the last
	// group, so rebuild the chain with the context attributes below it.
	// Handlers may keep or modify the slices given to WithAttrs, hence the
	// clones of the shared ones.
	inner := h.base.WithAttrs(slices.Clone(attrs))
	for _, op := range h.ops {
		if op.group != "" {
			inner = inner.WithGroup(op.group)
		} else {
			inner = inner.WithAttrs(slices.Clone(op.attrs))
		}
	}
	return inner.Handle(ctx, r)
}

// WithAttrs returns a ContextHandler whose records also carry attrs.
func (h *ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	if len(h.ops) == 0 {
		b := h.base.WithAttrs(attrs)
		return &ContextHandler{base: b, full: b}
	}
	kept := slices.Clone(attrs) // full may keep or modify attrs
	return &ContextHandler{
		base: h.base,
		ops:  append(slices.Clip(h.ops), handlerOp{attrs: kept}),
		full: h.full.WithAttrs(attrs),
	}
}

// WithGroup returns a ContextHandler that nests later attributes under
// name; context attributes stay at the top level.
func (h *ContextHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &ContextHandler{
		base: h.base,
		ops:  append(slices.Clip(h.ops), handlerOp{group: name}),
		full: h.full.WithGroup(name),
	}
}
