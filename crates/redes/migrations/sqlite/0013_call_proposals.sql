-- Institutional calls (issue 8 item 8): a call has its opening and closing
-- dates and a territory (country; region, empty for a national call;
-- province, municipality or district, empty for the whole region); networks
-- are advisory (seed 000), so a network's coordination PROPOSES a call to the
-- authority of a territory, which puts it under consideration, then issues it
-- (the call keeps the proposal's id) or declines it with a reason.
-- Kept in step with ../postgres/0013_call_proposals.sql.
CREATE TABLE call_proposals (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed',
    decline_reason TEXT NOT NULL DEFAULT '',
    proposed_by INTEGER NOT NULL REFERENCES people(id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES people(id),
    decided_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX call_proposals_network ON call_proposals (network_id);
CREATE INDEX call_proposals_place ON call_proposals (country, region);

ALTER TABLE calls ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN opens_on TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN closes_on TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN proposal_id INTEGER REFERENCES call_proposals(id);
-- One call per proposal, even if two people issue it at once.
CREATE UNIQUE INDEX calls_proposal ON calls (proposal_id);
