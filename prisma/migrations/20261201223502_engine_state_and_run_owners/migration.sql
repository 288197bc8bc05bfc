-- AlterTable
ALTER TABLE "Run" ADD COLUMN "followsRunId" TEXT;
ALTER TABLE "Run" ADD COLUMN "heartbeatAt" DATETIME;
ALTER TABLE "Run" ADD COLUMN "owner" TEXT;
ALTER TABLE "Run" ADD COLUMN "ownerKind" TEXT;

-- CreateTable
CREATE TABLE "EngineNamespace" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EngineActor" (
    "actorId" TEXT NOT NULL PRIMARY KEY,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT,
    "runnerNameSelector" TEXT NOT NULL,
    "crashPolicy" TEXT NOT NULL,
    "input" TEXT,
    "createTs" REAL NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL,
    "sleepTs" REAL,
    "destroyTs" REAL
);

-- CreateTable
CREATE TABLE "EngineRunnerConfig" (
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("namespace", "name")
);

-- CreateIndex
CREATE INDEX "EngineActor_namespace_name_key_idx" ON "EngineActor"("namespace", "name", "key");

-- CreateIndex
CREATE INDEX "Run_status_idx" ON "Run"("status");

