-- DropIndex
DROP INDEX "Event_runId_cycleId_idx";

-- CreateIndex
CREATE INDEX "Event_runId_cycleId_seq_idx" ON "Event"("runId", "cycleId", "seq");

