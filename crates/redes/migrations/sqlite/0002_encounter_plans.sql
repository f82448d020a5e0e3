-- Encounter plans (seed 003): the planner's JSON document per municipality,
-- from draft to approved. Kept in step with ../postgres/0002_encounter_plans.sql.
CREATE TABLE encounter_plans (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    province TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    plan_json TEXT NOT NULL,
    derived_sizes INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES people(id),
    approved_by INTEGER REFERENCES people(id),
    approved_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX encounter_plans_territory ON encounter_plans (country, region, province);
