-- Events enter the search index in batches, not one by one: every writer of events ends its
-- transaction with one INSERT … SELECT of the rows past the index's largest rowid (lib/store/
-- search-index.ts), and a search does the same first. Measured by `npm run bench`, that costs a
-- fraction of the per-row insert trigger it replaces, whose every row was a separate FTS5 write.
--
-- The index thus always holds exactly the events up to its largest rowid: rows are only ever
-- added past it, and deleting the newest rows lowers it with them. A row past it is not yet
-- indexed, so the delete and update triggers leave such rows to the next batch.
-- Written by hand, like the FTS5 table (scripts/new-migration.mjs leaves it alone).
DROP TRIGGER "Event_search_insert";
DROP TRIGGER "Event_search_delete";
DROP TRIGGER "Event_search_update";

CREATE TRIGGER "Event_search_delete" AFTER DELETE ON "Event"
WHEN old.rowid <= (SELECT max("id") FROM "EventSearch_docsize")
BEGIN
    INSERT INTO "EventSearch"("EventSearch", rowid, "label", "payload") VALUES ('delete', old.rowid, old."label", old."payload");
END;

CREATE TRIGGER "Event_search_update" AFTER UPDATE OF "label", "payload" ON "Event"
WHEN old.rowid <= (SELECT max("id") FROM "EventSearch_docsize")
BEGIN
    INSERT INTO "EventSearch"("EventSearch", rowid, "label", "payload") VALUES ('delete', old.rowid, old."label", old."payload");
    INSERT INTO "EventSearch"(rowid, "label", "payload") VALUES (new.rowid, new."label", new."payload");
END;
