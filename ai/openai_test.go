package ai_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/ai/aitest"
	"github.com/igny8/igny8-go/errs"
)

// newProvider points a real openai-go based provider at the fake. Each test
// states the retries it wants; fast defaults keep the suite quick.
func newProvider(t *testing.T, srv *aitest.Server, edit func(*ai.OpenAIConfig)) *ai.OpenAI {
	t.Helper()
	cfg := ai.OpenAIConfig{
		BaseURL:    srv.URL(),
		APIKey:     srv.APIKey(),
		Model:      "gpt-4o-mini",
		ImageModel: "dall-e-3",
		Timeout:    5 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	p, err := ai.NewOpenAI(cfg)
	require.NoError(t, err)
	return p
}

func userPrompt(text string) ai.TextRequest {
	return ai.TextRequest{Messages: []ai.Message{{Role: ai.RoleUser, Content: text}}}
}

func TestCompleteJSONRoundTrip(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Respond(aitest.Response{
		Content: `{"clusters":[{"name":"Coffee","keywords":["espresso"]}]}`,
		Model:   "gpt-4o-mini-2024-07-18",
		Usage:   &aitest.Usage{PromptTokens: 42, CompletionTokens: 17},
	})
	p := newProvider(t, srv, nil)

	temp := 0.7
	res, err := p.Complete(context.Background(), ai.TextRequest{
		System:      "You group keywords. Answer with one JSON object.",
		Messages:    []ai.Message{{Role: ai.RoleUser, Content: "Cluster: espresso"}},
		Temperature: &temp,
		MaxTokens:   8192,
		JSON:        true,
	})
	require.NoError(t, err)
	assert.Equal(t, `{"clusters":[{"name":"Coffee","keywords":["espresso"]}]}`, res.Content)
	assert.Equal(t, "gpt-4o-mini-2024-07-18", res.Model, "the model the provider reports, for cost tracking")
	assert.EqualValues(t, 42, res.PromptTokens)
	assert.EqualValues(t, 17, res.CompletionTokens)
	assert.Equal(t, "stop", res.FinishReason)
	assert.Positive(t, res.Duration)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, aitest.ChatCompletionsPath, r.Path)
	assert.True(t, r.HasAuthorization)
	assert.True(t, r.Authorized)
	assert.Equal(t, "gpt-4o-mini", r.Body["model"])
	assert.Equal(t, map[string]any{"type": "json_object"}, r.Body["response_format"])
	assert.Equal(t, 0.7, r.Body["temperature"])
	assert.Equal(t, float64(8192), r.Body["max_tokens"])
	assert.Equal(t, []any{
		map[string]any{"role": "system", "content": "You group keywords. Answer with one JSON object."},
		map[string]any{"role": "user", "content": "Cluster: espresso"},
	}, r.Body["messages"])
}

func TestCompleteOmitsUnsetOptions(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Reply("Hello there, friend")
	p := newProvider(t, srv, nil)

	req := userPrompt("Say hello")
	req.Model = "llama3.1"
	req.Messages = append(req.Messages,
		ai.Message{Role: ai.RoleAssistant, Content: "Hi"},
		ai.Message{Role: ai.RoleUser, Content: "Again"})
	res, err := p.Complete(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "Hello there, friend", res.Content)
	assert.Equal(t, "llama3.1", res.Model, "the request's model wins over the default")
	assert.Positive(t, res.PromptTokens, "estimated by the fake from the text length")
	assert.EqualValues(t, 5, res.CompletionTokens, "19 characters at about four a token")

	body := srv.Requests()[0].Body
	for _, absent := range []string{"temperature", "max_tokens", "response_format"} {
		assert.NotContains(t, body, absent, "the provider's default applies when unset")
	}
	msgs := body["messages"].([]any)
	require.Len(t, msgs, 3, "no system message when System is empty")
	assert.Equal(t, "assistant", msgs[1].(map[string]any)["role"])
}

