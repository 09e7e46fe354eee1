// Package aitest is a fake OpenAI-compatible HTTP server for tests: a
// loopback httptest.Server that speaks the real wire protocol, so the code
// under test runs through the real openai-go client, its retries, timeouts
// and error decoding.
//
// Answers are scripted in order (Reply, ReplyWithUsage, ReplyFunc, Respond,
// Fail, ImageReply); each request takes the next one. Nothing is ever made
// up: a request with nothing scripted gets a 500 "aitest: no scripted reply",
// and a test that ends with scripted answers nobody asked for fails, because
// it means the code under test made fewer calls than the test believed.
//
// Point a client at URL() with the key from APIKey():
//
//	srv := aitest.New(t)
//	srv.Reply(`{"clusters":[]}`)
//	p, _ := ai.NewOpenAI(ai.OpenAIConfig{BaseURL: srv.URL(), APIKey: srv.APIKey(), Model: "gpt-4o-mini"})
package aitest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Paths the server answers, relative to its root. URL() ends in /v1, and the
// SDK (option.WithBaseURL adds the trailing slash) resolves "chat/completions"
// against it, so requests arrive at exactly these paths.
const (
	ChatCompletionsPath  = "/v1/chat/completions"
	ImageGenerationsPath = "/v1/images/generations"
)

// RecordedRequest is one request the server received, in arrival order,
// including those it rejected (bad key, bad JSON, nothing scripted).
type RecordedRequest struct {
	Method string
	Path   string
	// Body is the decoded JSON body, nil when it was not a JSON object.
	Body map[string]any
	// RawBody is the body as received.
	RawBody []byte
	// HasAuthorization tells whether an Authorization header was sent at
	// all; Authorized whether it was "Bearer <APIKey()>".
	HasAuthorization bool
	Authorized       bool
	// Header is a copy of the request headers (the SDK's
	// X-Stainless-Retry-Count tells retries apart).
	Header http.Header
}

// ChatMessage is one message of a chat completion request.
type ChatMessage struct {
	Role string `json:"role"`
	// Content is the message text; content sent as an array of parts is
	// joined from its text parts.
	Content string `json:"-"`
}

// UnmarshalJSON accepts both shapes the protocol allows for content: a
// string, or an array of {type:"text", text} parts.
func (m *ChatMessage) UnmarshalJSON(data []byte) error {
	var raw struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	m.Role = raw.Role
	m.Content = ""
	if len(raw.Content) == 0 || string(raw.Content) == "null" {
		return nil
	}
	if raw.Content[0] == '"' {
		return json.Unmarshal(raw.Content, &m.Content)
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw.Content, &parts); err != nil {
		return fmt.Errorf("content must be a string or an array of parts: %w", err)
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	m.Content = b.String()
	return nil
}

// ResponseFormat is the response_format of a chat request.
type ResponseFormat struct {
	Type string `json:"type"`
}

// ChatRequest is a decoded chat completion request, handed to ReplyFunc.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []ChatMessage   `json:"messages"`
	Temperature         *float64        `json:"temperature"`
	MaxTokens           *int64          `json:"max_tokens"`
	MaxCompletionTokens *int64          `json:"max_completion_tokens"`
	ResponseFormat      *ResponseFormat `json:"response_format"`
	N                   *int64          `json:"n"`
}

// Usage is the token accounting of an answer.
type Usage struct {
	PromptTokens, CompletionTokens int64
}

// Response scripts one answer to a chat completion request. A zero Status
// means 200 with Content; any other status answers OpenAI's error shape.
type Response struct {
	Status  int
	Content string
	// Refusal, when set, answers as a model that declined: content null,
	// refusal set, as OpenAI does.
	Refusal string
	// FinishReason defaults to "stop".
	FinishReason string
	// Model defaults to the requested model (OpenAI answers with the dated
	// snapshot it used; set it to exercise that).
	Model string
	// Usage defaults to an estimate of about four characters a token.
	Usage *Usage
	// ErrorMessage, ErrorType and ErrorCode fill {"error":{message, type,
	// code}} of an error answer; type and code default from the status as
	// OpenAI sets them.
	ErrorMessage, ErrorType, ErrorCode string
	// Header is added to the answer, e.g. Retry-After or x-should-retry.
	Header http.Header
}

type entryKind int

const (
	chatEntry entryKind = iota
	imageEntry
	failEntry
)

func (k entryKind) String() string {
	switch k {
	case chatEntry:
		return "a chat completion"
	case imageEntry:
		return "an image generation"
	default:
		return "an error answer"
	}
}

