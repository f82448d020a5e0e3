//! Agreement types and the parsing of the agreement, review and status
//! forms (the same bodies as the API's).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::policy::AgreementOwner;
use crate::error::FieldErrors;
use crate::ids::{AgreementId, MeetingId, NetworkId, PersonId, SchoolId};

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    #[default]
    Open,
    InProgress,
    Kept,
    /// Dropped, with a reason.
    Dropped,
}

crate::stored_as_text!(AgreementStatus);

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 4] = [
        AgreementStatus::Open,
        AgreementStatus::InProgress,
        AgreementStatus::Kept,
        AgreementStatus::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgreementStatus::Open => "open",
            AgreementStatus::InProgress => "in_progress",
            AgreementStatus::Kept => "kept",
            AgreementStatus::Dropped => "dropped",
        }
    }

    /// Spanish name.
    pub fn label(self) -> &'static str {
        match self {
            AgreementStatus::Open => "agreements-abierto",
            AgreementStatus::InProgress => "agreements-curso",
            AgreementStatus::Kept => "agreements-cumplido",
            AgreementStatus::Dropped => "agreements-descartado",
        }
    }

    /// Open and in-progress agreements stay on the agenda of the next
    /// meetings; kept and dropped ones are closed.
    pub fn is_open(self) -> bool {
        matches!(self, AgreementStatus::Open | AgreementStatus::InProgress)
    }
}

impl std::str::FromStr for AgreementStatus {
    type Err = ();
    fn from_str(code: &str) -> Result<AgreementStatus, ()> {
        AgreementStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(())
    }
}

/// Statuses as (code, Spanish name), for the forms and the filter.
pub fn statuses() -> Vec<(&'static str, &'static str)> {
    AgreementStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

/// An agreement with its owner's name and the meeting it was taken at.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Agreement {
    pub id: AgreementId,
    /// Empty for an encounter session's agreements (not listed here).
    pub network_id: Option<NetworkId>,
    pub meeting_id: MeetingId,
    pub body: String,
    pub owner_person_id: Option<PersonId>,
    pub owner_school_id: Option<SchoolId>,
    /// The person's or the school's name.
    pub owner_name: String,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub status: AgreementStatus,
    /// Why it was dropped (empty otherwise).
    pub drop_reason: String,
    /// The meeting it was taken at.
    pub meeting_title: String,
    pub meeting_held_on: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The columns of `Agreement`, over `agreements a` joined with its meeting
/// `m`, owner person `op` and owner school `os`.
pub const AGREEMENT_SELECT: &str = "SELECT a.id, a.network_id, a.meeting_id, a.body, a.owner_person_id, a.owner_school_id,
        COALESCE(op.full_name, os.name, '') AS owner_name, a.due_on, a.status, a.drop_reason,
        m.title AS meeting_title, m.held_on AS meeting_held_on, a.created_at, a.updated_at
    FROM agreements a JOIN meetings m ON m.id = a.meeting_id
    LEFT JOIN people op ON op.id = a.owner_person_id
    LEFT JOIN schools os ON os.id = a.owner_school_id";

impl Agreement {
    pub fn owner(&self) -> AgreementOwner {
        match (self.owner_person_id, self.owner_school_id) {
            (Some(id), _) => AgreementOwner::Person(id),
            (None, Some(id)) => AgreementOwner::School(id),
            // Written by `record` only with an owner; an impossible row
            // belongs to nobody.
            (None, None) => AgreementOwner::Person(PersonId(0)),
        }
    }

    /// Open and past its due date (`today` as `YYYY-MM-DD`).
    pub fn is_late(&self, today: &str) -> bool {
        self.status.is_open() && self.due_on.as_deref().is_some_and(|d| d < today)
    }
}

/// A review of an agreement at a meeting: what was said and the status
/// after it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Review {
    pub id: i64,
    pub agreement_id: AgreementId,
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub meeting_held_on: String,
    pub note: String,
    pub status_after: AgreementStatus,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

/// A change of status, at a meeting or between meetings.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct StatusChange {
    pub status_before: AgreementStatus,
    pub status_after: AgreementStatus,
    pub reason: String,
    pub meeting_id: Option<MeetingId>,
    pub changed_by_name: String,
    pub changed_at: String,
}

