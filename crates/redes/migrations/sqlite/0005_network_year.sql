-- A network's year (issue 11): meetings with agenda, attendance, documents and
-- minutes under review; agreements followed from meeting to meeting; the three
-- encounter sessions of seed 003 with their checklists and observers' records.
-- Kept in step with ../postgres/0005_network_year.sql.

-- A series of recurring meetings ("first Tuesday of each month, March to
-- November"); each meeting stays editable on its own.
CREATE TABLE meeting_series (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    rule TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);

-- A meeting belongs to a network, or (an encounter session) to an approved
-- encounter plan: session 1-3 of one group of that plan.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    network_id INTEGER REFERENCES networks(id),
    encounter_plan_id INTEGER REFERENCES encounter_plans(id),
    encounter_session INTEGER,
    encounter_group TEXT NOT NULL DEFAULT '',
    series_id INTEGER REFERENCES meeting_series(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    host_school_id INTEGER REFERENCES schools(id),
    place TEXT NOT NULL DEFAULT '',
    coordinator_id INTEGER REFERENCES people(id),
    status TEXT NOT NULL DEFAULT 'planned',
    minutes TEXT NOT NULL DEFAULT '',
    minutes_version INTEGER NOT NULL DEFAULT 0,
    doubts TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    expectations TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_network ON meetings (network_id, held_on);
CREATE INDEX meetings_encounter ON meetings (encounter_plan_id, encounter_session);
CREATE INDEX meetings_host ON meetings (host_school_id, held_on);

-- Agenda items; an item not reached moves to the next meeting with its notes
-- (carried_from_id); an item may be tied to a plan action or review an agreement.
CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    presenter TEXT NOT NULL DEFAULT '',
    minutes_allotted INTEGER NOT NULL DEFAULT 0,
    plan_action_id INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    reached INTEGER NOT NULL DEFAULT 1,
    carried_from_id INTEGER REFERENCES agenda_items(id)
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

-- Who is expected and who came. Roster rows (person_id and/or school_id) are
-- written when the meeting is created, with status '' until attendance is
-- taken; guests have a name and an institution and no person.
CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER REFERENCES people(id),
    school_id INTEGER REFERENCES schools(id),
    role_label TEXT NOT NULL DEFAULT '',
    guest_name TEXT NOT NULL DEFAULT '',
    guest_institution TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attendance_meeting ON attendance (meeting_id);
CREATE INDEX attendance_person ON attendance (person_id);

-- Documents attached to a meeting, kept in the database (never in the web root).
CREATE TABLE meeting_documents (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);
CREATE INDEX meeting_documents_meeting ON meeting_documents (meeting_id);

-- Every approved version of a meeting's minutes (the first approval and each
-- later correction, with its reason).
CREATE TABLE minutes_versions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    approved_by INTEGER NOT NULL REFERENCES people(id),
    approved_at TEXT NOT NULL,
    UNIQUE (meeting_id, version)
);

-- Attendees' comments and proposed amendments while minutes are in review.
CREATE TABLE minutes_comments (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    proposed_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL
);
CREATE INDEX minutes_comments_meeting ON minutes_comments (meeting_id);

-- Agreements: taken at a meeting, owned by a person or a school, followed
-- until kept or dropped. A network's agreements appear on the agenda of its
-- next meetings while open; an encounter session's agreements are the changes
-- each school carries into its PEMC.
CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    network_id INTEGER REFERENCES networks(id),
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    body TEXT NOT NULL,
    owner_person_id INTEGER REFERENCES people(id),
    owner_school_id INTEGER REFERENCES schools(id),
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    drop_reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agreements_network ON agreements (network_id, status);
CREATE INDEX agreements_meeting ON agreements (meeting_id);
CREATE INDEX agreements_owner_person ON agreements (owner_person_id, status);
CREATE INDEX agreements_owner_school ON agreements (owner_school_id, status);

-- Each meeting in which an agreement was reviewed and what was said.
CREATE TABLE agreement_reviews (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    note TEXT NOT NULL DEFAULT '',
    status_after TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES people(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX agreement_reviews_agreement ON agreement_reviews (agreement_id);

-- Seed 003's duties before, during and after an encounter session, per role,
-- ticked by the responsible person.
CREATE TABLE session_checklist (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    phase TEXT NOT NULL,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    done_by INTEGER REFERENCES people(id),
    done_at TEXT
);
CREATE INDEX session_checklist_meeting ON session_checklist (meeting_id);

-- An observer's record of an encounter session (seed 003, "Durante").
CREATE TABLE observer_records (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    observer_id INTEGER NOT NULL REFERENCES people(id),
    participation TEXT NOT NULL DEFAULT '',
    climate TEXT NOT NULL DEFAULT '',
    doubts TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    expectations TEXT NOT NULL DEFAULT '',
    moments TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX observer_records_meeting ON observer_records (meeting_id);

-- Private calendar feeds (iCalendar) per person, revocable.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX calendar_feeds_person ON calendar_feeds (person_id);
