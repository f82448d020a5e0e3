-- Directory rows that need a person's look (issue 8): a placeholder name
-- such as "..", or no levels of teaching. Codes, comma-separated:
-- 'placeholder_name', 'no_levels'; '' for a row that reads well. Lists sort
-- flagged rows after the others. Kept in step with ../postgres/0010_school_review.sql.
ALTER TABLE schools ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
UPDATE schools SET review_note = 'no_levels' WHERE levels = '';
UPDATE schools SET review_note = CASE WHEN review_note = '' THEN 'placeholder_name'
    ELSE 'placeholder_name,' || review_note END
    WHERE name IN ('', '.', '..', '...', '-', '--', 'S/N', 'SIN NOMBRE');
CREATE INDEX schools_listing ON schools (review_note, name, id);