// entry is one scripted answer.
type entry struct {
	kind   entryKind
	chat   func(ChatRequest) Response // chatEntry
	fail   Response                   // failEntry
	urls   []string                   // imageEntry
	b64    []string                   // imageEntry
	delay  time.Duration              // wait before answering (Delay)
	origin string                     // where it was scripted, for messages
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	t      testing.TB
	srv    *httptest.Server
	apiKey string

	mu    sync.Mutex
	queue []entry
	// delay is a Delay waiting for the next scripted answer.
	delay    time.Duration
	requests []RecordedRequest
	served   int
}

// New starts a fake on a loopback port, closed when the test ends. The test
// fails at its end if scripted answers were left unused.
func New(t testing.TB) *Server {
	t.Helper()
	key := make([]byte, 12)
	_, _ = rand.Read(key)
	s := &Server{t: t, apiKey: "sk-aitest-" + hex.EncodeToString(key)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	// Cleanups run last-registered first: the leftover check is registered
	// first so that it runs after Close has waited for every handler.
	t.Cleanup(func() {
		if t.Failed() {
			return // leftovers are then most likely a consequence, not news
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if n := len(s.queue); n > 0 {
			t.Errorf("aitest: %d scripted answer(s) never requested, the first being %s scripted at %s",
				n, s.queue[0].kind, s.queue[0].origin)
		}
	})
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the API base URL to configure clients with: the server's root plus
// "/v1", like "https://api.openai.com/v1". With or without a trailing slash
// the SDK then posts to ChatCompletionsPath and ImageGenerationsPath.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// APIKey is the only key the server accepts, random per server so that a
// test can check it never leaks into errors.
func (s *Server) APIKey() string { return s.apiKey }

// Client is an HTTP client for the server (plain loopback HTTP).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Requests returns copies of the requests received so far.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.requests))
	for i, r := range s.requests {
		r.RawBody = bytes.Clone(r.RawBody)
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// Pending is the number of scripted answers not yet taken.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Reply queues a successful chat completion answering content, with usage
// estimated from the text lengths.
func (s *Server) Reply(content string) {
	s.push(entry{kind: chatEntry, chat: func(ChatRequest) Response { return Response{Content: content} }})
}

// ReplyWithUsage queues a chat completion with explicit token counts.
func (s *Server) ReplyWithUsage(content string, promptTokens, completionTokens int64) {
	u := &Usage{PromptTokens: promptTokens, CompletionTokens: completionTokens}
	s.push(entry{kind: chatEntry, chat: func(ChatRequest) Response { return Response{Content: content, Usage: u} }})
}

// ReplyFunc queues an answer computed from the request, for answers that
// depend on the prompt (e.g. echoing the keywords to cluster).
func (s *Server) ReplyFunc(fn func(req ChatRequest) Response) {
	s.push(entry{kind: chatEntry, chat: fn})
}

// Respond queues a fully specified chat answer or error.
func (s *Server) Respond(r Response) {
	s.push(entry{kind: chatEntry, chat: func(ChatRequest) Response { return r }})
}

// Fail queues an error answer with status and body as the message of
// OpenAI's error shape {"error":{"message","type","param","code"}}. It is
// taken by the next request whatever its endpoint, like an outage would be.
func (s *Server) Fail(status int, body string) {
	s.push(entry{kind: failEntry, fail: Response{Status: status, ErrorMessage: body}})
}

// FailWith is Fail with full control over type, code and headers.
func (s *Server) FailWith(r Response) {
	if r.Status < 400 {
		s.t.Fatalf("aitest: FailWith needs an error status, got %d", r.Status)
	}
	s.push(entry{kind: failEntry, fail: r})
}

// ImageReply queues an images answer with one hosted URL per image, as
// DALL·E answers.
func (s *Server) ImageReply(urls ...string) {
	s.push(entry{kind: imageEntry, urls: append([]string(nil), urls...)})
}

// ImageReplyB64 queues an images answer with base64 data per image, as the
// gpt-image models answer.
func (s *Server) ImageReplyB64(data ...string) {
	s.push(entry{kind: imageEntry, b64: append([]string(nil), data...)})
}

// Delay makes the next scripted answer wait d before it is written: call it
// just before the Reply, Fail, … it slows, so a script reads in order
// ("slow, then this answer"). With nothing scripted after it, it slows the
// "no scripted reply" answer instead. The wait ends early when the client
// goes away, as a real server's would: the answer is then lost.
func (s *Server) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

func (s *Server) push(e entry) {
	e.origin = caller()
	s.mu.Lock()
	defer s.mu.Unlock()
	e.delay, s.delay = s.delay, 0
	s.queue = append(s.queue, e)
}

// serveHTTP authenticates, records and routes a request, then waits for a
// scripted Delay and writes the scripted answer.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "aitest: reading the body: "+err.Error(), "invalid_request_error", "", nil)
		return
	}
	auth := r.Header.Get("Authorization")
	rec := RecordedRequest{
		Method:           r.Method,
		Path:             r.URL.Path,
		RawBody:          body,
		HasAuthorization: auth != "",
		Authorized:       auth == "Bearer "+s.apiKey,
		Header:           r.Header.Clone(),
	}
	var decoded map[string]any
	if json.Unmarshal(body, &decoded) == nil {
		rec.Body = decoded
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	// Authentication comes before routing and parsing, as at OpenAI, and a
	// rejected request takes no scripted answer.
	switch {
	case !rec.HasAuthorization:
		writeError(w, http.StatusUnauthorized,
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
			"invalid_request_error", "", nil)
		return
	case !rec.Authorized:
		writeError(w, http.StatusUnauthorized,
			"Incorrect API key provided: "+maskKey(strings.TrimPrefix(auth, "Bearer "))+". You can find your API key at https://platform.openai.com/account/api-keys.",
			"invalid_request_error", "invalid_api_key", nil)
		return
	}

	var want entryKind
	switch r.URL.Path {
	case ChatCompletionsPath:
		want = chatEntry
	case ImageGenerationsPath:
		want = imageEntry
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path), "invalid_request_error", "", nil)
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path), "invalid_request_error", "", nil)
		return
	}
	if rec.Body == nil {
		writeError(w, http.StatusBadRequest,
			"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
			"invalid_request_error", "", nil)
		return
	}

	var chat ChatRequest
	if want == chatEntry {
		if err := json.Unmarshal(body, &chat); err != nil {
			writeError(w, http.StatusBadRequest, "Invalid chat completion request: "+err.Error(), "invalid_request_error", "", nil)
			return
		}
		if msg := validateChat(chat); msg != "" {
			writeError(w, http.StatusBadRequest, msg, "invalid_request_error", "", nil)
			return
		}
	} else if p, _ := rec.Body["prompt"].(string); p == "" {
		writeError(w, http.StatusBadRequest, "Missing required parameter: 'prompt'.", "invalid_request_error", "missing_required_parameter", nil)
		return
	}

	s.mu.Lock()
	var next entry
	have := len(s.queue) > 0
	if have {
		next = s.queue[0]
		s.queue = s.queue[1:]
	} else {
		next.delay, s.delay = s.delay, 0
	}
	delay := next.delay
	s.served++
	seq := s.served
	s.mu.Unlock()

	if !wait(r.Context(), delay) {
		return // the client gave up; nobody is left to answer
	}

	switch {
	case !have:
		// x-should-retry: false stops the SDK from retrying: the script is
		// what is missing, another attempt cannot find an answer.
		writeError(w, http.StatusInternalServerError, "aitest: no scripted reply", "server_error", "",
			http.Header{"X-Should-Retry": {"false"}})
	case next.kind == failEntry:
		writeResponseError(w, next.fail)
	case next.kind != want:
		writeError(w, http.StatusInternalServerError,
			fmt.Sprintf("aitest: next scripted answer is %s (scripted at %s) but the request is %s %s", next.kind, next.origin, r.Method, r.URL.Path),
			"server_error", "", http.Header{"X-Should-Retry": {"false"}})
	case want == chatEntry:
		resp := next.chat(chat)
		if resp.Status != 0 && resp.Status != http.StatusOK {
			writeResponseError(w, resp)
			return
		}
		writeChat(w, seq, chat, resp)
	default:
		writeImages(w, next)
	}
}

