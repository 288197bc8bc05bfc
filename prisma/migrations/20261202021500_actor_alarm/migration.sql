-- An actor's alarm outlives a restart of the embedded engine (epoch milliseconds, null when none).
ALTER TABLE "EngineActor" ADD COLUMN "alarmTs" REAL;
