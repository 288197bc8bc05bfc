-- Search across runs on PostgreSQL (written by hand: Prisma's schema cannot express it), answering
-- the same queries as SQLite's FTS5 table (lib/store/fts-to-tsquery.ts translates them).
--
-- Insertion order: SQLite numbers rows itself (rowid); here an identity column does, and search
-- pages newest first by it. Prisma never writes or reads it.
ALTER TABLE "Event" ADD COLUMN "searchRow" BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX "Event_searchRow_key" ON "Event"("searchRow");

-- Exact filters walk these backwards and stop after one page, as SQLite's single-column indexes do
-- (there, each one holds the rowid). They serve every query the single-column ones served.
DROP INDEX "Event_actorId_idx";
DROP INDEX "Event_runnerId_idx";
DROP INDEX "Event_type_idx";
CREATE INDEX "Event_actorId_searchRow_idx" ON "Event"("actorId", "searchRow");
CREATE INDEX "Event_runnerId_searchRow_idx" ON "Event"("runnerId", "searchRow");
CREATE INDEX "Event_type_searchRow_idx" ON "Event"("type", "searchRow");

-- Accents folded as SQLite's unicode61 tokenizer does (remove_diacritics 2): the index and the
-- queries both go through it, so "Zürich" and "zurich" find each other on both databases.
CREATE FUNCTION wakeline_search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- translate() looks up every character in the list: only text beyond ASCII pays for it.
  SELECT CASE WHEN t ~ '[^\x01-\x7f]' THEN pg_catalog.translate(t,
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ',
    'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy') ELSE t END
$$;

-- Words as that tokenizer sees them: ASCII punctuation separates words; the parser of the 'simple'
-- configuration then lower-cases them and splits at any other non-letter. Only the first 100 000
-- characters count: a tsvector holds at most 1 MB, and a larger payload must still be recordable.
CREATE FUNCTION wakeline_search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.regexp_replace(wakeline_search_fold(pg_catalog.left(coalesce(t, ''), 100000)),
    '[^0-9A-Za-z\u0080-\U0010FFFF]+', ' ', 'g')
$$;

-- Labels weigh A and payloads B, so a query can ask for one column (`'word':B` = in the payload).
CREATE FUNCTION wakeline_event_search(label text, payload text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, wakeline_search_words(label)), 'A')
      || pg_catalog.setweight(pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, wakeline_search_words(payload)), 'B')
$$;

-- An expression index: the text stays in "Event" only, as with SQLite's external-content table,
-- and follows inserts, updates and deletes without triggers.
CREATE INDEX "Event_search_idx" ON "Event" USING GIN (wakeline_event_search("label", "payload"));
