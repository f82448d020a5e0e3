//! Meeting types and the parsing of the meeting form: kinds, states, the
//! stored meeting, and the checked input every write starts from.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::ids::{MeetingId, NetworkId, PersonId, SchoolId, SeriesId};

/// What kind of meeting it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// A session of the network (seed 001's itinerant meetings).
    #[default]
    NetworkSession,
    /// One of the three sessions of an encounter plan (seed 003).
    Encounter,
    LearningCommunity,
    Tutoring,
    Workshop,
}

crate::stored_as_text!(MeetingKind);

impl MeetingKind {
    pub const ALL: [MeetingKind; 5] = [
        MeetingKind::NetworkSession,
        MeetingKind::Encounter,
        MeetingKind::LearningCommunity,
        MeetingKind::Tutoring,
        MeetingKind::Workshop,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::NetworkSession => "network_session",
            MeetingKind::Encounter => "encounter",
            MeetingKind::LearningCommunity => "learning_community",
            MeetingKind::Tutoring => "tutoring",
            MeetingKind::Workshop => "workshop",
        }
    }

    /// Spanish name.
    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::NetworkSession => "meetings-sesion-red",
            MeetingKind::Encounter => "meetings-sesion-encuentro",
            MeetingKind::LearningCommunity => "meetings-comunidad-aprendizaje",
            MeetingKind::Tutoring => "meetings-sesion-tutoria",
            MeetingKind::Workshop => "meetings-taller",
        }
    }
}

impl std::str::FromStr for MeetingKind {
    type Err = ();
    fn from_str(code: &str) -> Result<MeetingKind, ()> {
        MeetingKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(())
    }
}

/// Kinds a network schedules by hand (encounter sessions come from an
/// approved encounter plan), as (code, Spanish name).
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    MeetingKind::ALL
        .iter()
        .filter(|k| **k != MeetingKind::Encounter)
        .map(|k| (k.code(), k.label()))
        .collect()
}

/// Where a meeting is in its life: planned → in progress → minutes in
/// review → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    #[default]
    Planned,
    InProgress,
    Review,
    Closed,
}

crate::stored_as_text!(MeetingStatus);

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 4] = [
        MeetingStatus::Planned,
        MeetingStatus::InProgress,
        MeetingStatus::Review,
        MeetingStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "planned",
            MeetingStatus::InProgress => "in_progress",
            MeetingStatus::Review => "review",
            MeetingStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "meetings-planificada",
            MeetingStatus::InProgress => "agreements-curso",
            MeetingStatus::Review => "meetings-acta-revision",
            MeetingStatus::Closed => "calls-cerrada",
        }
    }

    /// The state that follows (none after closed).
    pub fn next(self) -> Option<MeetingStatus> {
        match self {
            MeetingStatus::Planned => Some(MeetingStatus::InProgress),
            MeetingStatus::InProgress => Some(MeetingStatus::Review),
            MeetingStatus::Review => Some(MeetingStatus::Closed),
            MeetingStatus::Closed => None,
        }
    }
}

impl std::str::FromStr for MeetingStatus {
    type Err = ();
    fn from_str(code: &str) -> Result<MeetingStatus, ()> {
        MeetingStatus::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(())
    }
}

