package aitest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/ai/aitest"
)

// These tests speak raw HTTP to pin the wire protocol itself; the ai
// package's tests drive the same server through the openai-go client.

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func post(t *testing.T, srv *aitest.Server, path, key, body string) answer {
	t.Helper()
	return postCtx(t, context.Background(), srv, path, key, body)
}

func postCtx(t *testing.T, ctx context.Context, srv *aitest.Server, path, key, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(srv.URL(), "/v1")+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(raw, &decoded), "body: %s", raw)
	return answer{status: res.StatusCode, header: res.Header, body: decoded}
}

const chatBody = `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Answer in JSON."},{"role":"user","content":"Cluster espresso, latte"}],"temperature":0.7,"max_tokens":100,"response_format":{"type":"json_object"}}`

func errorOf(t *testing.T, a answer) map[string]any {
	t.Helper()
	e, ok := a.body["error"].(map[string]any)
	require.True(t, ok, "OpenAI error shape expected, got %v", a.body)
	for _, k := range []string{"message", "type", "param", "code"} {
		assert.Contains(t, e, k)
	}
	return e
}

func TestURLAndPaths(t *testing.T) {
	srv := aitest.New(t)
	assert.True(t, strings.HasSuffix(srv.URL(), "/v1"))
	assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"))
	assert.True(t, strings.HasPrefix(srv.APIKey(), "sk-aitest-"))
	assert.NotEqual(t, srv.APIKey(), aitest.New(t).APIKey(), "a key per server")
}

func TestChatCompletionShape(t *testing.T) {
	srv := aitest.New(t)
	srv.ReplyWithUsage(`{"clusters":[]}`, 30, 4)

	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	assert.True(t, strings.HasPrefix(a.body["id"].(string), "chatcmpl-"))
	assert.Equal(t, "chat.completion", a.body["object"])
	assert.InDelta(t, float64(time.Now().Unix()), a.body["created"], 5)
	assert.Equal(t, "gpt-4o-mini", a.body["model"])
	assert.Equal(t, []any{map[string]any{
		"index": float64(0),
		"message": map[string]any{
			"role": "assistant", "content": `{"clusters":[]}`, "refusal": nil, "annotations": []any{},
		},
		"logprobs":      nil,
		"finish_reason": "stop",
	}}, a.body["choices"])
	assert.Equal(t, map[string]any{
		"prompt_tokens": float64(30), "completion_tokens": float64(4), "total_tokens": float64(34),
	}, a.body["usage"])

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, aitest.ChatCompletionsPath, reqs[0].Path)
	assert.True(t, reqs[0].HasAuthorization)
	assert.True(t, reqs[0].Authorized)
	assert.Equal(t, map[string]any{"type": "json_object"}, reqs[0].Body["response_format"])
	assert.JSONEq(t, chatBody, string(reqs[0].RawBody))
}

func TestEstimatedUsage(t *testing.T) {
	srv := aitest.New(t)
	srv.Reply("12345678") // 8 characters: 2 tokens

	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(),
		`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"abcd"},{"type":"text","text":"efgh1"}]}]}`)
	require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	assert.Equal(t, map[string]any{
		"prompt_tokens": float64(3), "completion_tokens": float64(2), "total_tokens": float64(5),
	}, a.body["usage"], "content parts count too: 9 characters, 3 tokens")
}

func TestAuthorizationRequired(t *testing.T) {
	srv := aitest.New(t)
	srv.Reply("kept for the authorized request")

	a := post(t, srv, aitest.ChatCompletionsPath, "", chatBody)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	e := errorOf(t, a)
	assert.Contains(t, e["message"], "You didn't provide an API key")
	assert.Equal(t, "invalid_request_error", e["type"])
	assert.Nil(t, e["code"])

	wrong := "sk-wrong-0123456789wxyz"
	a = post(t, srv, aitest.ChatCompletionsPath, wrong, chatBody)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	e = errorOf(t, a)
	assert.Equal(t, "invalid_api_key", e["code"])
	assert.Contains(t, e["message"], "Incorrect API key provided: sk-****************wxyz.")
	assert.NotContains(t, e["message"], wrong, "masked as OpenAI does")

	assert.Equal(t, 1, srv.Pending(), "rejected requests take no scripted answer")
	a = post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Equal(t, http.StatusOK, a.status)

	reqs := srv.Requests()
	require.Len(t, reqs, 3, "rejected requests are recorded too")
	assert.False(t, reqs[0].HasAuthorization)
	assert.True(t, reqs[1].HasAuthorization)
	assert.False(t, reqs[1].Authorized)
}

