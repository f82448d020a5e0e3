-- The schools list is read in this index's order (flagged rows last, then by
-- name); carrying the columns its filters test (visibility, search text)
-- lets a search scan the index alone and fetch only the rows it shows:
-- "liceo" among Chile's 16,800 schools went from about 13 ms to 3 ms on SQLite.
DROP INDEX schools_listing;
CREATE INDEX schools_listing ON schools (review_note, name, id, archived, country, region, parent_id, search_text);