func TestRateLimitIsRetriedThenUnavailable(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	for range 3 { // the first attempt and MaxRetries = 2 retries
		srv.FailWith(aitest.Response{
			Status:       http.StatusTooManyRequests,
			ErrorMessage: "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.",
			// Retry-After-Ms keeps the SDK's wait short; both are kept.
			Header: http.Header{"Retry-After-Ms": {"20"}, "Retry-After": {"1"}},
		})
	}
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.MaxRetries = 2 })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.Error(t, err)
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.True(t, ai.IsRetryable(err))
	assert.Contains(t, errs.As(err).Message, "rate limited")
	assert.Contains(t, errs.As(err).Message, "retry after 20ms")
	after, ok := ai.RetryAfter(err)
	assert.True(t, ok)
	assert.Equal(t, 20*time.Millisecond, after)

	reqs := srv.Requests()
	require.Len(t, reqs, 3, "retried by the SDK up to MaxRetries")
	for i, r := range reqs {
		assert.Equal(t, []string{string(rune('0' + i))}, r.Header.Values("X-Stainless-Retry-Count"))
	}
}

func TestServerErrorIsRetriedThenUnavailable(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	for range 3 {
		srv.Fail(http.StatusInternalServerError, "The server had an error while processing your request.")
	}
	// No Retry-After: the SDK's own backoff (about 0.5 s, then 1 s).
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.MaxRetries = 2 })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.Error(t, err)
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.True(t, ai.IsRetryable(err))
	assert.Contains(t, err.Error(), "HTTP 500")
	_, ok := ai.RetryAfter(err)
	assert.False(t, ok)
	assert.Len(t, srv.Requests(), 3)
}

func TestTransientErrorRecoversOnRetry(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.FailWith(aitest.Response{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After-Ms": {"1"}}})
	srv.Reply("recovered")
	p := newProvider(t, srv, nil) // MaxRetries 0 means the default, 2

	res, err := p.Complete(context.Background(), userPrompt("hi"))
	require.NoError(t, err)
	assert.Equal(t, "recovered", res.Content)
	assert.Len(t, srv.Requests(), 2)
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Fail(http.StatusBadGateway, "upstream connect error")
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.MaxRetries = -1 })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.True(t, ai.IsRetryable(err), "still retryable later, by the job runner")
	assert.Len(t, srv.Requests(), 1)
}

func TestBadRequestIsInvalidAndNotRetried(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.FailWith(aitest.Response{
		Status:       http.StatusBadRequest,
		ErrorMessage: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
		ErrorCode:    "unsupported_parameter",
	})
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.MaxRetries = 2 })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.Error(t, err)
	assert.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.False(t, ai.IsRetryable(err))
	assert.Contains(t, errs.As(err).Message, "max_completion_tokens", "the provider's reason is kept")
	assert.Len(t, srv.Requests(), 1, "a 400 is not retried")
}

func TestProviderMessagesAreRedacted(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.FailWith(aitest.Response{
		Status:       http.StatusNotFound,
		ErrorMessage: "The model `gpt-9` does not exist or key " + srv.APIKey() + " (sk-abc****wxyz) has no access to it.",
		ErrorCode:    "model_not_found",
	})
	p := newProvider(t, srv, nil)

	_, err := p.Complete(context.Background(), ai.TextRequest{Model: "gpt-9", Messages: userPrompt("hi").Messages})
	require.Error(t, err)
	assert.True(t, errs.Is(err, errs.Invalid), "an unknown model is a bad request: got %v", err)
	assert.Contains(t, err.Error(), "gpt-9")
	assert.NotContains(t, err.Error(), srv.APIKey())
	assert.NotContains(t, err.Error(), "wxyz")
}

