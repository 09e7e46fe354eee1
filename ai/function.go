package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

// Function is one AI operation of the framework (the original's
// BaseAIFunction): a prompt type with a built-in default template, an
// output contract checked strictly, and a name that is also its credit
// operation. Domains declare their functions; Run executes the common
// steps — build the prompt, call, parse, retry once on a malformed answer
// with the problem fed back. Saving and charging are the caller's, in one
// transaction, after Run returns: nothing is half-saved.
type Function[Out any] struct {
	// Name is the operation (auto_cluster, generate_ideas, …).
	Name string
	// PromptType selects the account/global prompt override.
	PromptType string
	// DefaultPrompt is the built-in template (Go text/template).
	DefaultPrompt string
	// System is the system message.
	System string
	// Parse checks the model's answer against the output contract and
	// returns an errs.Invalid saying what is wrong, which is fed back to
	// the model on the retry.
	Parse func(content string) (Out, error)
}

// Prompter resolves a prompt (account → global → built-in) and renders it
// with vars; the system module implements it.
type Prompter interface {
	Prompt(ctx context.Context, t tenancy.Tenant, promptType, builtin string, vars map[string]any) (string, error)
}

// Runner runs functions on a text provider.
type Runner struct {
	Text        TextProvider
	Prompts     Prompter
	Model       string
	Temperature *float64
	MaxTokens   int
}

// Result is a parsed answer with the usage of every attempt, for the
// credit charge and the usage log.
type Result[Out any] struct {
	Output           Out
	Model            string
	PromptTokens     int64
	CompletionTokens int64
	Duration         time.Duration
	Attempts         int
}

// maxAttempts is the first answer plus one retry with the error fed back.
const maxAttempts = 2

// Run renders the function's prompt for t with vars, asks the model for a
// JSON answer and parses it. A malformed answer is retried once with the
// parse error; a second malformed answer fails with errs.Invalid. Provider
// errors keep their classification (Unavailable is retryable by the job).
func Run[Out any](ctx context.Context, r Runner, t tenancy.Tenant, f Function[Out], vars map[string]any) (*Result[Out], error) {
	if err := t.Err(); err != nil {
		return nil, err
	}
	prompt, err := r.Prompts.Prompt(ctx, t, f.PromptType, f.DefaultPrompt, vars)
	if err != nil {
		return nil, fmt.Errorf("ai: %s prompt: %w", f.Name, err)
	}
	req := TextRequest{Model: r.Model, System: f.System, Temperature: r.Temperature, MaxTokens: r.MaxTokens, JSON: true,
		Messages: []Message{{Role: RoleUser, Content: prompt}}}
	res := &Result[Out]{}
	var parseErr error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		answer, err := r.Text.Complete(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("ai: %s: %w", f.Name, err)
		}
		res.Attempts = attempt
		res.Model = answer.Model
		res.PromptTokens += answer.PromptTokens
		res.CompletionTokens += answer.CompletionTokens
		res.Duration += answer.Duration
		out, err := f.Parse(answer.Content)
		if err == nil {
			res.Output = out
			return res, nil
		}
		parseErr = err
		req.Messages = append(req.Messages,
			Message{Role: RoleAssistant, Content: answer.Content},
			Message{Role: RoleUser, Content: "That answer cannot be used: " + errorText(err) +
				". Answer again with one JSON object that follows the requested format exactly, and nothing else."})
	}
	return nil, &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("the AI answer for %s could not be used after %d attempts: %s", f.Name, maxAttempts, errorText(parseErr)), Err: parseErr}
}

func errorText(err error) string {
	if e := errs.As(err); e != nil {
		return e.Message
	}
	return err.Error()
}

// DecodeJSON reads one JSON object from a model's answer into T: it
// tolerates a Markdown code fence around the object (models add them even
// when asked not to) but nothing else — trailing text or a second value is
// an error, and so are values of the wrong type.
func DecodeJSON[T any](content string) (T, error) {
	var out T
	s := strings.TrimSpace(content)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "```json"), "```")
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "```"))
	}
	if !strings.HasPrefix(s, "{") {
		return out, errs.E(errs.Invalid, "the answer is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if err := dec.Decode(&out); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return out, errs.E(errs.Invalid, "field %q has the wrong type (%s)", typeErr.Field, typeErr.Value)
		}
		return out, errs.E(errs.Invalid, "the answer is not valid JSON: %v", err)
	}
	if dec.More() {
		return out, errs.E(errs.Invalid, "the answer has text after the JSON object")
	}
	return out, nil
}