func TestEmptyQueueAnswers500(t *testing.T) {
	srv := aitest.New(t)
	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.Equal(t, "false", a.header.Get("X-Should-Retry"))
	e := errorOf(t, a)
	assert.Equal(t, "aitest: no scripted reply", e["message"])
	assert.Equal(t, "server_error", e["type"])
	assert.NotContains(t, a.body, "choices")
}

func TestFailShapes(t *testing.T) {
	srv := aitest.New(t)
	srv.Fail(http.StatusTooManyRequests, "Rate limit reached")
	srv.Fail(http.StatusBadRequest, "Invalid 'messages'")
	srv.Fail(http.StatusServiceUnavailable, "overloaded")
	srv.FailWith(aitest.Response{Status: http.StatusTooManyRequests, ErrorType: "insufficient_quota", ErrorCode: "insufficient_quota", Header: http.Header{"Retry-After": {"7"}}})

	want := []struct {
		status    int
		typ, code any
	}{
		{429, "requests", "rate_limit_exceeded"},
		{400, "invalid_request_error", nil},
		{503, "server_error", nil},
		{429, "insufficient_quota", "insufficient_quota"},
	}
	for i, w := range want {
		a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
		assert.Equal(t, w.status, a.status, "answer %d", i)
		e := errorOf(t, a)
		assert.Equal(t, w.typ, e["type"], "answer %d", i)
		assert.Equal(t, w.code, e["code"], "answer %d", i)
		if i == 3 {
			assert.Equal(t, "7", a.header.Get("Retry-After"))
		}
	}
}

func TestFailAppliesToAnyEndpoint(t *testing.T) {
	srv := aitest.New(t)
	srv.Fail(http.StatusBadGateway, "bad gateway")
	a := post(t, srv, aitest.ImageGenerationsPath, srv.APIKey(), `{"prompt":"a cup"}`)
	assert.Equal(t, http.StatusBadGateway, a.status)
}

func TestRequestValidation(t *testing.T) {
	srv := aitest.New(t)
	cases := []struct {
		path, body string
		status     int
		message    string
	}{
		{aitest.ChatCompletionsPath, `{"model":"m","messages":[{"role":"user","content":"Cluster these"}],"response_format":{"type":"json_object"}}`,
			400, "must contain the word 'json'"},
		{aitest.ChatCompletionsPath, `{"messages":[{"role":"user","content":"x"}]}`, 400, "you must provide a model parameter"},
		{aitest.ChatCompletionsPath, `{"model":"m","messages":[]}`, 400, "too short"},
		{aitest.ChatCompletionsPath, `{"model":"m","messages":[{"role":"robot","content":"x"}]}`, 400, "messages[0].role"},
		{aitest.ChatCompletionsPath, `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"yaml"}}`, 400, "response_format.type"},
		{aitest.ChatCompletionsPath, `not json`, 400, "could not parse the JSON body"},
		{aitest.ImageGenerationsPath, `{"model":"dall-e-3"}`, 400, "Missing required parameter: 'prompt'"},
		{"/v1/embeddings", `{}`, 404, "Invalid URL (POST /v1/embeddings)"},
		{"/chat/completions", chatBody, 404, "Invalid URL"},
	}
	for _, c := range cases {
		a := post(t, srv, c.path, srv.APIKey(), c.body)
		assert.Equal(t, c.status, a.status, c.body)
		assert.Contains(t, errorOf(t, a)["message"], c.message, c.body)
	}
	assert.Len(t, srv.Requests(), len(cases))
}

func TestImagesShape(t *testing.T) {
	srv := aitest.New(t)
	srv.ImageReply("https://img.example/1.png", "https://img.example/2.png")
	srv.ImageReplyB64("aGVsbG8=")

	a := post(t, srv, aitest.ImageGenerationsPath, srv.APIKey(), `{"model":"dall-e-3","prompt":"a cup","n":2,"size":"1024x1024"}`)
	require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	assert.Contains(t, a.body, "created")
	assert.Equal(t, []any{
		map[string]any{"url": "https://img.example/1.png"},
		map[string]any{"url": "https://img.example/2.png"},
	}, a.body["data"])

	a = post(t, srv, aitest.ImageGenerationsPath, srv.APIKey(), `{"model":"gpt-image-1","prompt":"a cup"}`)
	assert.Equal(t, []any{map[string]any{"b64_json": "aGVsbG8="}}, a.body["data"])
}

func TestScriptedKindMustMatchEndpoint(t *testing.T) {
	srv := aitest.New(t)
	srv.ImageReply("https://img.example/1.png")

	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.Contains(t, errorOf(t, a)["message"], "next scripted answer is an image generation (scripted at server_test.go:")
	assert.Equal(t, "false", a.header.Get("X-Should-Retry"))
}

