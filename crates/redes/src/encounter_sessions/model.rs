//! The encounter sessions' types: a session (a meeting of kind
//! `encounter`), its roster rows and their attendance, the duties of seed
//! 003 before, during and after a session, observers' records and each
//! school's changes to its PEMC; and the parsing of their forms.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::auth::policy::DutyRole;
use crate::error::FieldErrors;
use crate::ids::{
    AgreementId, AttendanceId, ChecklistItemId, MeetingId, ObserverRecordId, PersonId, PlanId,
    SchoolId,
};

/// The kind code of an encounter session in `meetings.kind`.
pub const KIND: &str = "encounter";

/// One session of one group of an approved encounter plan.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Session {
    pub id: MeetingId,
    #[schema(value_type = i64)]
    pub encounter_plan_id: PlanId,
    /// 1, 2 or 3.
    pub encounter_session: i64,
    /// The plan's cluster and group, `"2-1"` (cluster 2, group 1).
    pub encounter_group: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// `HH:MM`.
    pub starts_at: String,
    pub ends_at: String,
    pub host_school_id: Option<SchoolId>,
    /// The host school's name.
    pub place: String,
    /// The session's coordinator, when a person of the registry.
    pub coordinator_id: Option<PersonId>,
    /// The planner's id of the coordinator (`22DPR0001B-D1`).
    pub coordinator_member: String,
}

pub const SESSION_COLUMNS: &str = "id, encounter_plan_id, encounter_session, encounter_group, title, held_on, starts_at, ends_at, host_school_id, place, coordinator_id, coordinator_member";

impl Session {
    /// The plan's cluster and group numbers.
    pub fn cluster_and_group(&self) -> (usize, usize) {
        let mut parts = self.encounter_group.split('-').map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }
}

/// Whether someone on the roster came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Not taken yet.
    #[serde(rename = "")]
    Unknown,
    Present,
    Excused,
    Absent,
}

crate::stored_as_text!(Presence);

impl Presence {
    pub const TAKEN: [Presence; 3] = [Presence::Present, Presence::Excused, Presence::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Presence::Unknown => "",
            Presence::Present => "present",
            Presence::Excused => "excused",
            Presence::Absent => "absent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Presence::Unknown => "sin registrar",
            Presence::Present => "presente",
            Presence::Excused => "justificado",
            Presence::Absent => "ausente",
        }
    }
}

impl std::str::FromStr for Presence {
    type Err = ();
    fn from_str(code: &str) -> Result<Presence, ()> {
        [Presence::Unknown, Presence::Present, Presence::Excused, Presence::Absent]
            .into_iter()
            .find(|p| p.code() == code)
            .ok_or(())
    }
}

/// A line of a session's roster: a person of the registry or, when the
/// school's people are not registered, the planned member of its CTE.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct RosterLine {
    pub id: AttendanceId,
    pub person_id: Option<PersonId>,
    /// The person's name; empty for a planned member not in the registry.
    pub person_name: String,
    pub school_id: Option<SchoolId>,
    pub school_name: String,
    /// Function and grade or subject ("Docente · 3°").
    pub role_label: String,
    /// The planner's id of the member (`22DPR0001B-T03`).
    pub plan_member: String,
    pub status: Presence,
}

/// A duty of the checklist of one session.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Duty {
    pub id: ChecklistItemId,
    /// `before`, `during` or `after`.
    pub phase: String,
    pub role: DutyRole,
    pub position: i64,
    pub body: String,
    pub done_by: Option<PersonId>,
    /// Who ticked it.
    pub done_by_name: Option<String>,
    pub done_at: Option<String>,
}

/// The phases of a session, with their Spanish names (seed 003).
pub const PHASES: [(&str, &str); 3] = [
    ("before", "Antes"),
    ("during", "Durante"),
    ("after", "Después"),
];

