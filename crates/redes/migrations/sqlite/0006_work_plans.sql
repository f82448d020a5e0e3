-- A network's annual work plan (issue 11, item 1): strategic objectives, the
-- annual objectives under them, actions with an owner (a person or a member
-- school) and dates, and indicators with a baseline, a goal and their
-- measurements. Kept in step with ../postgres/0006_work_plans.sql.

CREATE TABLE work_plans (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    year INTEGER NOT NULL,
    created_by INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (network_id, year)
);

-- A strategic objective (parent_id NULL) or an annual objective under one.
CREATE TABLE plan_objectives (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES work_plans(id),
    parent_id INTEGER REFERENCES plan_objectives(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_objectives_plan ON plan_objectives (plan_id);

-- An action of an objective. Its owner is a person or a member school; it may
-- name the matching action of that school's own improvement plan (PME, PMI,
-- PEMC: school_plan_action).
CREATE TABLE plan_actions (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES plan_objectives(id),
    title TEXT NOT NULL,
    owner_person_id INTEGER REFERENCES people(id),
    owner_school_id INTEGER REFERENCES schools(id),
    starts_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    school_plan_action TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_actions_objective ON plan_actions (objective_id);

-- An indicator of an objective, with its unit, baseline and goal.
CREATE TABLE plan_indicators (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES plan_objectives(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    baseline REAL,
    goal REAL NOT NULL
);
CREATE INDEX plan_indicators_objective ON plan_indicators (objective_id);

CREATE TABLE plan_measurements (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES plan_indicators(id),
    measured_on TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_measurements_indicator ON plan_measurements (indicator_id, measured_on);