func TestWrongKeyIsUnauthenticatedAndNotEchoed(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	const wrong = "sk-proj-WRONGkey0123456789abcdef"
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.APIKey = wrong; c.MaxRetries = 2 })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.Error(t, err)
	assert.True(t, errs.Is(err, errs.Unauthenticated), "got %v", err)
	assert.False(t, ai.IsRetryable(err))
	assert.Contains(t, errs.As(err).Message, "rejected the API key")
	for _, s := range []string{err.Error(), errs.As(err).Message} {
		assert.NotContains(t, s, wrong)
		assert.NotContains(t, s, wrong[len(wrong)-4:], "not even OpenAI's masked echo of the key")
		assert.NotContains(t, s, "Incorrect API key provided")
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "a 401 is not retried")
	assert.True(t, reqs[0].HasAuthorization)
	assert.False(t, reqs[0].Authorized)
}

func TestMissingKeyIsUnauthenticated(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.APIKey = "" }) // allowed: local servers need none

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Unauthenticated), "got %v", err)
	assert.False(t, srv.Requests()[0].HasAuthorization)
}

func TestForbiddenIsForbidden(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.FailWith(aitest.Response{Status: http.StatusForbidden, ErrorMessage: "Country, region, or territory not supported", ErrorCode: "unsupported_country_region_territory"})
	p := newProvider(t, srv, nil)

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Forbidden), "got %v", err)
	assert.Contains(t, errs.As(err).Message, "rejected the API key")
	assert.False(t, ai.IsRetryable(err))
	assert.NotContains(t, err.Error(), srv.APIKey())
}

func TestExhaustedQuotaIsNotRetryable(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	for range 3 { // the SDK retries every 429; only the classification differs
		srv.FailWith(aitest.Response{
			Status:       http.StatusTooManyRequests,
			ErrorMessage: "You exceeded your current quota, please check your plan and billing details.",
			ErrorType:    "insufficient_quota",
			ErrorCode:    "insufficient_quota",
			Header:       http.Header{"Retry-After-Ms": {"1"}},
		})
	}
	p := newProvider(t, srv, nil)

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.Equal(t, "AI provider quota exhausted", errs.As(err).Message)
	assert.False(t, ai.IsRetryable(err))
}

func TestSlowAnswerTimesOut(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Delay(10 * time.Second)
	srv.Reply("too late")
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.Timeout = 150 * time.Millisecond })

	start := time.Now()
	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "the per-attempt timeout ended the call")
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.Contains(t, errs.As(err).Message, "did not answer in time")
	assert.True(t, ai.IsRetryable(err))
	assert.False(t, errors.Is(err, context.DeadlineExceeded),
		"the SDK's timeout must not look like the caller's own deadline")
}

func TestCallerCancellationReturnsContextError(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Delay(10 * time.Second)
	srv.Reply("never seen")
	p := newProvider(t, srv, nil)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := p.Complete(ctx, userPrompt("hi"))
	assert.Equal(t, context.Canceled, err, "returned as the context error")
	assert.False(t, ai.IsRetryable(err))
}

func TestCallerDeadlineReturnsContextError(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Delay(10 * time.Second)
	srv.Reply("never seen")
	p := newProvider(t, srv, nil) // Timeout 5 s: the caller's deadline is first

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := p.Complete(ctx, userPrompt("hi"))
	assert.Equal(t, context.DeadlineExceeded, err)
	assert.False(t, ai.IsRetryable(err))
}

func TestConnectionErrorIsUnavailableAndRetryable(t *testing.T) {
	t.Parallel()
	// A listener that hangs up on every connection: a dead upstream behind
	// a live port. (A closed port could be reused by a parallel test.)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()

	p, err := ai.NewOpenAI(ai.OpenAIConfig{BaseURL: "http://" + ln.Addr().String() + "/v1", APIKey: "sk-test-unreachable", Model: "m", MaxRetries: -1})
	require.NoError(t, err)
	_, err = p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)
	assert.Equal(t, "AI provider could not be reached", errs.As(err).Message)
	assert.True(t, ai.IsRetryable(err))
	assert.NotContains(t, err.Error(), "sk-test-unreachable")
}

