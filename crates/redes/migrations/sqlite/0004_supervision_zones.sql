-- Supervision zones (seed 003, issue 10): a Mexican school's zone comes
-- from the SEP catalogue (SUPERVISION_CV_CCT); a supervisor's scope can be
-- a zone (memberships.scope_kind = 'zone', the code in scope_name); an
-- encounter plan says which zone it planned ('' for a municipality).
-- Kept in step with ../postgres/0004_supervision_zones.sql.
ALTER TABLE schools ADD COLUMN supervision_zone TEXT NOT NULL DEFAULT '';
CREATE INDEX schools_zone ON schools (country, supervision_zone);
ALTER TABLE encounter_plans ADD COLUMN zone TEXT NOT NULL DEFAULT '';
CREATE INDEX encounter_plans_zone ON encounter_plans (country, zone);
