//! Work-plan types (issue 11, item 1) and the parsing of their forms: a
//! network's plan for a year, its strategic and annual objectives, actions
//! with an owner and dates, indicators with a baseline and a goal, and the
//! measurements of each indicator.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{
    ActionId, IndicatorId, MeasurementId, NetworkId, ObjectiveId, PersonId, SchoolId, WorkPlanId,
};

/// The years a plan may be made for.
pub const YEARS: std::ops::RangeInclusive<i64> = 1990..=2100;

/// A network's plan for one year.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct WorkPlan {
    pub id: WorkPlanId,
    pub network_id: NetworkId,
    pub year: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A strategic objective (no parent) or an annual objective under one.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Objective {
    pub id: ObjectiveId,
    pub plan_id: WorkPlanId,
    /// The strategic objective an annual objective serves; none for a
    /// strategic objective.
    pub parent_id: Option<ObjectiveId>,
    pub title: String,
    pub description: String,
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Pending,
    InProgress,
    Done,
    Cancelled,
}

crate::stored_as_text!(ActionStatus);

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Pending,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Pending => "pending",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    /// Spanish name.
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Pending => "plans-pendiente",
            ActionStatus::InProgress => "agreements-curso",
            ActionStatus::Done => "plans-realizada",
            ActionStatus::Cancelled => "plans-cancelada",
        }
    }

    /// Status (code, Spanish name) pairs for the forms.
    pub fn options() -> Vec<(&'static str, &'static str)> {
        ActionStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect()
    }
}

impl std::str::FromStr for ActionStatus {
    type Err = ();
    fn from_str(code: &str) -> Result<ActionStatus, ()> {
        ActionStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(())
    }
}

/// An action of an objective, with the name of its owner.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Action {
    pub id: ActionId,
    pub objective_id: ObjectiveId,
    pub title: String,
    pub owner_person_id: Option<PersonId>,
    pub owner_school_id: Option<SchoolId>,
    /// The owner's name (the person's or the school's).
    pub owner_name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub status: ActionStatus,
    /// The matching action of the owner school's own improvement plan (PME,
    /// PMI or PEMC), as that plan names it; empty for none.
    pub school_plan_action: String,
    pub updated_at: String,
    /// Due date past and neither done nor cancelled (computed, not stored).
    #[sqlx(skip)]
    pub late: bool,
}

pub const ACTION_COLUMNS: &str = "a.id, a.objective_id, a.title, a.owner_person_id, a.owner_school_id,
    COALESCE(p.full_name, s.name, '') AS owner_name, a.starts_on, a.due_on, a.status, a.school_plan_action, a.updated_at";

/// The joins that give an action's owner name (`a` is `plan_actions`).
pub const ACTION_OWNER_JOINS: &str = "LEFT JOIN people p ON p.id = a.owner_person_id
    LEFT JOIN schools s ON s.id = a.owner_school_id";

impl Action {
    /// Due before `today` (`YYYY-MM-DD`) and neither done nor cancelled.
    pub fn is_late(&self, today: &str) -> bool {
        matches!(
            self.status,
            ActionStatus::Pending | ActionStatus::InProgress
        ) && self.due_on.as_str() < today
    }
}

/// An indicator of an objective.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Indicator {
    pub id: IndicatorId,
    pub objective_id: ObjectiveId,
    pub name: String,
    /// `%`, `estudiantes`, `puntos`...
    pub unit: String,
    pub baseline: Option<f64>,
    pub goal: f64,
}

/// One measurement of an indicator.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Measurement {
    pub id: MeasurementId,
    pub indicator_id: IndicatorId,
    /// `YYYY-MM-DD`.
    pub measured_on: String,
    pub value: f64,
    /// Where the value comes from (SIMCE, the network's own test...).
    pub source: String,
}

/// A number as a person writes it: no trailing `.0`.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_means_past_due_and_not_finished() {
        let action = |status, due_on: &str| Action {
            id: ActionId(1),
            objective_id: ObjectiveId(1),
            title: String::new(),
            owner_person_id: None,
            owner_school_id: None,
            owner_name: String::new(),
            starts_on: "2017-03-01".into(),
            due_on: due_on.into(),
            status,
            school_plan_action: String::new(),
            updated_at: String::new(),
            late: false,
        };
        assert!(action(ActionStatus::Pending, "2017-04-01").is_late("2017-05-01"));
        assert!(action(ActionStatus::InProgress, "2017-04-01").is_late("2017-05-01"));
        assert!(!action(ActionStatus::Done, "2017-04-01").is_late("2017-05-01"));
        assert!(!action(ActionStatus::Cancelled, "2017-04-01").is_late("2017-05-01"));
        assert!(!action(ActionStatus::Pending, "2017-05-01").is_late("2017-05-01"));
    }

    #[test]
    fn numbers_are_written_without_a_trailing_zero() {
        assert_eq!(number(70.0), "70");
        assert_eq!(number(55.25), "55.25");
    }
}