/// A meeting as stored, with the names of its host school and coordinator.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Meeting {
    pub id: MeetingId,
    pub network_id: Option<NetworkId>,
    pub series_id: Option<SeriesId>,
    pub kind: MeetingKind,
    pub title: String,
    /// The "hilo conductor": the thread tying the session to the work plan.
    pub theme: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// `HH:MM`.
    pub starts_at: String,
    /// `HH:MM`.
    pub ends_at: String,
    pub host_school_id: Option<SchoolId>,
    pub host_name: String,
    /// Another place, when no member school hosts it.
    pub place: String,
    pub coordinator_id: Option<PersonId>,
    pub coordinator_name: String,
    pub status: MeetingStatus,
    pub minutes: String,
    /// Raised by one on every save of the minutes (the version check).
    pub minutes_version: i64,
    pub doubts: String,
    pub needs: String,
    pub expectations: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The SELECT of a meeting with its names (`m` meetings, `s` host, `c`
/// coordinator).
pub const MEETING_SELECT: &str = "SELECT m.id, m.network_id, m.series_id, m.kind, m.title, m.theme, m.held_on, m.starts_at, m.ends_at,
    m.host_school_id, COALESCE(s.name, '') AS host_name, m.place, m.coordinator_id, COALESCE(c.full_name, '') AS coordinator_name,
    m.status, m.minutes, m.minutes_version, m.doubts, m.needs, m.expectations, m.created_at, m.updated_at
    FROM meetings m LEFT JOIN schools s ON s.id = m.host_school_id LEFT JOIN people c ON c.id = m.coordinator_id";

impl Meeting {
    /// Minutes between start and end.
    pub fn length_minutes(&self) -> i64 {
        match (clock(&self.starts_at), clock(&self.ends_at)) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        }
    }

    /// Where it is held, in words.
    pub fn where_label(&self) -> String {
        match (self.host_name.is_empty(), self.place.is_empty()) {
            (false, false) => format!("{} ({})", self.host_name, self.place),
            (false, true) => self.host_name.clone(),
            _ => self.place.clone(),
        }
    }
}

/// Minutes since midnight of an `HH:MM` time.
pub fn clock(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && text.len() == 5).then_some(h * 60 + m)
}

/// A date typed as `YYYY-MM-DD`, checked.
pub fn date(text: &str) -> Option<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The meeting form or API body, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"kind": "network_session", "title": "Sesión de red de abril",
    "theme": "Liderazgo distribuido en los equipos de gestión", "held_on": "2017-04-04",
    "starts_at": "09:00", "ends_at": "12:30", "host_school_id": "", "place": "Salón municipal"}))]
pub struct MeetingInput {
    /// Empty means `network_session`.
    #[schema(pattern = "^(network_session|learning_community|tutoring|workshop)?$")]
    pub kind: String,
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// The "hilo conductor" (at most 500 characters).
    #[schema(max_length = 500)]
    pub theme: String,
    /// `YYYY-MM-DD`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub held_on: String,
    /// `HH:MM`.
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub starts_at: String,
    /// `HH:MM`, after `starts_at`.
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub ends_at: String,
    /// The id of a member school that hosts it, or empty.
    #[schema(pattern = "^[0-9]*$")]
    pub host_school_id: String,
    /// Another place (required when no school hosts it).
    #[schema(max_length = 300)]
    pub place: String,
    /// The id of a person of the network's roster, or empty for the one
    /// who schedules it.
    #[schema(pattern = "^[0-9]*$")]
    pub coordinator_id: String,
}

/// A checked meeting, ready to be written.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub theme: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub host_school_id: Option<SchoolId>,
    pub place: String,
    pub coordinator_id: Option<PersonId>,
}

fn optional_id(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.insert(field.into(), "meetings-elija-opcion-lista".into());
            None
        }
    }
}

