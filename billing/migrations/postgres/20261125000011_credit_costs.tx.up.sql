-- What each AI operation costs, in credits (one credit is sold at $0.10,
-- domain reference §5.1). Data, not code: change these rows, not Go.
--
-- Sources (domain reference §5.2, "Credit cost of operations — history"):
-- the text operations use the token-based rates of Dec 19 2025
-- (CREDITS-TOKENS-GUIDE: credits = ceil(total tokens / tokens_per_credit),
-- never below min_credits, rounded up). That is the last scheme of the
-- original with published figures (Jan 2026 moved the rate onto each AI model,
-- "values in DB", no figures), and it agrees with the fixed prices planned on
-- Dec 26 2025: a ~2,500-word article is ~4,300 tokens at 100 tokens/credit,
-- i.e. ~43 credits against the planned 40.
--   auto_cluster            clustering 150 tokens/credit, min 2       [Dec 19 2025]
--   generate_ideas          ideas 200 tokens/credit, min 1            [Dec 19 2025]
--   generate_content        content 100 tokens/credit, min 3          [Dec 19 2025]
--   generate_image_prompts  image prompt extraction 100, min 1        [Dec 19 2025]
--   optimize_content        optimization 200 tokens/credit, min 1     [Dec 19 2025]
--   internal_linking        linking 300 tokens/credit, min 1          [Dec 19 2025]
-- Images are priced per image, not per token (image APIs report no tokens):
--   generate_images         1 credit per image, min 1: the Dec 26 2025 plan's
--                           "basic image 1" (Dec 3 2025: "1–4 per image").
--                           Premium tiers (4/image) are left to the per-model
--                           table that a later step adds. [our choice]
-- The display names are our choice.
INSERT INTO igny8_credit_costs (operation, display_name, unit, credits_per_unit_milli, tokens_per_credit, min_credits, is_active) VALUES
  ('auto_cluster',           'Keyword clustering',      'token', 0,    150, 2, true),
  ('generate_ideas',         'Content ideas',           'token', 0,    200, 1, true),
  ('generate_content',       'Content writing',         'token', 0,    100, 3, true),
  ('generate_image_prompts', 'Image prompt extraction', 'token', 0,    100, 1, true),
  ('generate_images',        'Image generation',        'image', 1000,   0, 1, true),
  ('optimize_content',       'Content optimization',    'token', 0,    200, 1, true),
  ('internal_linking',       'Internal linking',        'token', 0,    300, 1, true);
