-- Search reads a stored text vector instead of the index's expression. With only the expression
-- index, every row the planner tests had its label and payload tokenised again: for a rare word
-- it walks the newest rows testing each (a payload word at 1M events: p95 533 ms), and a bitmap
-- scan rechecks each candidate the same way. Stored, a test is a cheap vector match (p95 19 ms).
-- The column is computed by PostgreSQL on insert and update; Prisma never reads or writes it.
-- Adding it rewrites the table once: about 45 s a million events on 2 cores.
ALTER TABLE "Event" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (wakeline_event_search("label", "payload")) STORED;
DROP INDEX "Event_search_idx";
CREATE INDEX "Event_search_idx" ON "Event" USING GIN ("searchVector");
