//! The forms (and API bodies) of work plans, as typed, and their parsing
//! into checked values with a Spanish message per field.

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::Date;
use utoipa::ToSchema;

use super::model::{number, Action, ActionStatus, Indicator, Measurement, Objective, YEARS};
use crate::error::FieldErrors;
use crate::ids::{ObjectiveId, PersonId, SchoolId};

/// A `YYYY-MM-DD` date typed in a form, or the message to show.
pub fn parse_date(text: &str, required: bool) -> Result<Option<Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if required {
            Err("plans-escriba-fecha-aaaa-mm-dd".into())
        } else {
            Ok(None)
        };
    }
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| "plans-escriba-fecha-valida-con-forma-aaaa".into())
}

/// A number typed in a form (a decimal comma is accepted), or the message
/// to show.
pub fn parse_number(text: &str, required: bool) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if required {
            Err("plans-escriba-numero".into())
        } else {
            Ok(None)
        };
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() < 1e12 => Ok(Some(v)),
        _ => Err("plans-escriba-numero".into()),
    }
}

/// A plan's year typed in a form.
pub fn parse_year(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(crate::text::message("plans-escriba-ano-entre", &[("arg1", &YEARS.start()), ("arg2", &YEARS.end())])),
    }
}

fn required_text(errors: &mut FieldErrors, field: &str, text: &str, message: &str) -> String {
    let text = text.trim().to_string();
    if text.is_empty() {
        errors.entry(field.into()).or_insert_with(|| message.into());
    }
    text
}

/// An id chosen in a select (empty: none).
fn parse_id(errors: &mut FieldErrors, field: &str, text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.insert(field.into(), "plans-elija-opcion-lista".into());
            None
        }
    }
}

/// The form (or API body) that starts a plan for a year.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlanInput {
    /// A year from 1990 to 2100.
    #[schema(example = "2017")]
    pub year: String,
}

/// The objective form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"title": "Mejorar la comprensión lectora en primer ciclo", "description": "", "parent_id": ""}))]
pub struct ObjectiveInput {
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 2000)]
    pub description: String,
    /// The strategic objective this annual objective serves; empty for a
    /// strategic objective.
    #[schema(pattern = "^[0-9]*$", max_length = 12)]
    pub parent_id: String,
}

/// A checked objective.
#[derive(Debug, Clone)]
pub struct NewObjective {
    pub title: String,
    pub description: String,
    pub parent_id: Option<ObjectiveId>,
}

impl ObjectiveInput {
    pub fn parse(&self) -> Result<NewObjective, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            "plans-objetivo-necesita-titulo",
        );
        let parent_id = parse_id(&mut errors, "parent_id", &self.parent_id).map(ObjectiveId);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewObjective {
            title,
            description: self.description.trim().to_string(),
            parent_id,
        })
    }
}

impl From<&Objective> for ObjectiveInput {
    fn from(o: &Objective) -> Self {
        ObjectiveInput {
            title: o.title.clone(),
            description: o.description.clone(),
            parent_id: o.parent_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }
}

/// The action form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"title": "Pasantías entre escuelas", "owner_person_id": "", "owner_school_id": "12",
    "starts_on": "2017-04-01", "due_on": "2017-06-30", "status": "pending", "school_plan_action": "PME: Acción 3"}))]
pub struct ActionInput {
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// The person who owns the action (one of the network's people), or
    /// empty when a member school owns it.
    #[schema(pattern = "^[0-9]*$", max_length = 12)]
    pub owner_person_id: String,
    /// The member school that owns the action, or empty when a person
    /// owns it.
    #[schema(pattern = "^[0-9]*$", max_length = 12)]
    pub owner_school_id: String,
    /// `YYYY-MM-DD`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: String,
    /// Empty means `pending`.
    #[schema(pattern = "^(pending|in_progress|done|cancelled)?$")]
    pub status: String,
    /// The matching action of the owner school's improvement plan (PME,
    /// PMI, PEMC); needs an owner school.
    #[schema(max_length = 300)]
    pub school_plan_action: String,
}

