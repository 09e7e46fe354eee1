-- The AI models offered at launch and the platform AI settings. Data, not
-- code: operators edit these rows (prices, credits, defaults), never Go.
--
-- Prices are OUR INPUTS, taken as the providers' 2026 list prices (standard
-- tier, USD) and stored in micro-dollars; check them against the provider's
-- price page and edit the rows when they change:
--   gpt-4o-mini  $0.15 per 1M input tokens, $0.60 per 1M output tokens
--   gpt-4o       $2.50 per 1M input tokens, $10.00 per 1M output tokens
--   dall-e-3     $0.040 per image (1024x1024, standard quality)
-- Credit rates are our choice (domain reference §7.3 names the models and the
-- defaults, not the rates): gpt-4o-mini 100 tokens per credit, the rate the
-- credit-cost table gives content writing; gpt-4o twice as many credits per
-- token (50); dall-e-3 1 credit per image, the "basic image" price of the
-- Dec 26 2025 plan (premium tiers are 4).
-- Defaults (§2.4, §7.3): gpt-4o-mini for text, dall-e-3 for images,
-- temperature 0.7, max_tokens 8192.
INSERT INTO igny8_ai_models (name, display_name, provider, kind, tokens_per_credit, credits_per_image, input_price_micro, output_price_micro, image_price_micro, is_active, is_default) VALUES
  ('gpt-4o-mini', 'GPT-4o mini', 'openai', 'text',  100, 0,  150000,   600000,     0, 1, 1),
  ('gpt-4o',      'GPT-4o',      'openai', 'text',   50, 0, 2500000, 10000000,     0, 1, 0),
  ('dall-e-3',    'DALL-E 3',    'openai', 'image',   0, 1,       0,        0, 40000, 1, 1);

--bun:split

INSERT INTO igny8_global_ai_settings (id, default_text_model, default_image_model, temperature_milli, max_tokens) VALUES
  (1, 'gpt-4o-mini', 'dall-e-3', 700, 8192);