func TestEmptyScriptIsAnErrorNeverContent(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.MaxRetries = 2 })

	res, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.Nil(t, res)
	assert.True(t, errs.Is(err, errs.Unavailable), "the fake answered 500: got %v", err)
	assert.Len(t, srv.Requests(), 1, "the fake tells the SDK not to retry a missing script")
}

func TestJSONModeWithoutTheWordJSONIsRejected(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	p := newProvider(t, srv, nil)

	req := userPrompt("Group these keywords")
	req.JSON = true
	_, err := p.Complete(context.Background(), req)
	assert.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Contains(t, err.Error(), "must contain the word 'json'")
}

func TestRefusalIsAnErrorEmptyContentIsNot(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.Respond(aitest.Response{Refusal: "I'm sorry, I can't help with that."})
	srv.Respond(aitest.Response{Content: ""})
	p := newProvider(t, srv, nil)

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Contains(t, errs.As(err).Message, "refused")
	assert.False(t, ai.IsRetryable(err))

	// An empty answer without a refusal is returned as it is: the caller's
	// parser decides what it is worth.
	res, err := p.Complete(context.Background(), userPrompt("hi"))
	require.NoError(t, err)
	assert.Empty(t, res.Content)
}

func TestReplyFuncSeesTheRequest(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.ReplyFunc(func(req aitest.ChatRequest) aitest.Response {
		last := req.Messages[len(req.Messages)-1]
		return aitest.Response{Content: strings.ToUpper(last.Content), FinishReason: "length"}
	})
	p := newProvider(t, srv, nil)

	res, err := p.Complete(context.Background(), userPrompt("shout this"))
	require.NoError(t, err)
	assert.Equal(t, "SHOUT THIS", res.Content)
	assert.Equal(t, "length", res.FinishReason)
}

func TestCompleteValidatesBeforeCalling(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.Model = "" })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	require.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Contains(t, errs.As(err).Fields, "model")

	_, err = p.Complete(context.Background(), ai.TextRequest{Model: "m", Messages: []ai.Message{{Role: "system", Content: "x"}}})
	require.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Contains(t, errs.As(err).Fields, "messages")

	_, err = p.Complete(context.Background(), ai.TextRequest{Model: "m"})
	assert.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Empty(t, srv.Requests(), "nothing is sent for an incomplete request")
}

func TestImagesRoundTrip(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.ImageReply("https://images.example/a.png", "https://images.example/b.png")
	p := newProvider(t, srv, nil)

	res, err := p.Generate(context.Background(), ai.ImageRequest{
		Prompt: "A realistic photo of an espresso cup, no text or logos",
		Size:   "1024x1024",
		N:      2,
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"https://images.example/a.png", "https://images.example/b.png"}, res.URLs)
	assert.Empty(t, res.B64)
	assert.Equal(t, "dall-e-3", res.Model)
	assert.Positive(t, res.Duration)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, aitest.ImageGenerationsPath, reqs[0].Path)
	assert.True(t, reqs[0].Authorized)
	assert.Equal(t, map[string]any{
		"model":  "dall-e-3",
		"prompt": "A realistic photo of an espresso cup, no text or logos",
		"size":   "1024x1024",
		"n":      float64(2),
	}, reqs[0].Body, "no response_format: gpt-image models reject it")
}

func TestImagesBase64AndErrors(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	srv.ImageReplyB64("aGVsbG8=")
	srv.FailWith(aitest.Response{Status: http.StatusBadRequest, ErrorMessage: "Your request was rejected as a result of our safety system.", ErrorCode: "content_policy_violation"})
	srv.ImageReply() // an answer without images
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.ImageModel = "" })

	res, err := p.Generate(context.Background(), ai.ImageRequest{Model: "gpt-image-1", Prompt: "a cup"})
	require.NoError(t, err)
	assert.Equal(t, []string{"aGVsbG8="}, res.B64)
	assert.Equal(t, "gpt-image-1", res.Model)

	_, err = p.Generate(context.Background(), ai.ImageRequest{Model: "gpt-image-1", Prompt: "a cup"})
	assert.True(t, errs.Is(err, errs.Invalid), "got %v", err)
	assert.Contains(t, err.Error(), "safety system")

	_, err = p.Generate(context.Background(), ai.ImageRequest{Model: "gpt-image-1", Prompt: "a cup"})
	assert.True(t, errs.Is(err, errs.Unavailable), "got %v", err)

	_, err = p.Generate(context.Background(), ai.ImageRequest{Prompt: "a cup"})
	assert.True(t, errs.Is(err, errs.Invalid), "no image model anywhere: got %v", err)
	assert.Contains(t, errs.As(err).Fields, "model")
}

