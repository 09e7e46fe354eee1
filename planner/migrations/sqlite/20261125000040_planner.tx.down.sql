DROP TABLE IF EXISTS igny8_content_idea_keywords;

--bun:split

DROP TABLE IF EXISTS igny8_content_ideas;

--bun:split

DROP TABLE IF EXISTS igny8_keywords;

--bun:split

DROP TABLE IF EXISTS igny8_clusters;
