-- The cycle page draws the phases that enclose a cycle but began before it, and looks up their
-- ends by the phase's start (lib/services/selection.ts, withEnclosingPhases). Without an index on
-- phaseId that read covers the whole run. Only phase ends are indexed: a few rows in a hundred, so
-- the recorder's inserts barely pay for it. Written by hand: Prisma's schema cannot state a
-- partial index (scripts/new-migration.mjs leaves it alone).
CREATE INDEX "Event_phaseEnd_idx" ON "Event"("runId", "phaseId") WHERE "kind" = 'phase-end';
