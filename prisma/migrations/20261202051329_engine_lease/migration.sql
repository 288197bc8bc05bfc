-- One engine per namespace and database (lib/store/engine-lease.ts).
-- CreateTable
CREATE TABLE "EngineLease" (
    "namespace" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "acquiredAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL
);

