package ai

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/igny8/igny8-go/errs"
)

// DefaultBaseURL is OpenAI's own API.
const DefaultBaseURL = "https://api.openai.com/v1"

// Defaults applied by NewOpenAI to zero fields of OpenAIConfig.
const (
	DefaultTimeout    = 120 * time.Second
	DefaultMaxRetries = 2
)

// OpenAIConfig configures a client of an OpenAI-compatible API.
type OpenAIConfig struct {
	// BaseURL is the API root including its version prefix, as every OpenAI
	// client expects it: "https://api.openai.com/v1" (the default),
	// "http://localhost:11434/v1" (Ollama), "http://localhost:8000/v1"
	// (vLLM), "http://localhost:1234/v1" (LM Studio). Requests go to
	// BaseURL + "/chat/completions" and BaseURL + "/images/generations".
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>". It is required for
	// OpenAI itself; local servers usually need none.
	APIKey string
	// Model is the default text model, ImageModel the default image model;
	// a request's own Model wins.
	Model      string
	ImageModel string
	// Timeout bounds each attempt (not the whole call: that is the caller's
	// context). 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how often the SDK retries a retryable failure. 0 means
	// DefaultMaxRetries; a negative value disables retries.
	MaxRetries int
	// HTTPClient replaces the HTTP client (proxies, custom TLS, tests);
	// nil uses a client on http.DefaultTransport.
	HTTPClient *http.Client
}

// OpenAI is a TextProvider and ImageProvider for any OpenAI-compatible API.
// It is safe for concurrent use.
type OpenAI struct {
	chat       openai.ChatService
	images     openai.ImageService
	model      string
	imageModel string
	// apiKey is kept only to scrub it from provider messages.
	apiKey string
}

var (
	_ TextProvider  = (*OpenAI)(nil)
	_ ImageProvider = (*OpenAI)(nil)
)

