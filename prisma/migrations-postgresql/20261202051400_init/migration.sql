-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "seed" INTEGER,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "ownerKind" TEXT,
    "owner" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "followsRunId" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunConfig" (
    "runId" TEXT NOT NULL,
    "config" TEXT NOT NULL,

    CONSTRAINT "RunConfig_pkey" PRIMARY KEY ("runId")
);

-- CreateTable
CREATE TABLE "Event" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "time" DOUBLE PRECISION NOT NULL,
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

    CONSTRAINT "Event_pkey" PRIMARY KEY ("runId","seq")
);

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "firstSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "startTime" DOUBLE PRECISION NOT NULL,
    "endTime" DOUBLE PRECISION,
    "outcome" TEXT NOT NULL,
    "wakeToReadyMs" DOUBLE PRECISION,
    "coldStartMs" DOUBLE PRECISION,
    "requestsServed" INTEGER NOT NULL DEFAULT 0,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "anomalies" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "Cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShareLink" (
    "token" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "view" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ShareLink_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "KvEntry" (
    "actorId" TEXT NOT NULL,
    "key" BYTEA NOT NULL,
    "value" BYTEA NOT NULL,

    CONSTRAINT "KvEntry_pkey" PRIMARY KEY ("actorId","key")
);

-- CreateTable
CREATE TABLE "EngineNamespace" (
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineNamespace_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "EngineActor" (
    "actorId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT,
    "runnerNameSelector" TEXT NOT NULL,
    "crashPolicy" TEXT NOT NULL,
    "input" TEXT,
    "createTs" DOUBLE PRECISION NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL,
    "sleepTs" DOUBLE PRECISION,
    "destroyTs" DOUBLE PRECISION,
    "alarmTs" DOUBLE PRECISION,

    CONSTRAINT "EngineActor_pkey" PRIMARY KEY ("actorId")
);

-- CreateTable
CREATE TABLE "EngineRunnerConfig" (
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineRunnerConfig_pkey" PRIMARY KEY ("namespace","name")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "EngineLease" (
    "namespace" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineLease_pkey" PRIMARY KEY ("namespace")
);

-- CreateIndex
CREATE INDEX "Run_startedAt_idx" ON "Run"("startedAt");

-- CreateIndex
CREATE INDEX "Run_status_idx" ON "Run"("status");

-- CreateIndex
CREATE INDEX "Event_runId_actorId_seq_idx" ON "Event"("runId", "actorId", "seq");

-- CreateIndex
CREATE INDEX "Event_runId_cycleId_idx" ON "Event"("runId", "cycleId");

-- CreateIndex
CREATE INDEX "Event_actorId_idx" ON "Event"("actorId");

-- CreateIndex
CREATE INDEX "Event_runnerId_idx" ON "Event"("runnerId");

-- CreateIndex
CREATE INDEX "Event_type_idx" ON "Event"("type");

-- CreateIndex
CREATE INDEX "Cycle_runId_idx" ON "Cycle"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_runId_actorId_ordinal_key" ON "Cycle"("runId", "actorId", "ordinal");

-- CreateIndex
CREATE INDEX "EngineActor_namespace_name_key_idx" ON "EngineActor"("namespace", "name", "key");

-- AddForeignKey
ALTER TABLE "RunConfig" ADD CONSTRAINT "RunConfig_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cycle" ADD CONSTRAINT "Cycle_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareLink" ADD CONSTRAINT "ShareLink_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

