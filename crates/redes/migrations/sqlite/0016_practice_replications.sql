-- Replication of good practices (issue 12, item 4): a school records that it
-- adopts a published practice, from which school it took it (one of the
-- practice's own schools, or a school that replicated it before), how it
-- adapted it and what happened. One replication per school and practice, so
-- the replications of a practice form a tree rooted at its schools.
-- And the queue of practices whose search entry is to be rewritten (issue 12,
-- item 5): every write of a practice adds its id in the same transaction; the
-- search index reads and empties it. Kept in step with
-- ../postgres/0016_practice_replications.sql.
CREATE TABLE practice_replications (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    from_school_id INTEGER NOT NULL REFERENCES schools(id),
    adopted_on TEXT NOT NULL,
    adaptation TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES people(id),
    recorded_at TEXT NOT NULL,
    UNIQUE (practice_id, school_id)
);
CREATE INDEX practice_replications_school ON practice_replications (school_id);
CREATE INDEX practice_replications_from ON practice_replications (from_school_id);

CREATE TABLE practice_search_queue (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL
);