// NewOpenAI validates cfg and builds the client. It makes no request.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	base := strings.TrimSpace(cfg.BaseURL)
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.E(errs.Invalid, "ai: base URL must be an absolute http(s) URL, got %q", redactURL(base))
	}
	if cfg.APIKey == "" && u.Host == "api.openai.com" {
		return nil, errs.E(errs.Invalid, "ai: an API key is required for %s", u.Host)
	}
	if cfg.Timeout < 0 {
		return nil, errs.E(errs.Invalid, "ai: timeout must not be negative")
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	retries := cfg.MaxRetries
	switch {
	case retries == 0:
		retries = DefaultMaxRetries
	case retries < 0:
		retries = 0
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		// Not http.DefaultClient: it is shared, mutable process state.
		httpClient = &http.Client{}
	}

	// The services are built directly rather than through openai.NewClient,
	// which would read OPENAI_* variables from the environment: only the
	// binaries read the environment, and an ambient OPENAI_API_KEY or
	// OPENAI_ORG_ID must never leak into a deployment's requests.
	opts := []option.RequestOption{
		option.WithBaseURL(u.String()),
		option.WithMaxRetries(retries),
		option.WithRequestTimeout(timeout),
		option.WithHTTPClient(httpClient),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	return &OpenAI{
		chat:       openai.NewChatService(opts...),
		images:     openai.NewImageService(opts...),
		model:      cfg.Model,
		imageModel: cfg.ImageModel,
		apiKey:     cfg.APIKey,
	}, nil
}

// Complete asks the chat completions API for one answer.
func (o *OpenAI) Complete(ctx context.Context, req TextRequest) (*TextResponse, error) {
	params, err := o.chatParams(req)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	completion, err := o.chat.Completions.New(ctx, params)
	elapsed := time.Since(start)
	if err != nil {
		return nil, classify(ctx, err, o.apiKey)
	}
	if len(completion.Choices) == 0 {
		return nil, errs.Wrap(&providerError{kind: "no choices"}, errs.Unavailable, "AI provider returned no answer")
	}
	choice := completion.Choices[0]
	if choice.Message.Content == "" && choice.Message.Refusal != "" {
		// A refusal is the model's decision about this prompt: asking again
		// will not change it, and empty content must not pass for an answer.
		return nil, errs.E(errs.Invalid, "AI model refused the request: %s", clip(redact(choice.Message.Refusal, o.apiKey)))
	}
	model := completion.Model
	if model == "" {
		model = params.Model
	}
	return &TextResponse{
		Content:          choice.Message.Content,
		Model:            model,
		PromptTokens:     completion.Usage.PromptTokens,
		CompletionTokens: completion.Usage.CompletionTokens,
		Duration:         elapsed,
		FinishReason:     choice.FinishReason,
	}, nil
}

func (o *OpenAI) chatParams(req TextRequest) (openai.ChatCompletionNewParams, error) {
	var v errs.Validation
	model := req.Model
	if model == "" {
		model = o.model
	}
	v.Check(model != "", "model", "no model given and no default model configured")
	v.Check(req.System != "" || len(req.Messages) > 0, "messages", "a request needs a system prompt or at least one message")
	v.Check(req.MaxTokens >= 0, "max_tokens", "must not be negative")

	messages := make([]openai.ChatCompletionMessageParamUnion, 0, len(req.Messages)+1)
	if req.System != "" {
		messages = append(messages, openai.SystemMessage(req.System))
	}
	for _, m := range req.Messages {
		switch m.Role {
		case RoleUser:
			messages = append(messages, openai.UserMessage(m.Content))
		case RoleAssistant:
			messages = append(messages, openai.AssistantMessage(m.Content))
		default:
			v.Add("messages", "role must be user or assistant, got "+m.Role)
		}
	}
	if err := v.Err(); err != nil {
		return openai.ChatCompletionNewParams{}, err
	}

	params := openai.ChatCompletionNewParams{Model: model, Messages: messages}
	if req.Temperature != nil {
		params.Temperature = openai.Float(*req.Temperature)
	}
	if req.MaxTokens > 0 {
		// max_tokens rather than max_completion_tokens: every
		// OpenAI-compatible server understands it. OpenAI's reasoning models
		// (o-series, gpt-5) reject it with a 400, surfaced as errs.Invalid.
		params.MaxTokens = openai.Int(int64(req.MaxTokens))
	}
	if req.JSON {
		params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{
			OfJSONObject: &shared.ResponseFormatJSONObjectParam{},
		}
	}
	return params, nil
}

// Generate asks the images API for req.N images of req.Prompt.
func (o *OpenAI) Generate(ctx context.Context, req ImageRequest) (*ImageResponse, error) {
	var v errs.Validation
	model := req.Model
	if model == "" {
		model = o.imageModel
	}
	// No silent provider default: OpenAI would fall back to dall-e-2, whose
	// price and quality differ from what the plan promises.
	v.Check(model != "", "model", "no image model given and no default image model configured")
	v.Check(strings.TrimSpace(req.Prompt) != "", "prompt", "must not be empty")
	v.Check(req.N >= 0, "n", "must not be negative")
	if err := v.Err(); err != nil {
		return nil, err
	}

	// response_format is left unset: gpt-image models reject it and always
	// answer with data, DALL·E answers with URLs by default. Both are kept.
	params := openai.ImageGenerateParams{Model: model, Prompt: req.Prompt}
	if req.Size != "" {
		params.Size = openai.ImageGenerateParamsSize(req.Size)
	}
	if req.N > 0 {
		params.N = openai.Int(int64(req.N))
	}
	start := time.Now()
	res, err := o.images.Generate(ctx, params)
	elapsed := time.Since(start)
	if err != nil {
		return nil, classify(ctx, err, o.apiKey)
	}
	out := &ImageResponse{Model: model, Duration: elapsed}
	for _, img := range res.Data {
		if img.URL != "" {
			out.URLs = append(out.URLs, img.URL)
		}
		if img.B64JSON != "" {
			out.B64 = append(out.B64, img.B64JSON)
		}
	}
	if len(out.URLs) == 0 && len(out.B64) == 0 {
		return nil, errs.Wrap(&providerError{kind: "no images"}, errs.Unavailable, "AI provider returned no images")
	}
	return out, nil
}

// redactURL drops userinfo and query from a URL for messages: either may
// hold a credential for a proxy in front of the provider.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}
