-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "seed" INTEGER,
    "config" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Event" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "time" REAL NOT NULL,
    "kind" TEXT NOT NULL,
    "fromRole" TEXT,
    "fromId" TEXT,
    "toRole" TEXT,
    "toId" TEXT,
    "type" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "payload" TEXT,
    "actorId" TEXT,
    "runnerId" TEXT,
    "cycleId" TEXT,
    "causeSeq" INTEGER,
    "relayOf" INTEGER,
    "phaseId" INTEGER,
    "housekeeping" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "Event_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "firstSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "startTime" REAL NOT NULL,
    "endTime" REAL,
    "outcome" TEXT NOT NULL,
    "wakeToReadyMs" REAL,
    "coldStartMs" REAL,
    "requestsServed" INTEGER NOT NULL DEFAULT 0,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "anomalies" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "Cycle_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShareLink" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "view" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ShareLink_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KvEntry" (
    "actorId" TEXT NOT NULL,
    "key" BLOB NOT NULL,
    "value" BLOB NOT NULL,

    PRIMARY KEY ("actorId", "key")
);

-- CreateIndex
CREATE INDEX "Run_startedAt_idx" ON "Run"("startedAt");

-- CreateIndex
CREATE INDEX "Event_runId_actorId_seq_idx" ON "Event"("runId", "actorId", "seq");

-- CreateIndex
CREATE INDEX "Event_runId_cycleId_idx" ON "Event"("runId", "cycleId");

-- CreateIndex
CREATE INDEX "Cycle_runId_idx" ON "Cycle"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_runId_actorId_ordinal_key" ON "Cycle"("runId", "actorId", "ordinal");