/// A checked action; the owner is checked against the network by the store.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub title: String,
    pub owner_person_id: Option<PersonId>,
    pub owner_school_id: Option<SchoolId>,
    pub starts_on: String,
    pub due_on: String,
    pub status: ActionStatus,
    pub school_plan_action: String,
}

impl ActionInput {
    pub fn parse(&self) -> Result<NewAction, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            "plans-accion-necesita-titulo",
        );
        let person = parse_id(&mut errors, "owner_person_id", &self.owner_person_id);
        let school = parse_id(&mut errors, "owner_school_id", &self.owner_school_id);
        match (person, school) {
            (Some(_), Some(_)) => {
                errors.insert(
                    "owner_school_id".into(),
                    "plans-elija-persona-escuela-responsable-no-ambas".into(),
                );
            }
            (None, None) if !errors.contains_key("owner_person_id") && !errors.contains_key("owner_school_id") => {
                errors.insert(
                    "owner_person_id".into(),
                    "plans-elija-persona-escuela-responsable".into(),
                );
            }
            _ => {}
        }
        let starts = parse_date(&self.starts_on, true)
            .map_err(|e| errors.insert("starts_on".into(), e))
            .ok()
            .flatten();
        let due = parse_date(&self.due_on, true)
            .map_err(|e| errors.insert("due_on".into(), e))
            .ok()
            .flatten();
        if let (Some(starts), Some(due)) = (starts, due) {
            if due < starts {
                errors.insert(
                    "due_on".into(),
                    "plans-plazo-no-puede-ser-anterior-fecha".into(),
                );
            }
        }
        let status = self.status.trim();
        let status = if status.is_empty() {
            Some(ActionStatus::Pending)
        } else {
            status.parse::<ActionStatus>().ok()
        };
        if status.is_none() {
            errors.insert("status".into(), "plans-elija-estado-lista".into());
        }
        let school_plan_action = self.school_plan_action.trim().to_string();
        if !school_plan_action.is_empty() && school.is_none() && !errors.contains_key("owner_school_id") {
            errors.insert(
                "school_plan_action".into(),
                "plans-accion-plan-escuela-necesita-escuela-responsable".into(),
            );
        }
        match (starts, due, status) {
            (Some(starts), Some(due), Some(status)) if errors.is_empty() => Ok(NewAction {
                title,
                owner_person_id: person.map(PersonId),
                owner_school_id: school.map(SchoolId),
                starts_on: starts.to_string(),
                due_on: due.to_string(),
                status,
                school_plan_action,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&Action> for ActionInput {
    fn from(a: &Action) -> Self {
        ActionInput {
            title: a.title.clone(),
            owner_person_id: a.owner_person_id.map(|id| id.to_string()).unwrap_or_default(),
            owner_school_id: a.owner_school_id.map(|id| id.to_string()).unwrap_or_default(),
            starts_on: a.starts_on.clone(),
            due_on: a.due_on.clone(),
            status: a.status.code().to_string(),
            school_plan_action: a.school_plan_action.clone(),
        }
    }
}

/// The form (or API body) that changes an action's status.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(as = ActionStatusInput)]
pub struct StatusInput {
    #[schema(pattern = "^(pending|in_progress|done|cancelled)$", example = "done")]
    pub status: String,
}

impl StatusInput {
    pub fn parse(&self) -> Result<ActionStatus, FieldErrors> {
        self.status.trim().parse::<ActionStatus>().map_err(|_| {
            FieldErrors::from([("status".to_string(), "plans-elija-estado-lista".to_string())])
        })
    }
}

/// The indicator form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"name": "Estudiantes de 2° básico que leen con fluidez", "unit": "%", "baseline": "48", "goal": "70"}))]
pub struct IndicatorInput {
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    #[schema(max_length = 40)]
    pub unit: String,
    /// A number, or empty when unknown.
    #[schema(max_length = 30)]
    pub baseline: String,
    /// A number.
    #[schema(min_length = 1, max_length = 30)]
    pub goal: String,
}

/// A checked indicator.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub goal: f64,
}

impl IndicatorInput {
    pub fn parse(&self) -> Result<NewIndicator, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let name = required_text(
            &mut errors,
            "name",
            &self.name,
            "plans-indicador-necesita-nombre",
        );
        let baseline = parse_number(&self.baseline, false)
            .map_err(|e| errors.insert("baseline".into(), e))
            .ok()
            .flatten();
        let goal = parse_number(&self.goal, true)
            .map_err(|e| errors.insert("goal".into(), e))
            .ok()
            .flatten();
        match goal {
            Some(goal) if errors.is_empty() => Ok(NewIndicator {
                name,
                unit: self.unit.trim().to_string(),
                baseline,
                goal,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&Indicator> for IndicatorInput {
    fn from(i: &Indicator) -> Self {
        IndicatorInput {
            name: i.name.clone(),
            unit: i.unit.clone(),
            baseline: i.baseline.map(number).unwrap_or_default(),
            goal: number(i.goal),
        }
    }
}

/// The measurement form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"measured_on": "2017-06-30", "value": "55", "source": "Evaluación de fluidez de la red"}))]
pub struct MeasurementInput {
    /// `YYYY-MM-DD`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub measured_on: String,
    /// A number (a decimal comma is accepted).
    #[schema(min_length = 1, max_length = 30)]
    pub value: String,
    #[schema(max_length = 200)]
    pub source: String,
}

/// A checked measurement.
#[derive(Debug, Clone)]
pub struct NewMeasurement {
    pub measured_on: String,
    pub value: f64,
    pub source: String,
}

impl MeasurementInput {
    pub fn parse(&self) -> Result<NewMeasurement, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let measured_on = parse_date(&self.measured_on, true)
            .map_err(|e| errors.insert("measured_on".into(), e))
            .ok()
            .flatten();
        let value = parse_number(&self.value, true)
            .map_err(|e| errors.insert("value".into(), e))
            .ok()
            .flatten();
        match (measured_on, value) {
            (Some(on), Some(value)) if errors.is_empty() => Ok(NewMeasurement {
                measured_on: on.to_string(),
                value,
                source: self.source.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

impl From<&Measurement> for MeasurementInput {
    fn from(m: &Measurement) -> Self {
        MeasurementInput {
            measured_on: m.measured_on.clone(),
            value: number(m.value),
            source: m.source.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measurement_needs_a_number_and_a_date() {
        let errors = MeasurementInput {
            measured_on: "2017-13-01".into(),
            value: "cincuenta".into(),
            source: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(crate::text::es(&errors["value"]), "Escriba un número");
        assert!(crate::text::es(&errors["measured_on"]).contains("AAAA-MM-DD"));
        let empty = MeasurementInput::default().parse().unwrap_err();
        assert_eq!(crate::text::es(&empty["value"]), "Escriba un número");
        let ok = MeasurementInput {
            measured_on: "2017-06-30".into(),
            value: "55,5".into(),
            source: " SIMCE ".into(),
        }
        .parse()
        .unwrap();
        assert_eq!((ok.value, ok.source.as_str()), (55.5, "SIMCE"));
    }

    #[test]
    fn an_action_is_due_after_it_starts_and_has_one_owner() {
        let input = ActionInput {
            title: "Pasantías".into(),
            owner_person_id: "3".into(),
            owner_school_id: "4".into(),
            starts_on: "2017-05-01".into(),
            due_on: "2017-04-01".into(),
            ..Default::default()
        };
        let errors = input.parse().unwrap_err();
        assert!(crate::text::es(&errors["due_on"]).contains("anterior"));
        assert!(crate::text::es(&errors["owner_school_id"]).contains("no ambas"));
        let ok = ActionInput {
            owner_person_id: String::new(),
            due_on: "2017-06-30".into(),
            ..input
        }
        .parse()
        .unwrap();
        assert_eq!(ok.status, ActionStatus::Pending);
        assert_eq!(ok.owner_school_id, Some(SchoolId(4)));
        assert_eq!(ok.due_on, "2017-06-30");
    }

    #[test]
    fn years_and_numbers() {
        assert!(parse_year("1989").is_err());
        assert_eq!(parse_year(" 2017 "), Ok(2017));
    }
}
