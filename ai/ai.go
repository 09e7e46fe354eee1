package ai

import (
	"context"
	"time"

	"github.com/igny8/igny8-go/errs"
)

// Roles a Message may have. The system prompt is TextRequest.System, not a
// message, so that every provider can place it where its API wants it.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one turn of a conversation.
type Message struct {
	Role    string // RoleUser or RoleAssistant
	Content string
}

// TextRequest asks a text model for one answer.
type TextRequest struct {
	// Model overrides the provider's default model; empty uses the default.
	Model string
	// System is the system prompt; empty sends none.
	System   string
	Messages []Message
	// Temperature is sent only when set, so the provider's own default
	// applies otherwise (some models accept no other value than theirs).
	Temperature *float64
	// MaxTokens caps the answer's length; 0 leaves it to the provider.
	MaxTokens int
	// JSON asks for a single JSON object answer (OpenAI's json_object
	// response format). OpenAI requires the word "json" somewhere in the
	// messages when it is set and answers 400 (errs.Invalid) otherwise.
	JSON bool
}

// TextResponse is a model's answer with what it cost.
type TextResponse struct {
	Content string
	// Model is the model that answered as the provider reports it (often a
	// dated snapshot of the requested one), for cost tracking.
	Model            string
	PromptTokens     int64
	CompletionTokens int64
	// Duration is the wall time of the whole call, retries included.
	Duration time.Duration
	// FinishReason is the provider's: "stop", "length" (the answer was cut
	// at MaxTokens, so JSON is likely truncated), "content_filter", ….
	FinishReason string
}

// ImageRequest asks an image model for N images.
type ImageRequest struct {
	// Model overrides the provider's default image model.
	Model  string
	Prompt string
	// Size like "1024x1024"; empty leaves it to the provider.
	Size string
	// N is the number of images; 0 leaves it to the provider (one).
	N int
}

// ImageResponse carries the generated images: hosted URLs (DALL·E) or
// base64 data (gpt-image models always answer with data).
type ImageResponse struct {
	URLs []string
	B64  []string
	// Model is the model that was asked for: the images API does not echo it.
	Model    string
	Duration time.Duration
}

// TextProvider produces text answers.
type TextProvider interface {
	Complete(ctx context.Context, req TextRequest) (*TextResponse, error)
}

// ImageProvider produces images.
type ImageProvider interface {
	Generate(ctx context.Context, req ImageRequest) (*ImageResponse, error)
}

// ErrNotConfigured is what every call answers when no AI provider was
// configured. It is Unavailable (the feature is off on this deployment) and
// not retryable: retrying cannot configure a provider.
var ErrNotConfigured = &errs.Error{Code: errs.Unavailable, Message: "AI provider not configured"}

// Unconfigured is the provider wired when no IGNY8_OPENAI_* setting is set.
// It exists so that AI features fail loudly instead of producing fake output.
type Unconfigured struct{}

var (
	_ TextProvider  = Unconfigured{}
	_ ImageProvider = Unconfigured{}
)

// Complete always fails with ErrNotConfigured.
func (Unconfigured) Complete(context.Context, TextRequest) (*TextResponse, error) {
	return nil, ErrNotConfigured
}

// Generate always fails with ErrNotConfigured.
func (Unconfigured) Generate(context.Context, ImageRequest) (*ImageResponse, error) {
	return nil, ErrNotConfigured
}

// Configured reports whether p is a real provider: AI endpoints check it
// before enqueueing work, so a deployment without a provider answers 503
// at once instead of queueing jobs that can only fail.
func Configured(p TextProvider) bool {
	_, none := p.(Unconfigured)
	return p != nil && !none
}
