-- Peer review of good practices (issue 12, item 3). A rubric belongs to a
-- country (region '') or to one of its regions (departments); a practice is
-- reviewed with its region's rubric, else its country's, else the rubric of
-- seed 002 kept in the code (practices::model::reviews::SEED_002). Each
-- rubric says how many finished reviews publication needs. A review is a
-- reviewer assigned to a practice; once sent, it holds one score (1-4) and
-- comment per criterion (the criterion's name copied, so later edits of the
-- rubric do not change it), a general comment and the authors' reply.
-- Kept in step with ../postgres/0015_practice_reviews.sql.
CREATE TABLE practice_rubrics (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    reviews_needed INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES people(id),
    updated_at TEXT NOT NULL,
    UNIQUE (country, region)
);

CREATE TABLE practice_rubric_criteria (
    rubric_id INTEGER NOT NULL REFERENCES practice_rubrics(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    meaning TEXT NOT NULL DEFAULT '',
    level_1 TEXT NOT NULL,
    level_2 TEXT NOT NULL,
    level_3 TEXT NOT NULL,
    level_4 TEXT NOT NULL,
    PRIMARY KEY (rubric_id, position)
);

CREATE TABLE practice_reviews (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    reviewer_id INTEGER NOT NULL REFERENCES people(id),
    assigned_by INTEGER NOT NULL REFERENCES people(id),
    assigned_at TEXT NOT NULL,
    submitted_at TEXT,
    comment TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT '',
    replied_by INTEGER REFERENCES people(id),
    replied_at TEXT,
    UNIQUE (practice_id, reviewer_id)
);
CREATE INDEX practice_reviews_reviewer ON practice_reviews (reviewer_id);

CREATE TABLE practice_review_scores (
    review_id INTEGER NOT NULL REFERENCES practice_reviews(id),
    position INTEGER NOT NULL,
    criterion TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, position)
);