func TestUnconfigured(t *testing.T) {
	t.Parallel()
	var text ai.TextProvider = ai.Unconfigured{}
	var image ai.ImageProvider = ai.Unconfigured{}

	res, err := text.Complete(context.Background(), userPrompt("hi"))
	assert.Nil(t, res)
	assert.Same(t, ai.ErrNotConfigured, err)
	assert.True(t, errs.Is(err, errs.Unavailable))
	assert.Equal(t, "AI provider not configured", errs.As(err).Message)
	assert.False(t, ai.IsRetryable(err))

	img, err := image.Generate(context.Background(), ai.ImageRequest{Prompt: "x"})
	assert.Nil(t, img)
	assert.ErrorIs(t, err, ai.ErrNotConfigured)
}

func TestNewOpenAIValidatesConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]ai.OpenAIConfig{
		"relative URL":           {BaseURL: "localhost:11434/v1"},
		"other scheme":           {BaseURL: "ftp://example.com/v1"},
		"OpenAI without key":     {},
		"OpenAI explicit no key": {BaseURL: "https://api.openai.com/v1"},
		"negative timeout":       {BaseURL: "http://localhost:11434/v1", Timeout: -time.Second},
	} {
		_, err := ai.NewOpenAI(cfg)
		assert.True(t, errs.Is(err, errs.Invalid), "%s: got %v", name, err)
	}
	_, err := ai.NewOpenAI(ai.OpenAIConfig{BaseURL: "ftp://user:secret@example.com/v1?key=hush"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret", "credentials in the URL are not repeated")
	assert.NotContains(t, err.Error(), "hush")
	_, err = ai.NewOpenAI(ai.OpenAIConfig{BaseURL: "http://localhost:11434/v1"})
	assert.NoError(t, err, "local servers need no key")
}

// The SDK's client constructor reads OPENAI_* variables; the provider must
// not, or an ambient key would be sent to whatever BaseURL says.
func TestEnvironmentIsIgnored(t *testing.T) {
	srv := aitest.New(t)
	t.Setenv("OPENAI_API_KEY", srv.APIKey())
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	t.Setenv("OPENAI_ORG_ID", "org-ambient")
	p := newProvider(t, srv, func(c *ai.OpenAIConfig) { c.APIKey = "" })

	_, err := p.Complete(context.Background(), userPrompt("hi"))
	assert.True(t, errs.Is(err, errs.Unauthenticated), "no key configured, none taken from the environment: got %v", err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "the configured base URL was used")
	assert.False(t, reqs[0].HasAuthorization)
	assert.Empty(t, reqs[0].Header.Get("OpenAI-Organization"))
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := aitest.New(t)
	const n = 8
	for range n {
		srv.ReplyFunc(func(req aitest.ChatRequest) aitest.Response {
			return aitest.Response{Content: "echo " + req.Messages[0].Content}
		})
	}
	p := newProvider(t, srv, nil)

	errc := make(chan error, n)
	for i := range n {
		go func() {
			prompt := strings.Repeat("x", i+1)
			res, err := p.Complete(context.Background(), userPrompt(prompt))
			if err == nil && res.Content != "echo "+prompt {
				err = errors.New("answer for another request: " + res.Content)
			}
			errc <- err
		}()
	}
	for range n {
		assert.NoError(t, <-errc)
	}
}
