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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

// Written by hand: the derive names the empty value "unknown", and clients
// would read the roster against a schema it never matches.
impl utoipa::PartialSchema for Presence {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(["", "present", "excused", "absent"]))
            .description(Some(
                "Whether someone on the roster came (empty: not taken yet).",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Presence {
    fn name() -> std::borrow::Cow<'static, str> {
        "SessionPresence".into()
    }
}

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
            Presence::Unknown => "common-sin-registrar",
            Presence::Present => "encounter-sessions-presente",
            Presence::Excused => "encounter-sessions-justificado",
            Presence::Absent => "encounter-sessions-ausente",
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
    ("before", "encounter-sessions-antes"),
    ("during", "encounter-sessions-durante"),
    ("after", "encounter-sessions-despues"),
];

/// The duties of seed 003 ("¿Cómo nos preparamos...?": Antes, Durante,
/// Después) per role, written on every session's checklist.
pub const DUTIES: &[(&str, DutyRole, &str)] = &[
    ("before", DutyRole::Authority, "encounter-sessions-difundir-criterios-organizacion-participacion-para"),
    ("before", DutyRole::Authority, "encounter-sessions-convocar-coordinar-reunion-regional-supervisores"),
    ("before", DutyRole::Authority, "encounter-sessions-compartir-analizar-supervisiones-propositos-sesiones"),
    ("before", DutyRole::Authority, "encounter-sessions-organizar-visitas-observacion-sesion-equipos"),
    ("before", DutyRole::Supervision, "encounter-sessions-identificar-directores-zona-escuelas-otros"),
    ("before", DutyRole::Supervision, "encounter-sessions-acordar-supervisiones-otros-niveles-escuelas"),
    ("before", DutyRole::Supervision, "encounter-sessions-compartir-consejo-tecnico-zona-propuestas"),
    ("before", DutyRole::Supervision, "encounter-sessions-compartir-guia-trabajo-directores-aclarar"),
    ("before", DutyRole::Supervision, "encounter-sessions-informar-direccion-escuela-sede-designacion"),
    ("before", DutyRole::Supervision, "encounter-sessions-acordar-personal-designa-sede-para"),
    ("before", DutyRole::Director, "encounter-sessions-detallar-supervision-numero-nombre-docentes"),
    ("before", DutyRole::Director, "encounter-sessions-compartir-guia-trabajo-colectivo-docente"),
    ("before", DutyRole::Director, "encounter-sessions-invitar-docentes-presentarse-quince-minutos"),
    ("before", DutyRole::Director, "encounter-sessions-si-escuela-es-sede-preparar"),
    ("before", DutyRole::Coordinator, "encounter-sessions-reconocer-tareas-sesion-preparar-materiales"),
    ("during", DutyRole::Authority, "encounter-sessions-observar-inicio-desarrollo-sesion-constatar"),
    ("during", DutyRole::Authority, "encounter-sessions-tomar-nota-momentos-relevantes-necesidades"),
    ("during", DutyRole::Authority, "encounter-sessions-registrar-observaciones-sobre-participacion-ambiente"),
    ("during", DutyRole::Supervision, "encounter-sessions-llegar-quince-minutos-antes-verificar"),
    ("during", DutyRole::Supervision, "encounter-sessions-verificar-integracion-grupos-sea-ordenada"),
    ("during", DutyRole::Supervision, "encounter-sessions-escuchar-participaciones-e-identificar-peculiaridades"),
    ("during", DutyRole::Supervision, "encounter-sessions-registrar-dudas-necesidades-todos-niveles"),
    ("during", DutyRole::Coordinator, "encounter-sessions-dar-bienvenida-todos-asistentes-presentar"),
    ("during", DutyRole::Coordinator, "encounter-sessions-procurar-actividades-desarrollen-congruencia-propositos"),
    ("during", DutyRole::Coordinator, "encounter-sessions-tomar-asistencia-lista-grupo"),
    ("after", DutyRole::Authority, "encounter-sessions-reflexionar-sobre-dificultades-organizacion-proponer"),
    ("after", DutyRole::Authority, "encounter-sessions-recuperar-experiencias-observadores-papel-coordinadores"),
    ("after", DutyRole::Authority, "encounter-sessions-analizar-necesidades-comun-consensuar-acciones"),
    ("after", DutyRole::Authority, "encounter-sessions-compartir-observaciones-autoridad-educativa-federal"),
    ("after", DutyRole::Supervision, "encounter-sessions-hacer-directores-recuento-situaciones-favorables"),
    ("after", DutyRole::Supervision, "encounter-sessions-acordar-ajustes-organizacion-escuelas-participantes"),
    ("after", DutyRole::Supervision, "encounter-sessions-definir-estrategias-gestion-sustentadas-aportes"),
    ("after", DutyRole::Director, "encounter-sessions-registrar-posibles-cambios-pemc-escuela"),
    ("after", DutyRole::Director, "encounter-sessions-compartir-colectivo-docente-observaciones-experiencias"),
    ("after", DutyRole::Director, "encounter-sessions-compartir-experiencias-otros-directores-reunion"),
    ("after", DutyRole::Director, "encounter-sessions-dar-seguimiento-cumplimiento-acuerdos-siguientes"),
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
    ("participation", "encounter-sessions-participacion-cada-nivel"),
    ("climate", "encounter-sessions-ambiente-trabajo"),
    ("doubts", "meetings-dudas"),
    ("needs", "meetings-necesidades"),
    ("expectations", "meetings-expectativas"),
    ("moments", "encounter-sessions-momentos-relevantes"),
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
                "encounter-sessions-escriba-menos-observacion".into(),
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
            errors.insert("school_id".into(), "encounter-sessions-elija-escuela-sesion".into());
        }
        let body = self.pemc_change.trim().to_string();
        if body.is_empty() {
            errors.insert(
                "pemc_change".into(),
                "encounter-sessions-escriba-cambio-escuela-hara-pemc".into(),
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
                    errors.insert(field, crate::text::message("encounter-sessions-escriba-fecha-sesion", &[("arg1", &(i + 1))]));
                }
                None => {
                    errors.insert(field, "encounter-sessions-escriba-fecha-como-aaaa-mm-dd".into());
                }
                Some(d) => {
                    if let Some(before) = dates.last().copied().flatten() {
                        if d <= before {
                            errors.insert(
                                field,
                                crate::text::message("encounter-sessions-debe-ser-posterior-fecha-sesion", &[("i", &i)]),
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
#[schema(as = SessionAttendanceInput)]
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
        assert!(crate::text::es(&errors["date_1"]).contains("sesión 1"), "{errors:?}");
        assert!(crate::text::es(&errors["date_2"]).contains("AAAA-MM-DD"), "{errors:?}");
        assert!(!errors.contains_key("date_3"), "{errors:?}");
        let errors = dates("2026-04-24", "2026-04-24", "2026-03-01").parse().unwrap_err();
        assert!(crate::text::es(&errors["date_2"]).contains("posterior"), "{errors:?}");
        assert!(crate::text::es(&errors["date_3"]).contains("posterior"), "{errors:?}");
    }

    #[test]
    fn every_role_has_duties_in_the_phases_seed_003_gives_it() {
        for role in DutyRole::ALL {
            assert!(DUTIES.iter().any(|d| d.1 == role), "{role:?}");
        }
        assert!(DUTIES
            .iter()
            .any(|d| crate::text::es(d.2).contains("quince minutos antes") && d.0 == "during"));
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
