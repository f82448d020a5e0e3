-- The three encounter sessions of seed 003 (issue 11 item 5). A session's
-- roster comes from its approved plan, whose members are the planner's
-- teacher ids ("22DPR0001B-T03"); each attendance row keeps the one it
-- stands for, and a session keeps its coordinator's, so that a coordinator
-- who is not (yet) a person of the registry is still named. Kept in step
-- with ../postgres/0009_encounter_sessions.sql.
ALTER TABLE attendance ADD COLUMN plan_member TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN coordinator_member TEXT NOT NULL DEFAULT '';
