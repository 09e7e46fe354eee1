package billing_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
)

func TestCreditsPerUnitType(t *testing.T) {
	cases := []struct {
		name string
		cost billing.CreditCost
		use  billing.Usage
		want int64
	}{
		{"call ignores usage", billing.CreditCost{Unit: billing.UnitCall, CreditsPerUnitMilli: 5000}, billing.Usage{Units: 40, PromptTokens: 9000}, 5},
		{"call rounds a fraction up", billing.CreditCost{Unit: billing.UnitCall, CreditsPerUnitMilli: 2500}, billing.Usage{}, 3},
		{"item", billing.CreditCost{Unit: billing.UnitItem, CreditsPerUnitMilli: 2000}, billing.Usage{Units: 7}, 14},
		{"item fraction rounds up", billing.CreditCost{Unit: billing.UnitItem, CreditsPerUnitMilli: 1500}, billing.Usage{Units: 3}, 5},
		{"half a credit per word, odd", billing.CreditCost{Unit: billing.UnitWord, CreditsPerUnitMilli: 500}, billing.Usage{Units: 3}, 2},
		{"half a credit per word, even", billing.CreditCost{Unit: billing.UnitWord, CreditsPerUnitMilli: 500}, billing.Usage{Units: 4}, 2},
		{"one credit per 100 words", billing.CreditCost{Unit: billing.UnitWord, CreditsPerUnitMilli: 10}, billing.Usage{Units: 2501}, 26},
		{"image", billing.CreditCost{Unit: billing.UnitImage, CreditsPerUnitMilli: 4000}, billing.Usage{Units: 2}, 8},
		{"tokens exact", billing.CreditCost{Unit: billing.UnitToken, TokensPerCredit: 100}, billing.Usage{PromptTokens: 300, CompletionTokens: 700}, 10},
		{"tokens round up", billing.CreditCost{Unit: billing.UnitToken, TokensPerCredit: 100}, billing.Usage{PromptTokens: 300, CompletionTokens: 701}, 11},
		{"minimum applies", billing.CreditCost{Unit: billing.UnitToken, TokensPerCredit: 100, MinCredits: 3}, billing.Usage{PromptTokens: 10}, 3},
		{"minimum with no usage", billing.CreditCost{Unit: billing.UnitImage, CreditsPerUnitMilli: 1000, MinCredits: 1}, billing.Usage{}, 1},
		{"minimum below the price", billing.CreditCost{Unit: billing.UnitItem, CreditsPerUnitMilli: 1000, MinCredits: 2}, billing.Usage{Units: 9}, 9},
		{"free", billing.CreditCost{Unit: billing.UnitItem}, billing.Usage{Units: 9}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cost.Credits(tc.use)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	item := billing.CreditCost{Unit: billing.UnitItem, CreditsPerUnitMilli: 1000}
	_, err := item.Credits(billing.Usage{Units: -1})
	requireCode(t, err, errs.Invalid, "units")
	_, err = item.Credits(billing.Usage{Units: math.MaxInt64})
	requireCode(t, err, errs.Invalid, "units")
	tokens := billing.CreditCost{Unit: billing.UnitToken, TokensPerCredit: 100}
	_, err = tokens.Credits(billing.Usage{PromptTokens: -5})
	requireCode(t, err, errs.Invalid, "prompt_tokens")
	_, err = tokens.Credits(billing.Usage{PromptTokens: math.MaxInt64, CompletionTokens: 1})
	requireCode(t, err, errs.Invalid, "prompt_tokens")
}

func TestCostEngineOnSeededCosts(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()

		costs, err := svc.CreditCosts(ctx)
		require.NoError(t, err)
		ops := map[string]billing.CreditCost{}
		for _, c := range costs {
			ops[c.Operation] = c
		}
		for _, op := range []string{"auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images", "optimize_content", "internal_linking"} {
			require.Contains(t, ops, op)
			assert.True(t, ops[op].IsActive)
			assert.NotEmpty(t, ops[op].DisplayName)
		}
		assert.Equal(t, billing.UnitToken, ops["generate_content"].Unit)
		assert.Equal(t, int64(100), ops["generate_content"].TokensPerCredit)
		assert.Equal(t, billing.UnitImage, ops["generate_images"].Unit)

		cost := func(op string, u billing.Usage) int64 {
			t.Helper()
			n, err := svc.Cost(ctx, op, u)
			require.NoError(t, err)
			return n
		}
		// Dec 19 2025 rates: content 100 tokens/credit (min 3), clustering 150 (min 2).
		assert.Equal(t, int64(26), cost("generate_content", billing.Usage{PromptTokens: 1000, CompletionTokens: 1501}))
		assert.Equal(t, int64(3), cost("generate_content", billing.Usage{PromptTokens: 50}))
		assert.Equal(t, int64(2), cost("auto_cluster", billing.Usage{}))
		assert.Equal(t, int64(3), cost("auto_cluster", billing.Usage{PromptTokens: 301}))
		assert.Equal(t, int64(3), cost("generate_images", billing.Usage{Units: 3}))
		assert.Equal(t, int64(1), cost("generate_images", billing.Usage{}))

		est, err := svc.Estimate(ctx, "generate_content", billing.Usage{PromptTokens: 1000, CompletionTokens: 1501})
		require.NoError(t, err)
		assert.Equal(t, int64(26), est)

		// A half credit per word, from data: rounding up, minimum.
		addCost(t, env, billing.CreditCost{Operation: "test_words", Unit: billing.UnitWord, CreditsPerUnitMilli: 500, MinCredits: 10, IsActive: true})
		assert.Equal(t, int64(10), cost("test_words", billing.Usage{Units: 3}))
		assert.Equal(t, int64(51), cost("test_words", billing.Usage{Units: 101}))

		// Unknown and inactive operations are invalid, naming the field.
		_, err = svc.Cost(ctx, "teleport", billing.Usage{})
		requireCode(t, err, errs.Invalid, "operation")
		_, err = svc.Cost(ctx, "", billing.Usage{})
		requireCode(t, err, errs.Invalid, "operation")
		addCost(t, env, billing.CreditCost{Operation: "test_retired", Unit: billing.UnitCall, CreditsPerUnitMilli: 1000, IsActive: false})
		_, err = svc.Cost(ctx, "test_retired", billing.Usage{})
		requireCode(t, err, errs.Invalid, "operation")
		costs, err = svc.CreditCosts(ctx)
		require.NoError(t, err)
		for _, c := range costs {
			assert.NotEqual(t, "test_retired", c.Operation, "inactive rows are not listed")
		}
		_, err = svc.Cost(ctx, "generate_images", billing.Usage{Units: -2})
		requireCode(t, err, errs.Invalid, "units")

		// The schema refuses a token price without tokens_per_credit.
		_, err = env.App.DB().NewInsert().Model(&billing.CreditCost{Operation: "test_bad", Unit: billing.UnitToken, IsActive: true}).Exec(ctx)
		require.Error(t, err)
	})
}
