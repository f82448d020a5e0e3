//! Attendance: the meeting's roster (written when it is scheduled) with a
//! status per person, the guests, and each member's own confirmation
//! beforehand. Attendance for someone not on the roster is refused.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::{editable, viewable};
use crate::auth::policy::Principal;
use crate::db::Db;
use crate::error::{AppError, StoreError};
use crate::ids::{AttendanceId, MeetingId, PersonId, SchoolId};
use crate::meetings::model::MeetingStatus;

/// Whether a person came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Present,
    Excused,
    Absent,
}

impl Presence {
    pub const ALL: [Presence; 3] = [Presence::Present, Presence::Excused, Presence::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::Excused => "excused",
            Presence::Absent => "absent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Presence::Present => "meetings-presente",
            Presence::Excused => "meetings-ausente-aviso",
            Presence::Absent => "meetings-ausente",
        }
    }

    /// The status typed in a form or API body (`""` = not taken yet).
    pub fn parse(text: &str) -> Result<Option<Presence>, AppError> {
        match text.trim() {
            "" => Ok(None),
            code => Presence::ALL
                .into_iter()
                .find(|p| p.code() == code)
                .map(Some)
                .ok_or_else(|| {
                    AppError::field("status", crate::text::message("meetings-estado-asistencia-desconocido-2", &[("code", &code)]))
                }),
        }
    }
}

/// Statuses as (code, Spanish name), for the forms.
pub fn presences() -> Vec<(&'static str, &'static str)> {
    Presence::ALL.iter().map(|p| (p.code(), p.label())).collect()
}

/// One row of a meeting's attendance: a person of the roster or a guest.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct AttendanceRow {
    pub id: AttendanceId,
    /// None for a guest.
    pub person_id: Option<PersonId>,
    pub school_id: Option<SchoolId>,
    /// The person's name, or the guest's.
    pub name: String,
    pub school_name: String,
    pub role_label: String,
    pub guest_institution: String,
    /// `present`, `excused`, `absent`, or empty until attendance is taken.
    pub status: String,
    /// 1 when the person confirmed beforehand that they will come.
    pub confirmed: i64,
}

/// The attendance of a meeting: the roster by school and name, then guests.
pub async fn list(db: &Db, meeting_id: MeetingId) -> Result<Vec<AttendanceRow>, StoreError> {
    db.remember(format!("meeting:{meeting_id}:attendance"), || async {
        Ok(sqlx::query_as::<_, AttendanceRow>(
            "SELECT a.id, a.person_id, a.school_id, COALESCE(p.full_name, a.guest_name) AS name, COALESCE(s.name, '') AS school_name,
                    a.role_label, a.guest_institution, a.status, a.confirmed
             FROM attendance a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN schools s ON s.id = a.school_id
             WHERE a.meeting_id = $1
             ORDER BY (a.person_id IS NULL), (a.school_id IS NOT NULL), COALESCE(s.name, ''), COALESCE(p.full_name, a.guest_name), a.id",
        )
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// Records one person's status (demo, page and API); the person must be on
/// the meeting's roster.
pub async fn record(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
    person_id: PersonId,
    status: Option<Presence>,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE attendance SET status = $1 WHERE meeting_id = $2 AND person_id = $3")
        .bind(status.map_or("", Presence::code))
        .bind(meeting_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::invalid(
            "person_id",
            "meetings-esa-persona-no-integra-nomina-esta",
        ));
    }
    Ok(())
}

/// Takes attendance (page: every row at once; API: one person), for a
/// person who edits the meeting; a closed meeting is refused.
pub async fn take(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    entries: &[(PersonId, String)],
) -> Result<(), AppError> {
    editable(db, p, meeting_id).await?.open()?;
    let mut parsed = Vec::new();
    for (person, status) in entries {
        parsed.push((*person, Presence::parse(status)?));
    }
    let mut tx = db.write().await?;
    for (person, status) in parsed {
        record(&mut tx, meeting_id, person, status).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A guest as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct GuestInput {
    /// Required.
    #[schema(min_length = 1, max_length = 200)]
    pub guest_name: String,
    #[schema(max_length = 200)]
    pub guest_institution: String,
    /// `present` (the default), `excused` or `absent`.
    pub status: String,
}

/// Adds a guest with their institution.
pub async fn add_guest(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    input: &GuestInput,
) -> Result<AttendanceId, AppError> {
    editable(db, p, meeting_id).await?.open()?;
    let mut errors = crate::limits::check(input);
    let name = input.guest_name.trim();
    if name.is_empty() {
        errors.insert("guest_name".into(), "meetings-escriba-nombre-persona-invitada".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let status = Presence::parse(&input.status)?.unwrap_or(Presence::Present);
    let mut tx = db.write().await?;
    let id = insert_guest(&mut tx, meeting_id, name, input.guest_institution.trim(), status).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn insert_guest(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
    name: &str,
    institution: &str,
    status: Presence,
) -> Result<AttendanceId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO attendance (meeting_id, guest_name, guest_institution, status) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(meeting_id)
    .bind(name)
    .bind(institution)
    .bind(status.code())
    .fetch_one(&mut *conn)
    .await?)
}

/// Is this person on the meeting's roster?
async fn on_roster(db: &Db, meeting_id: MeetingId, person: PersonId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE meeting_id = $1 AND person_id = $2")
        .bind(meeting_id)
        .bind(person)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// A member confirms (or withdraws) their own attendance beforehand, while
/// the meeting is planned.
pub async fn confirm(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    coming: bool,
) -> Result<(), AppError> {
    let g = viewable(db, p, meeting_id).await?;
    let listed = on_roster(db, meeting_id, p.person_id).await?;
    if !p.can_confirm_own_attendance(&g.place(), listed) {
        return Err(AppError::Denied(
            "meetings-solo-personas-nomina-red-confirman-asistencia".into(),
        ));
    }
    if g.meeting.status != MeetingStatus::Planned {
        return Err(AppError::Conflict(
            "meetings-asistencia-confirma-antes-reunion-mientras-esta".into(),
        ));
    }
    let mut tx = db.write().await?;
    sqlx::query("UPDATE attendance SET confirmed = $1 WHERE meeting_id = $2 AND person_id = $3")
        .bind(i64::from(coming))
        .bind(meeting_id)
        .bind(p.person_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the person confirmed their attendance (None: not on the roster).
pub async fn own(db: &Db, meeting_id: MeetingId, person: PersonId) -> Result<Option<bool>, StoreError> {
    let row: Option<i64> = sqlx::query_scalar("SELECT confirmed FROM attendance WHERE meeting_id = $1 AND person_id = $2")
        .bind(meeting_id)
        .bind(person)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|c| c == 1))
}
