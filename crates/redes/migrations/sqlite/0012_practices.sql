-- Good practices (issue 12, items 1 and 2): the record of a practice of a
-- network, its schools and authors, its evidence (attachments kept in the
-- database) and every transition of its lifecycle (who, when, comment).
-- Country, region and province are the network's, copied so that lists can
-- be restricted like the networks'. Kept in step with
-- ../postgres/0012_practices.sql.
CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    steps TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '',
    learnings TEXT NOT NULL DEFAULT '',
    pei_link TEXT NOT NULL DEFAULT '',
    plan_link TEXT NOT NULL DEFAULT '',
    policy_link TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    published_at TEXT,
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX practices_network ON practices (network_id);
CREATE INDEX practices_status ON practices (status);

CREATE TABLE practice_schools (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    PRIMARY KEY (practice_id, school_id)
);
CREATE INDEX practice_schools_school ON practice_schools (school_id);

CREATE TABLE practice_authors (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (practice_id, person_id)
);
CREATE INDEX practice_authors_person ON practice_authors (person_id);

CREATE TABLE practice_attachments (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);
CREATE INDEX practice_attachments_practice ON practice_attachments (practice_id);

CREATE TABLE practice_transitions (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    status_before TEXT NOT NULL,
    status_after TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    changed_by INTEGER NOT NULL REFERENCES people(id),
    changed_at TEXT NOT NULL
);
CREATE INDEX practice_transitions_practice ON practice_transitions (practice_id);