/// The new-agreement form or API body, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"body": "Compartir la pauta de observación de aula", "owner": "school:5", "due_on": "2026-05-30"}))]
pub struct AgreementInput {
    // The meeting is named by the URL (page and API alike), never by the body.
    /// What was agreed; required, at most 10,000 characters.
    #[schema(min_length = 1, max_length = 10000, pattern = "\\S")]
    pub body: String,
    /// `person:{id}` (a person of the network) or `school:{id}` (a member school).
    #[schema(pattern = "^(person|school):[0-9]+$")]
    pub owner: String,
    /// `YYYY-MM-DD`, on or after the meeting's date.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: String,
}

/// A checked agreement, ready to be written (the owner still to be checked
/// against the network).
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub body: String,
    pub owner: AgreementOwner,
    pub due_on: String,
}

/// A date typed as `YYYY-MM-DD` that exists.
pub fn parse_date(text: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format)
        .ok()
        .map(|_| text.trim().to_string())
}

fn parse_owner(text: &str) -> Option<AgreementOwner> {
    let (kind, id) = text.trim().split_once(':')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    match kind {
        "person" => Some(AgreementOwner::Person(PersonId(id))),
        "school" => Some(AgreementOwner::School(SchoolId(id))),
        _ => None,
    }
}

/// The owner as the form's select writes it.
pub fn owner_code(owner: AgreementOwner) -> String {
    match owner {
        AgreementOwner::Person(id) => format!("person:{id}"),
        AgreementOwner::School(id) => format!("school:{id}"),
    }
}