// validateChat applies the checks OpenAI makes before any model runs, with
// its messages, so code that would be rejected in production is rejected
// here too.
func validateChat(c ChatRequest) string {
	if c.Model == "" {
		return "you must provide a model parameter"
	}
	if len(c.Messages) == 0 {
		return "[] is too short - 'messages'"
	}
	for i, m := range c.Messages {
		switch m.Role {
		case "system", "developer", "user", "assistant", "tool":
		default:
			return fmt.Sprintf("Invalid value: '%s'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'. ('messages[%d].role')", m.Role, i)
		}
	}
	if c.ResponseFormat != nil {
		switch c.ResponseFormat.Type {
		case "text", "json_schema":
		case "json_object":
			mentions := false
			for _, m := range c.Messages {
				if strings.Contains(strings.ToLower(m.Content), "json") {
					mentions = true
					break
				}
			}
			if !mentions {
				return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."
			}
		default:
			return fmt.Sprintf("Invalid value: '%s'. Supported values are: 'json_object', 'json_schema', and 'text'. ('response_format.type')", c.ResponseFormat.Type)
		}
	}
	return ""
}

// wait sleeps d or until ctx ends; it reports whether to go on answering.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func writeChat(w http.ResponseWriter, seq int, req ChatRequest, r Response) {
	model := r.Model
	if model == "" {
		model = req.Model
	}
	finish := r.FinishReason
	if finish == "" {
		finish = "stop"
	}
	usage := r.Usage
	if usage == nil {
		var prompt int64
		for _, m := range req.Messages {
			prompt += estimateTokens(m.Content)
		}
		usage = &Usage{PromptTokens: prompt, CompletionTokens: estimateTokens(r.Content)}
	}
	writeJSON(w, http.StatusOK, nil, map[string]any{
		"id":      fmt.Sprintf("chatcmpl-aitest%06d", seq),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   model,
		"choices": []any{map[string]any{
			"index": 0,
			"message": map[string]any{
				"role":        "assistant",
				"content":     nullable(r.Content, r.Refusal != ""),
				"refusal":     nullable(r.Refusal, r.Refusal == ""),
				"annotations": []any{},
			},
			"logprobs":      nil,
			"finish_reason": finish,
		}},
		"usage": map[string]any{
			"prompt_tokens":     usage.PromptTokens,
			"completion_tokens": usage.CompletionTokens,
			"total_tokens":      usage.PromptTokens + usage.CompletionTokens,
		},
		"service_tier":       "default",
		"system_fingerprint": "fp_aitest",
	})
}

