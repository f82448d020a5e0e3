-- Redes initial schema (SQLite). Kept column-for-column in step with
-- ../postgres/0001_init.sql; the test `migrations_match` compares them.
-- Booleans are INTEGER 0/1 and timestamps ISO-8601 TEXT so that one set of
-- queries decodes identically on both databases.

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    official_code TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES schools(id),
    levels TEXT NOT NULL DEFAULT '',
    dependency TEXT NOT NULL DEFAULT '',
    modality TEXT NOT NULL DEFAULT 'general',
    shift TEXT NOT NULL DEFAULT '',
    rural INTEGER NOT NULL DEFAULT 0,
    region TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    commune TEXT NOT NULL DEFAULT '',
    colonia TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    classrooms INTEGER,
    teachers INTEGER,
    students INTEGER,
    operating INTEGER NOT NULL DEFAULT 1,
    synthetic INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (country, official_code)
);
CREATE INDEX schools_territory ON schools (country, region, province, commune);
CREATE INDEX schools_parent ON schools (parent_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    username TEXT UNIQUE,
    password_hash TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE networks (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    since_year INTEGER,
    who_forms TEXT NOT NULL DEFAULT '',
    principles_needs TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    how_members_move TEXT NOT NULL DEFAULT '',
    collaboration TEXT NOT NULL DEFAULT '',
    learnings_achievements TEXT NOT NULL DEFAULT '',
    key_idea TEXT NOT NULL DEFAULT '',
    projection_challenges TEXT NOT NULL DEFAULT '',
    synthetic INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX networks_territory ON networks (country, region, province);

CREATE TABLE network_schools (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    joined_on TEXT NOT NULL,
    left_on TEXT
);
CREATE INDEX network_schools_network ON network_schools (network_id);
CREATE INDEX network_schools_school ON network_schools (school_id);

CREATE TABLE network_years (
    network_id INTEGER NOT NULL REFERENCES networks(id),
    year INTEGER NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (network_id, year)
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    scope_name TEXT NOT NULL DEFAULT '',
    school_id INTEGER REFERENCES schools(id),
    network_id INTEGER REFERENCES networks(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT
);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);
