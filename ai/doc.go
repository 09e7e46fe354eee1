// Package ai is igny8's provider layer: the one place that talks to text and
// image models. The AI engine and the domains (planner, writer, …) depend on
// the two small interfaces here, TextProvider and ImageProvider, never on a
// vendor SDK, so a run can be tested against a scripted fake and a deployment
// can point at any OpenAI-compatible server.
//
// OpenAI is the implementation for everything that speaks OpenAI's HTTP API:
// OpenAI itself, vLLM, Ollama, LM Studio and similar servers, chosen by
// OpenAIConfig.BaseURL. It is built on the official openai-go SDK, which owns
// retries (429, 408, 409, 5xx and connection errors, with backoff that honours
// Retry-After) and per-attempt timeouts.
//
// Every failure leaves this package as an *errs.Error whose code says what
// the caller can do about it:
//
//   - errs.Unavailable: the provider is down, slow, rate limiting or
//     unreachable (IsRetryable reports true, RetryAfter the provider's wait
//     when it sent one), its quota is exhausted, or AI is not configured at
//     all (ErrNotConfigured; both not retryable);
//   - errs.Invalid: the provider refused the request as malformed (400, 404,
//     422: unknown model, unsupported parameter, …) or the request was
//     incomplete before it was sent;
//   - errs.Unauthenticated / errs.Forbidden: the provider rejected the
//     platform's key (401 / 403). These are about igny8's credentials, not
//     the end user's: a transport should not answer them as the user's 401.
//
// The one exception is the caller's own context: when ctx is cancelled or
// past its deadline the context's error is returned unchanged, because the
// caller gave up and nothing about the provider should be inferred.
//
// Messages never contain the API key; provider messages are only copied for
// Invalid errors, with the key redacted, because they name the offending
// parameter.
//
// When no IGNY8_OPENAI_* setting is present the binaries wire Unconfigured,
// which fails every call with ErrNotConfigured: igny8 never invents output.
//
// Package aitest holds a faithful fake OpenAI-compatible server for tests.
package ai