/// The duties of seed 003 ("¿Cómo nos preparamos...?": Antes, Durante,
/// Después) per role, written on every session's checklist.
pub const DUTIES: &[(&str, DutyRole, &str)] = &[
    ("before", DutyRole::Authority, "Difundir los criterios de organización y participación para que supervisiones y direcciones identifiquen las escuelas de otros niveles con las que pueden sesionar."),
    ("before", DutyRole::Authority, "Convocar y coordinar la reunión regional con los supervisores para acordar las escuelas, las sedes y los grupos."),
    ("before", DutyRole::Authority, "Compartir y analizar con las supervisiones los propósitos de las sesiones."),
    ("before", DutyRole::Authority, "Organizar las visitas de observación de la sesión con los equipos técnicos de seguimiento."),
    ("before", DutyRole::Supervision, "Identificar con los directores de la zona las escuelas de otros niveles con las que pueden sesionar."),
    ("before", DutyRole::Supervision, "Acordar con las supervisiones de los otros niveles las escuelas participantes y las sedes."),
    ("before", DutyRole::Supervision, "Compartir en el Consejo Técnico de Zona las propuestas de participación y las sedes con los directores."),
    ("before", DutyRole::Supervision, "Compartir la guía de trabajo con los directores y aclarar dudas sobre las actividades y los propósitos."),
    ("before", DutyRole::Supervision, "Informar a la dirección de la escuela sede de su designación para recibir a los colectivos docentes."),
    ("before", DutyRole::Supervision, "Acordar qué personal se designa a la sede para dar seguimiento e intercambiar las plantillas de los docentes participantes."),
    ("before", DutyRole::Director, "Detallar con la supervisión el número y el nombre de los docentes que asistirán a la sede y la conformación de los grupos."),
    ("before", DutyRole::Director, "Compartir la guía de trabajo con el colectivo docente y aclarar sus dudas."),
    ("before", DutyRole::Director, "Invitar a los docentes a presentarse quince minutos antes en la sede."),
    ("before", DutyRole::Director, "Si la escuela es sede: preparar las aulas y los materiales con el personal administrativo y de apoyo."),
    ("before", DutyRole::Coordinator, "Reconocer las tareas de la sesión y preparar los materiales de apoyo necesarios."),
    ("during", DutyRole::Authority, "Observar el inicio y el desarrollo de la sesión y constatar que las actividades corresponden a los propósitos de la guía."),
    ("during", DutyRole::Authority, "Tomar nota de los momentos relevantes, de las necesidades planteadas y de las dificultades."),
    ("during", DutyRole::Authority, "Registrar las observaciones sobre la participación, el ambiente de trabajo, las dudas y las expectativas."),
    ("during", DutyRole::Supervision, "Llegar quince minutos antes y verificar que los participantes coincidan con las listas de asistencia."),
    ("during", DutyRole::Supervision, "Verificar que la integración de los grupos sea ordenada, que haya materiales de apoyo y que el comienzo sea puntual."),
    ("during", DutyRole::Supervision, "Escuchar las participaciones e identificar las peculiaridades y problemáticas de cada nivel."),
    ("during", DutyRole::Supervision, "Registrar las dudas, las necesidades de todos los niveles y las participaciones en los momentos relevantes."),
    ("during", DutyRole::Coordinator, "Dar la bienvenida a todos los asistentes y presentar con claridad los propósitos de la sesión."),
    ("during", DutyRole::Coordinator, "Procurar que las actividades se desarrollen en congruencia con los propósitos y pedir asesoría a la supervisión si hace falta."),
    ("during", DutyRole::Coordinator, "Tomar la asistencia con la lista del grupo."),
    ("after", DutyRole::Authority, "Reflexionar sobre las dificultades de la organización y proponer ajustes en la selección de sedes y la participación de las escuelas."),
    ("after", DutyRole::Authority, "Recuperar las experiencias de los observadores: el papel de los coordinadores, la participación de cada nivel, las dudas, los desafíos y las expectativas."),
    ("after", DutyRole::Authority, "Analizar las necesidades en común y consensuar acciones conjuntas con las autoridades de cada nivel."),
    ("after", DutyRole::Authority, "Compartir las observaciones con la Autoridad Educativa Federal."),
    ("after", DutyRole::Supervision, "Hacer con los directores un recuento de las situaciones, favorables o no, que repercutieron en la sesión."),
    ("after", DutyRole::Supervision, "Acordar ajustes a la organización: escuelas participantes, sedes y conformación de los grupos."),
    ("after", DutyRole::Supervision, "Definir estrategias de gestión sustentadas en los aportes de la sesión."),
    ("after", DutyRole::Director, "Registrar los posibles cambios al PEMC de la escuela: sus acuerdos para las siguientes sesiones."),
    ("after", DutyRole::Director, "Compartir con el colectivo docente las observaciones y experiencias recuperadas de la sesión."),
    ("after", DutyRole::Director, "Compartir las experiencias con los otros directores en la reunión de la supervisión."),
    ("after", DutyRole::Director, "Dar seguimiento al cumplimiento de los acuerdos en las siguientes sesiones."),
];