func writeImages(w http.ResponseWriter, e entry) {
	data := make([]any, 0, len(e.urls)+len(e.b64))
	for _, u := range e.urls {
		data = append(data, map[string]any{"url": u})
	}
	for _, b := range e.b64 {
		data = append(data, map[string]any{"b64_json": b})
	}
	writeJSON(w, http.StatusOK, nil, map[string]any{"created": time.Now().Unix(), "data": data})
}

// writeResponseError writes a scripted error with OpenAI's defaults for the
// status filled in.
func writeResponseError(w http.ResponseWriter, r Response) {
	typ, code := r.ErrorType, r.ErrorCode
	if typ == "" {
		switch {
		case r.Status == http.StatusTooManyRequests:
			typ = "requests"
		case r.Status >= 500:
			typ = "server_error"
		default:
			typ = "invalid_request_error"
		}
	}
	if code == "" {
		switch r.Status {
		case http.StatusTooManyRequests:
			code = "rate_limit_exceeded"
		case http.StatusUnauthorized:
			code = "invalid_api_key"
		}
	}
	msg := r.ErrorMessage
	if msg == "" {
		msg = http.StatusText(r.Status)
	}
	writeError(w, r.Status, msg, typ, code, r.Header)
}

// writeError writes {"error":{"message","type","param","code"}}; OpenAI
// sends param and code as null when they do not apply.
func writeError(w http.ResponseWriter, status int, message, typ, code string, header http.Header) {
	var c any
	if code != "" {
		c = code
	}
	writeJSON(w, status, header, map[string]any{"error": map[string]any{
		"message": message,
		"type":    typ,
		"param":   nil,
		"code":    c,
	}})
}

func writeJSON(w http.ResponseWriter, status int, header http.Header, v any) {
	for k, vs := range header {
		for _, x := range vs {
			w.Header().Add(k, x)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nullable is s, or JSON null when null is true.
func nullable(s string, null bool) any {
	if null {
		return nil
	}
	return s
}

// estimateTokens is the usual rough rule: about four characters a token,
// at least one for any text.
func estimateTokens(s string) int64 {
	n := int64(len([]rune(s)))
	if n == 0 {
		return 0
	}
	return (n + 3) / 4
}

// maskKey shows a key the way OpenAI's 401 message does: the start and the
// last four characters, the rest starred.
func maskKey(k string) string {
	if len(k) <= 8 {
		return strings.Repeat("*", len(k))
	}
	return k[:3] + strings.Repeat("*", len(k)-7) + k[len(k)-4:]
}

// caller names the test line that scripted an answer (the caller of the
// exported method that called push), so leftovers point at their origin.
func caller() string {
	_, file, line, ok := runtime.Caller(3)
	if !ok {
		return "unknown place"
	}
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}