func TestReplyFuncAndRespond(t *testing.T) {
	srv := aitest.New(t)
	var seen aitest.ChatRequest
	srv.ReplyFunc(func(req aitest.ChatRequest) aitest.Response {
		seen = req
		return aitest.Response{Content: "ok", Model: "gpt-4o-mini-2024-07-18", FinishReason: "length"}
	})
	srv.Respond(aitest.Response{Status: http.StatusConflict, ErrorMessage: "busy", Header: http.Header{"Retry-After-Ms": {"5"}}})
	srv.Respond(aitest.Response{Refusal: "I can't help with that."})

	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	require.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, "gpt-4o-mini-2024-07-18", a.body["model"])
	assert.Equal(t, "length", a.body["choices"].([]any)[0].(map[string]any)["finish_reason"])
	assert.Equal(t, "gpt-4o-mini", seen.Model)
	require.Len(t, seen.Messages, 2)
	assert.Equal(t, aitest.ChatMessage{Role: "user", Content: "Cluster espresso, latte"}, seen.Messages[1])
	require.NotNil(t, seen.Temperature)
	assert.Equal(t, 0.7, *seen.Temperature)
	require.NotNil(t, seen.MaxTokens)
	assert.EqualValues(t, 100, *seen.MaxTokens)
	assert.Nil(t, seen.MaxCompletionTokens)
	assert.Equal(t, &aitest.ResponseFormat{Type: "json_object"}, seen.ResponseFormat)

	a = post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Equal(t, http.StatusConflict, a.status)
	assert.Equal(t, "5", a.header.Get("Retry-After-Ms"))
	assert.Equal(t, "busy", errorOf(t, a)["message"])

	a = post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	msg := a.body["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)
	assert.Nil(t, msg["content"])
	assert.Equal(t, "I can't help with that.", msg["refusal"])
}

func TestDelayHonoursCancellation(t *testing.T) {
	srv := aitest.New(t)
	srv.Delay(200 * time.Millisecond)
	srv.Reply("slow")
	srv.Reply("fast")

	start := time.Now()
	a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	assert.Equal(t, "slow", a.body["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)["content"])

	start = time.Now()
	post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Less(t, time.Since(start), 200*time.Millisecond, "Delay applies to one answer only")

	// A Delay slows the answer scripted after it, not whatever comes next.
	srv.Reply("first")
	srv.Delay(200 * time.Millisecond)
	srv.Reply("second")
	start = time.Now()
	post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Less(t, time.Since(start), 200*time.Millisecond)
	start = time.Now()
	post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)

	// With nothing scripted after it, it slows the empty-script answer.
	srv.Delay(100 * time.Millisecond)
	start = time.Now()
	a = post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

	srv.Delay(time.Hour)
	srv.Reply("lost")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(srv.URL(), "/v1")+aitest.ChatCompletionsPath, strings.NewReader(chatBody))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey())
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// The handler must notice the client left, or closing the server at the
	// end of the test would wait the whole hour.
	assert.Eventually(t, func() bool { return srv.Pending() == 0 }, 5*time.Second, 10*time.Millisecond,
		"the answer was taken and lost with the client")
}

func TestConcurrentRequests(t *testing.T) {
	srv := aitest.New(t)
	const n = 10
	for range n {
		srv.ReplyFunc(func(req aitest.ChatRequest) aitest.Response {
			return aitest.Response{Content: "re: " + req.Messages[0].Content}
		})
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":"q%d"}]}`, i)
			a := post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), body)
			assert.Equal(t, fmt.Sprintf("re: q%d", i),
				a.body["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)["content"])
		})
	}
	wg.Wait()
	assert.Len(t, srv.Requests(), n)
}

// recordingTB captures what the server reports at the end of a test, so the
// leftover check itself can be tested without failing this test.
type recordingTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
	errors   []string
}

func (r *recordingTB) Helper()           {}
func (r *recordingTB) Cleanup(fn func()) { r.cleanups = append(r.cleanups, fn) }
func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestUnusedScriptFailsTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	srv := aitest.New(rec)
	srv.Reply("used")
	srv.Reply("never asked for")
	post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	rec.finish()

	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], "1 scripted answer(s) never requested")
	assert.Contains(t, rec.errors[0], "a chat completion scripted at server_test.go:")

	clean := &recordingTB{TB: t}
	srv = aitest.New(clean)
	srv.Reply("used")
	post(t, srv, aitest.ChatCompletionsPath, srv.APIKey(), chatBody)
	clean.finish()
	assert.Empty(t, clean.errors)
}
