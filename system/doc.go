// Package system holds the account and platform settings the domains read
// before they work: AI prompts, the AI model registry, AI settings and the
// module switches (domain reference §2.4, §3.6, §7.3–7.4). HTTP handlers
// come later; the DTOs are JSON-tagged for them.
//
// The rules:
//
//   - Every tenant method takes the tenancy.Tenant explicitly and queries the
//     account tables through tenancy.ScopeAccount; inserts take account_id
//     from the Tenant. Reads need a usable Tenant (viewer and up, the system
//     bot, API keys); writes need owner, admin or developer, and never an API
//     key. Another account's rows are never read or changed.
//   - Platform-wide writes (SaveGlobalPrompt, SaveGlobalAISettings …) are
//     separate operator methods without a Tenant: they act on no account and
//     their caller (an operator endpoint or a command) is trusted.
//   - Prompts resolve account override → global override → the built-in text
//     the calling domain passes (domains own their built-in prompts). A
//     prompt is a Go text/template rendered by RenderPrompt with
//     missingkey=error, so a typo in a variable name fails loudly instead of
//     sending "<no value>" to the model.
//   - Prompts are written by tenants but rendered by shared workers, so only
//     a safe subset of text/template is accepted (see RenderPrompt): no
//     template definitions or calls, no variable declarations outside range,
//     range only over the caller's data and at most two deep, and a few
//     built-in functions (no printf, no call). Rendering stops at 1 MiB.
//   - The model registry and its prices are data (igny8_ai_models), seeded by
//     migration 20261125000031_ai_models; one default model per kind.
//   - AI settings merge the account's overrides (NULL inherits) over the
//     global row; a model that has been deactivated since it was chosen falls
//     back to the global one, then to the registry's default.
//   - Modules: planner, writer, automation and publisher are on unless the
//     account turns them off; linker and optimizer are off unless it turns
//     them on (they are inactive by default in the original, §9).
package system
