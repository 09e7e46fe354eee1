DELETE FROM igny8_plans WHERE slug IN ('free-trial', 'starter', 'growth', 'scale')
  AND NOT EXISTS (SELECT 1 FROM igny8_accounts a WHERE a.plan_id = igny8_plans.id);
