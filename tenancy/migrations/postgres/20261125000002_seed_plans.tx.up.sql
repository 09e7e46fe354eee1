-- The plans of the original (Dec 2025 price list plus the Free Trial). Prices
-- and limits are data: billing changes them here, never in code.
INSERT INTO igny8_plans (name, slug, price_cents, billing_cycle, included_credits, max_sites, max_users, max_keywords, max_ahrefs_queries, features, is_active, is_internal) VALUES
  ('Free Trial', 'free-trial',     0, 'monthly', 2000,  1, 1,  500,  0, '["planner", "ai_writer"]', true, false),
  ('Starter',    'starter',    10000, 'monthly', 1000,  2, 2,  500,  0, '["planner", "ai_writer", "basic_support"]', true, false),
  ('Growth',     'growth',     20000, 'monthly', 2000,  5, 3, 2000,  0, '["planner", "ai_writer", "automation", "priority_support"]', true, false),
  ('Scale',      'scale',      50000, 'monthly', 5000, 99, 5, 5000,  0, '["planner", "ai_writer", "automation", "priority_support"]', true, false);