impl AgreementInput {
    /// Checks the text, the owner's form and the due date against the
    /// meeting's date (`held_on`).
    pub fn parse(&self, held_on: &str) -> Result<NewAgreement, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let body = self.body.trim().to_string();
        if body.is_empty() {
            errors.insert("body".into(), "agreements-escriba-acuerdo".into());
        }
        let owner = parse_owner(&self.owner);
        if owner.is_none() {
            errors.insert(
                "owner".into(),
                "agreements-elija-quien-hace-cargo-persona-escuela".into(),
            );
        }
        let due_on = match parse_date(&self.due_on) {
            Some(d) if d.as_str() < held_on => {
                errors.insert(
                    "due_on".into(),
                    crate::text::message("agreements-plazo-no-puede-ser-anterior-reunion", &[("held_on", &held_on)]),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                errors.insert(
                    "due_on".into(),
                    "agreements-escriba-plazo-como-fecha-aaaa-mm".into(),
                );
                None
            }
        };
        match (owner, due_on) {
            (Some(owner), Some(due_on)) if errors.is_empty() => Ok(NewAgreement {
                body,
                owner,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A new status, with the reason when it is dropped: the status form, and
/// part of the review form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(as = AgreementStatusInput, example = json!({"status": "kept", "drop_reason": ""}))]
pub struct StatusInput {
    #[schema(pattern = "^(open|in_progress|kept|dropped)$")]
    pub status: String,
    /// Required when the status is `dropped`; at most 1,000 characters.
    #[schema(max_length = 1000)]
    pub drop_reason: String,
}

/// A checked status change.
#[derive(Debug, Clone)]
pub struct NewStatus {
    pub status: AgreementStatus,
    pub drop_reason: String,
}

impl StatusInput {
    pub fn parse(&self) -> Result<NewStatus, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let status = self.status.trim().parse::<AgreementStatus>().ok();
        let drop_reason = self.drop_reason.trim().to_string();
        match status {
            None => {
                errors.insert("status".into(), "agreements-elija-estado".into());
            }
            Some(AgreementStatus::Dropped) if drop_reason.is_empty() => {
                errors.insert(
                    "drop_reason".into(),
                    "agreements-diga-por-descarta-acuerdo".into(),
                );
            }
            _ => {}
        }
        match status {
            Some(status) if errors.is_empty() => Ok(NewStatus {
                status,
                drop_reason: if status == AgreementStatus::Dropped {
                    drop_reason
                } else {
                    String::new()
                },
            }),
            _ => Err(errors),
        }
    }
}

/// The review form or API body: the meeting, what was said, the status
/// after it (and why, when it is dropped).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"meeting_id": "13", "note": "La escuela aplicó la pauta en dos cursos.", "status_after": "in_progress", "reason": ""}))]
pub struct ReviewInput {
    /// A meeting of the same network, on or after the one that took the agreement.
    #[schema(pattern = "^[0-9]+$")]
    pub meeting_id: String,
    /// What was said; required, at most 2,000 characters.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    pub note: String,
    #[schema(pattern = "^(open|in_progress|kept|dropped)$")]
    pub status_after: String,
    /// Why it is dropped: required when `status_after` is `dropped`.
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// A checked review.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub meeting_id: MeetingId,
    pub note: String,
    pub status: NewStatus,
}

impl ReviewInput {
    pub fn parse(&self) -> Result<NewReview, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let meeting_id = self.meeting_id.trim().parse::<i64>().ok().map(MeetingId);
        if meeting_id.is_none() {
            errors.insert("meeting_id".into(), "agreements-elija-reunion".into());
        }
        let note = self.note.trim().to_string();
        if note.is_empty() {
            errors.insert("note".into(), "agreements-escriba-dijo-acuerdo".into());
        }
        let status = StatusInput {
            status: self.status_after.clone(),
            drop_reason: self.reason.clone(),
        }
        .parse();
        if let Err(e) = &status {
            // The review form names them `status_after` and `reason`.
            for (field, message) in e {
                let field = match field.as_str() {
                    "status" => "status_after",
                    "drop_reason" => "reason",
                    other => other,
                };
                errors.insert(field.to_string(), message.clone());
            }
        }
        match (meeting_id, status) {
            (Some(meeting_id), Ok(status)) if errors.is_empty() => Ok(NewReview {
                meeting_id,
                note,
                status,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agreement_needs_text_an_owner_and_a_due_date_not_before_the_meeting() {
        let input = AgreementInput {
            body: "  ".into(),
            owner: "club:3".into(),
            due_on: "2026-03-01".into(),
        };
        let errors = input.parse("2026-03-10").unwrap_err();
        assert_eq!(crate::text::es(&errors["body"]), "Escriba el acuerdo");
        assert!(errors.contains_key("owner"));
        assert!(crate::text::es(&errors["due_on"]).contains("2026-03-10"));
        let bad_date = AgreementInput {
            due_on: "2026-02-30".into(),
            ..input.clone()
        };
        assert!(crate::text::es(&bad_date.parse("2026-01-01").unwrap_err()["due_on"]).contains("AAAA"));
        let ok = AgreementInput {
            body: " Compartir la pauta ".into(),
            owner: "school:5".into(),
            due_on: "2026-03-10".into(),
        };
        let a = ok.parse("2026-03-10").unwrap();
        assert_eq!(a.body, "Compartir la pauta");
        assert_eq!(a.owner, AgreementOwner::School(SchoolId(5)));
        assert_eq!(owner_code(a.owner), "school:5");
    }

    #[test]
    fn dropping_needs_a_reason_and_other_statuses_keep_none() {
        let drop = StatusInput {
            status: "dropped".into(),
            drop_reason: " ".into(),
        };
        assert!(drop.parse().unwrap_err().contains_key("drop_reason"));
        let kept = StatusInput {
            status: "kept".into(),
            drop_reason: "sobra".into(),
        };
        assert_eq!(kept.parse().unwrap().drop_reason, "");
        assert!(StatusInput::default().parse().unwrap_err().contains_key("status"));
        let review = ReviewInput {
            meeting_id: "x".into(),
            status_after: "dropped".into(),
            ..Default::default()
        };
        let errors = review.parse().unwrap_err();
        for field in ["meeting_id", "note", "reason"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