/// An observer's record of a session (seed 003, "Durante").
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ObserverRecord {
    pub id: ObserverRecordId,
    pub observer_id: PersonId,
    pub observer_name: String,
    pub participation: String,
    pub climate: String,
    pub doubts: String,
    pub needs: String,
    pub expectations: String,
    pub moments: String,
    pub created_at: String,
}

/// The fields of an observer's record, with their Spanish names.
pub const RECORD_FIELDS: [(&str, &str); 6] = [
    ("participation", "Participación de cada nivel"),
    ("climate", "Ambiente de trabajo"),
    ("doubts", "Dudas"),
    ("needs", "Necesidades"),
    ("expectations", "Expectativas"),
    ("moments", "Momentos relevantes"),
];

/// The observer's record form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RecordInput {
    pub participation: String,
    pub climate: String,
    pub doubts: String,
    pub needs: String,
    pub expectations: String,
    pub moments: String,
}

impl RecordInput {
    pub fn parse(&self) -> Result<RecordInput, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let trimmed = RecordInput {
            participation: self.participation.trim().into(),
            climate: self.climate.trim().into(),
            doubts: self.doubts.trim().into(),
            needs: self.needs.trim().into(),
            expectations: self.expectations.trim().into(),
            moments: self.moments.trim().into(),
        };
        if errors.is_empty()
            && [
                &trimmed.participation,
                &trimmed.climate,
                &trimmed.doubts,
                &trimmed.needs,
                &trimmed.expectations,
                &trimmed.moments,
            ]
            .iter()
            .all(|t| t.is_empty())
        {
            errors.insert(
                "participation".into(),
                "escriba al menos una observación".into(),
            );
        }
        if errors.is_empty() {
            Ok(trimmed)
        } else {
            Err(errors)
        }
    }
}

/// A change a school will make to its PEMC after a session: its agreement
/// for the next sessions.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PemcChange {
    pub id: AgreementId,
    pub meeting_id: MeetingId,
    /// The session it was recorded after (1, 2 or 3).
    pub session: i64,
    pub owner_school_id: SchoolId,
    pub school_name: String,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

/// The PEMC change form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PemcInput {
    /// The school (one of the session's).
    pub school_id: String,
    /// What the school will change in its PEMC; at most 2,000 characters.
    pub pemc_change: String,
}

impl PemcInput {
    pub fn parse(&self) -> Result<(SchoolId, String), FieldErrors> {
        let mut errors = crate::limits::check(self);
        let school = self.school_id.trim().parse::<i64>().ok().map(SchoolId);
        if school.is_none() {
            errors.insert("school_id".into(), "elija una escuela de la sesión".into());
        }
        let body = self.pemc_change.trim().to_string();
        if body.is_empty() {
            errors.insert(
                "pemc_change".into(),
                "escriba el cambio que la escuela hará a su PEMC".into(),
            );
        }
        match school {
            Some(school) if errors.is_empty() => Ok((school, body)),
            _ => Err(errors),
        }
    }
}

