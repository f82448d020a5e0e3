-- Every change of an agreement's status (issue 11): at a meeting's review
-- (meeting_id set) or by its owner or the coordinator between meetings, with
-- the reason when it is dropped. The agreement's page shows them with its
-- reviews. Kept in step with ../postgres/0011_agreement_status_changes.sql.
CREATE TABLE agreement_status_changes (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    meeting_id INTEGER REFERENCES meetings(id),
    status_before TEXT NOT NULL,
    status_after TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    changed_by INTEGER NOT NULL REFERENCES people(id),
    changed_at TEXT NOT NULL
);
CREATE INDEX agreement_status_changes_agreement ON agreement_status_changes (agreement_id);
