-- CreateIndex
CREATE INDEX "Event_actorId_idx" ON "Event"("actorId");

-- CreateIndex
CREATE INDEX "Event_runnerId_idx" ON "Event"("runnerId");

-- CreateIndex
CREATE INDEX "Event_type_idx" ON "Event"("type");


-- Full-text search over event labels and payloads (written by hand: Prisma's schema cannot express
-- FTS5). An external-content table: the text stays in "Event" only; the index follows it through
-- the triggers below, keyed by Event's rowid. Updates of other columns (cycleId at the end of a
-- run) leave the index alone. After a VACUUM (which may renumber rowids) run
-- INSERT INTO "EventSearch"("EventSearch") VALUES('rebuild').
CREATE VIRTUAL TABLE "EventSearch" USING fts5(
    "label",
    "payload",
    content = 'Event',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER "Event_search_insert" AFTER INSERT ON "Event" BEGIN
    INSERT INTO "EventSearch"(rowid, "label", "payload") VALUES (new.rowid, new."label", new."payload");
END;

CREATE TRIGGER "Event_search_delete" AFTER DELETE ON "Event" BEGIN
    INSERT INTO "EventSearch"("EventSearch", rowid, "label", "payload") VALUES ('delete', old.rowid, old."label", old."payload");
END;

CREATE TRIGGER "Event_search_update" AFTER UPDATE OF "label", "payload" ON "Event" BEGIN
    INSERT INTO "EventSearch"("EventSearch", rowid, "label", "payload") VALUES ('delete', old.rowid, old."label", old."payload");
    INSERT INTO "EventSearch"(rowid, "label", "payload") VALUES (new.rowid, new."label", new."payload");
END;

-- Events recorded before this migration.
INSERT INTO "EventSearch"("EventSearch") VALUES ('rebuild');