/// The form that creates a plan's sessions: the date of each.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"date_1": "2026-02-27", "date_2": "2026-04-24", "date_3": "2026-06-26"}))]
pub struct CreateSessionsInput {
    /// Date of session 1, `YYYY-MM-DD`.
    pub date_1: String,
    /// Date of session 2, after session 1.
    pub date_2: String,
    /// Date of session 3, after session 2.
    pub date_3: String,
}

fn date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

impl CreateSessionsInput {
    /// The three dates, each after the one before.
    pub fn parse(&self) -> Result<[String; 3], FieldErrors> {
        let mut errors = crate::limits::check(self);
        let texts = [&self.date_1, &self.date_2, &self.date_3];
        let mut dates = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let field = format!("date_{}", i + 1);
            if errors.contains_key(&field) {
                continue;
            }
            match date(text) {
                None if text.trim().is_empty() => {
                    errors.insert(field, format!("escriba la fecha de la sesión {}", i + 1));
                }
                None => {
                    errors.insert(field, "escriba la fecha como AAAA-MM-DD".into());
                }
                Some(d) => {
                    if let Some(before) = dates.last().copied().flatten() {
                        if d <= before {
                            errors.insert(
                                field,
                                format!("debe ser posterior a la fecha de la sesión {i}"),
                            );
                        }
                    }
                    dates.push(Some(d));
                    continue;
                }
            }
            dates.push(None);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok([0, 1, 2].map(|i| texts[i].trim().to_string()))
    }
}

/// One person's attendance in a form or API body.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Mark {
    /// A roster line of this session.
    #[schema(value_type = i64)]
    pub attendance_id: AttendanceId,
    /// `present`, `excused` or `absent`.
    #[schema(pattern = "^(present|excused|absent)$")]
    pub status: String,
}

/// The attendance taken: one mark per roster line (lines left out keep
/// theirs).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct AttendanceInput {
    pub marks: Vec<Mark>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(a: &str, b: &str, c: &str) -> CreateSessionsInput {
        CreateSessionsInput {
            date_1: a.into(),
            date_2: b.into(),
            date_3: c.into(),
        }
    }

    #[test]
    fn three_dates_each_after_the_one_before() {
        assert_eq!(
            dates("2026-02-27", " 2026-04-24", "2026-06-26").parse().unwrap(),
            ["2026-02-27", "2026-04-24", "2026-06-26"]
        );
        let errors = dates("", "2026-13-01", "2026-02-01").parse().unwrap_err();
        assert!(errors["date_1"].contains("sesión 1"), "{errors:?}");
        assert!(errors["date_2"].contains("AAAA-MM-DD"), "{errors:?}");
        assert!(!errors.contains_key("date_3"), "{errors:?}");
        let errors = dates("2026-04-24", "2026-04-24", "2026-03-01").parse().unwrap_err();
        assert!(errors["date_2"].contains("posterior"), "{errors:?}");
        assert!(errors["date_3"].contains("posterior"), "{errors:?}");
    }

    #[test]
    fn every_role_has_duties_in_the_phases_seed_003_gives_it() {
        for role in DutyRole::ALL {
            assert!(DUTIES.iter().any(|d| d.1 == role), "{role:?}");
        }
        assert!(DUTIES
            .iter()
            .any(|d| d.2.contains("quince minutos antes") && d.0 == "during"));
        assert!(DUTIES.iter().all(|d| PHASES.iter().any(|p| p.0 == d.0)));
    }

    #[test]
    fn a_record_needs_one_observation_and_a_pemc_change_its_text() {
        assert!(RecordInput::default().parse().is_err());
        let r = RecordInput {
            climate: "  Respetuoso ".into(),
            ..Default::default()
        };
        assert_eq!(r.parse().unwrap().climate, "Respetuoso");
        let errors = PemcInput::default().parse().unwrap_err();
        assert!(errors.contains_key("school_id") && errors.contains_key("pemc_change"));
    }
}
