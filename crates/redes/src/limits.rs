//! Upper bounds for everything people send: every text field has a length
//! limit (shown next to the field and checked on the server), control
//! characters are refused, counts have a ceiling, pages are clamped. One
//! table for every form and API body, so a new field is bounded by default.

use serde::Serialize;

use crate::error::FieldErrors;

/// Limit of a field the table does not name.
pub const DEFAULT_CHARS: usize = 200;

/// Longest search text in a list filter.
pub const SEARCH_CHARS: usize = 200;

/// Largest classroom, teacher or student count a school may declare.
pub const MAX_COUNT: i64 = 100_000;

/// Highest page number a list accepts; larger ones show the last page.
pub const MAX_PAGE: i64 = 100_000;

/// Characters per field, by field name (forms and API bodies share names).
const FIELD_CHARS: &[(&str, usize)] = &[
    ("official_code", 20),
    ("parent_code", 20),
    ("school_code", 20),
    ("country", 2),
    ("levels", 200),
    ("dependency", 120),
    ("modality", 40),
    ("shift", 20),
    ("rural", 5),
    ("region", 120),
    ("province", 120),
    ("commune", 120),
    ("colonia", 120),
    ("supervision_zone", 20),
    ("zone", 20),
    ("scope_name", 120),
    ("address", 300),
    ("latitude", 30),
    ("longitude", 30),
    ("since_year", 4),
    ("network_id", 12),
    ("starts_on", 10),
    ("ends_on", 10),
    ("username", 60),
    ("password", 200),
    ("email", 254),
    ("label", 100),
    ("body", 10_000),
    // Work plans (issue 11).
    ("description", 2_000),
    ("school_plan_action", 300),
    ("owner_person_id", 12),
    ("owner_school_id", 12),
    ("parent_id", 12),
    ("unit", 40),
    ("baseline", 30),
    ("goal", 30),
    ("value", 30),
    ("measured_on", 10),
    ("due_on", 10),
    // Agreements (issue 11): the owner's code, what was said at a review,
    // why an agreement is dropped.
    ("owner", 30),
    ("meeting_id", 12),
    ("note", 2_000),
    ("status", 20),
    ("status_after", 20),
    ("drop_reason", 1_000),
    ("volver", 20),
    ("estado", 20),
    // Encounter sessions (seed 003): dates, observers' records, PEMC changes.
    ("date_1", 20),
    ("date_2", 20),
    ("date_3", 20),
    ("school_id", 12),
    ("participation", 5_000),
    ("climate", 5_000),
    ("doubts", 5_000),
    ("needs", 5_000),
    ("expectations", 5_000),
    ("moments", 5_000),
    ("pemc_change", 2_000),
    // Charter fields of a network (seed 001): a few paragraphs each.
    ("who_forms", 5_000),
    ("principles_needs", 5_000),
    ("objective", 5_000),
    ("how_members_move", 5_000),
    ("collaboration", 5_000),
    ("learnings_achievements", 5_000),
    ("key_idea", 5_000),
    ("projection_challenges", 5_000),
    // Meetings (issue 11): the "hilo conductor", times, the minutes and
    // what was raised, agenda notes, amendments.
    ("theme", 500),
    ("held_on", 10),
    ("starts_at", 5),
    ("ends_at", 5),
    ("host_school_id", 12),
    ("coordinator_id", 12),
    ("place", 300),
    ("minutes", 50_000),
    ("minutes_version", 12),
    ("doubts", 5_000),
    ("needs", 5_000),
    ("expectations", 5_000),
    ("notes", 5_000),
    ("minutes_allotted", 3),
    ("guest_institution", 200),
    ("proposed_text", 50_000),
    ("reason", 1_000),
    ("weekday", 1),
    ("nth", 1),
    ("from_month", 2),
    ("to_month", 2),
    ("rotate_hosts", 1),
    ("plan_action_id", 12),
    // Inviting a person to a network (issue 8): a username or an e-mail,
    // and a role's code.
    ("person", 254),
    ("role", 40),
    // Institutional calls and their proposals (issue 8): dates, the level
    // of the proposed territory, why a proposal is declined. `level` is
    // also the schools list's filter ("básica secundaria"), where a level
    // no country has must get its own message, not a length one.
    ("opens_on", 10),
    ("closes_on", 10),
    ("level", 40),
    ("decline_reason", 1_000),
    // Good practices (issue 12): the record a reviewer needs, and the
    // comment of a transition.
    ("area", 120),
    ("context", 5_000),
    ("problem", 5_000),
    ("steps", 10_000),
    ("results", 10_000),
    ("learnings", 5_000),
    ("pei_link", 1_000),
    ("plan_link", 1_000),
    ("policy_link", 1_000),
    ("tags", 300),
    ("stage", 20),
    ("to", 20),
    ("comment", 2_000),
    ("etapa", 20),
    // Replications (issue 12 item 4): how a school adapted a practice and
    // what happened, the schools by id and the date.
    ("adaptation", 5_000),
    ("outcome", 5_000),
    ("adopted_on", 10),
    ("school_id", 12),
    ("from_school_id", 12),
    // Peer review (issue 12, item 3): the reviewer chosen, a rubric's
    // criteria (name, meaning, a descriptor per level), the authors' reply.
    ("reviewer_id", 12),
    ("reviews_needed", 2),
    ("criterion", 120),
    ("meaning", 1_000),
    ("descriptor", 500),
    ("reply", 2_000),
];

