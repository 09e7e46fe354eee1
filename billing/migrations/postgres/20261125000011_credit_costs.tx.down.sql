DELETE FROM igny8_credit_costs WHERE operation IN
  ('auto_cluster', 'generate_ideas', 'generate_content', 'generate_image_prompts',
   'generate_images', 'optimize_content', 'internal_linking');
