-- The run config moves to a table of its own (see RunConfig in schema.prisma).
-- CreateTable
CREATE TABLE "RunConfig" (
    "runId" TEXT NOT NULL PRIMARY KEY,
    "config" TEXT NOT NULL,
    CONSTRAINT "RunConfig_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Carry every run's config over before the column goes.
INSERT INTO "RunConfig" ("runId", "config") SELECT "id", "config" FROM "Run";

-- Dropped in place: a redefinition of "Run" would delete its rows first, and with them (ON DELETE
-- CASCADE) every event, cycle and share link, since foreign keys stay on inside the migration's
-- transaction.
ALTER TABLE "Run" DROP COLUMN "config";