impl From<&Meeting> for MeetingInput {
    fn from(m: &Meeting) -> Self {
        MeetingInput {
            kind: m.kind.code().into(),
            title: m.title.clone(),
            theme: m.theme.clone(),
            held_on: m.held_on.clone(),
            starts_at: m.starts_at.clone(),
            ends_at: m.ends_at.clone(),
            host_school_id: m.host_school_id.map(|s| s.to_string()).unwrap_or_default(),
            place: m.place.clone(),
            coordinator_id: m.coordinator_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

impl MeetingInput {
    pub fn parse(&self) -> Result<NewMeeting, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.insert("title".into(), "meetings-titulo-reunion-es-obligatorio".into());
        }
        let kind_code = match self.kind.trim() {
            "" => "network_session",
            other => other,
        };
        let kind = match kind_code.parse::<MeetingKind>() {
            Ok(MeetingKind::Encounter) | Err(()) => {
                errors.insert(
                    "kind".into(),
                    crate::text::message("meetings-tipo-reunion-desconocido", &[("kind_code", &kind_code)]),
                );
                None
            }
            Ok(kind) => Some(kind),
        };
        let held_on = self.held_on.trim().to_string();
        if date(&held_on).is_none() {
            errors.insert(
                "held_on".into(),
                "meetings-escriba-fecha-como-aaaa-mm-dd".into(),
            );
        }
        let starts_at = self.starts_at.trim().to_string();
        let ends_at = self.ends_at.trim().to_string();
        let start = clock(&starts_at);
        let end = clock(&ends_at);
        if start.is_none() {
            errors.insert("starts_at".into(), "meetings-escriba-hora-como-hh-mm-por".into());
        }
        if end.is_none() {
            errors.insert("ends_at".into(), "meetings-escriba-hora-como-hh-mm-por-2".into());
        }
        if let (Some(a), Some(b)) = (start, end) {
            if b <= a {
                errors.insert(
                    "ends_at".into(),
                    "meetings-hora-termino-debe-ser-posterior-inicio".into(),
                );
            }
        }
        let host = optional_id(&self.host_school_id, "host_school_id", &mut errors);
        let place = self.place.trim().to_string();
        if host.is_none() && place.is_empty() && !errors.contains_key("host_school_id") {
            errors.insert(
                "place".into(),
                "meetings-elija-escuela-anfitriona-escriba-otro-lugar".into(),
            );
        }
        let coordinator = optional_id(&self.coordinator_id, "coordinator_id", &mut errors);
        match kind {
            Some(kind) if errors.is_empty() => Ok(NewMeeting {
                kind,
                title,
                theme: self.theme.trim().to_string(),
                held_on,
                starts_at,
                ends_at,
                host_school_id: host.map(SchoolId),
                place,
                coordinator_id: coordinator.map(PersonId),
            }),
            _ => Err(errors),
        }
    }
}

/// A member school in the rotation of hosts: how many meetings it hosted
/// and when last.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct HostTurn {
    pub school_id: SchoolId,
    pub name: String,
    pub times: i64,
    pub last_on: Option<String>,
}

/// The hosts of `n` meetings in turn: the member school that hosted least
/// recently first (never hosted before any other, then by name), each next
/// meeting going to the next school of that order, round and round.
pub fn rotation(turns: &[HostTurn], n: usize) -> Vec<SchoolId> {
    let mut order: Vec<&HostTurn> = turns.iter().collect();
    order.sort_by(|a, b| {
        (a.last_on.is_some(), &a.last_on, &a.name).cmp(&(b.last_on.is_some(), &b.last_on, &b.name))
    });
    if order.is_empty() {
        return Vec::new();
    }
    (0..n).map(|i| order[i % order.len()].school_id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MeetingInput {
        MeetingInput {
            title: "Sesión de abril".into(),
            held_on: "2017-04-04".into(),
            starts_at: "09:00".into(),
            ends_at: "12:30".into(),
            place: "Salón municipal".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_meeting_needs_a_title_a_date_a_place_and_ends_after_it_starts() {
        let bad = MeetingInput {
            title: " ".into(),
            held_on: "04/04/2017".into(),
            ends_at: "08:00".into(),
            place: String::new(),
            kind: "encounter".into(),
            ..input()
        };
        let errors = bad.parse().unwrap_err();
        assert!(crate::text::es(&errors["title"]).contains("obligatorio"));
        assert!(crate::text::es(&errors["held_on"]).contains("AAAA-MM-DD"));
        assert!(crate::text::es(&errors["ends_at"]).contains("posterior"));
        assert!(crate::text::es(&errors["place"]).contains("anfitriona"));
        assert!(crate::text::es(&errors["kind"]).contains("encounter"));
        let ok = input().parse().unwrap();
        assert_eq!(ok.kind, MeetingKind::NetworkSession);
        assert_eq!(ok.host_school_id, None);
        assert!(MeetingInput { starts_at: "25:00".into(), ..input() }.parse().is_err());
    }

    #[test]
    fn hosts_rotate_from_the_school_that_hosted_least_recently() {
        let turn = |id, name: &str, last: Option<&str>| HostTurn {
            school_id: SchoolId(id),
            name: name.into(),
            times: i64::from(last.is_some()),
            last_on: last.map(str::to_string),
        };
        let turns = [
            turn(1, "Alborada", Some("2017-05-02")),
            turn(2, "Belén", None),
            turn(3, "Castillo", Some("2017-03-07")),
        ];
        assert_eq!(
            rotation(&turns, 4),
            vec![SchoolId(2), SchoolId(3), SchoolId(1), SchoolId(2)]
        );
        assert!(rotation(&[], 3).is_empty());
    }
}