/// The most characters `field` may hold.
pub fn max_chars(field: &str) -> usize {
    FIELD_CHARS
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, n)| *n)
        .unwrap_or(DEFAULT_CHARS)
}

/// What is wrong with a text for `field`, if anything.
pub fn problem(field: &str, text: &str) -> Option<String> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Some("common-contiene-caracteres-control-no-permitidos".into());
    }
    let max = max_chars(field);
    let count = text.chars().count();
    (count > max).then(|| {
        crate::text::message(
            "common-no-puede-superar-caracteres-tiene",
            &[("max", &max), ("count", &count)],
        )
    })
}

/// Checks every text field of a form or API body against its limit.
pub fn check<T: Serialize>(input: &T) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(input) else {
        return errors;
    };
    for (name, value) in fields {
        if let Some(problem) = value.as_str().and_then(|text| problem(&name, text)) {
            errors.insert(name, problem);
        }
    }
    errors
}

/// A requested page number within `1..=MAX_PAGE`.
pub fn page(requested: Option<i64>) -> i64 {
    requested.unwrap_or(1).clamp(1, MAX_PAGE)
}

/// The search text of a list, refused when too long to be a search.
pub fn search(field: &str, text: &str) -> Result<(), crate::error::AppError> {
    if let Some(problem) = self::problem(field, text).or_else(|| {
        let count = text.chars().count();
        (count > SEARCH_CHARS).then(|| {
            crate::text::message(
                "common-no-puede-superar-caracteres-tiene-2",
                &[("SEARCH_CHARS", &SEARCH_CHARS), ("count", &count)],
            )
        })
    }) {
        return Err(crate::error::AppError::field(field, problem));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Form {
        name: String,
        address: String,
        body: String,
    }

    #[test]
    fn every_field_is_bounded_and_named() {
        let errors = check(&Form {
            name: "x".repeat(201),
            address: "calle\u{0}1".into(),
            body: "línea\nsiguiente".into(),
        });
        assert!(errors["name"].contains("200"), "{errors:?}");
        assert!(errors["address"].contains("control"), "{errors:?}");
        assert!(!errors.contains_key("body"), "new lines are text");
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(page(Some(i64::MAX)), MAX_PAGE);
        assert_eq!(page(Some(-3)), 1);
        assert_eq!(page(None), 1);
    }
}
