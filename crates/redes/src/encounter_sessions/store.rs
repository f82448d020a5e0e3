//! Every query of encounter sessions, the guard that loads a session with
//! what its permissions need, and the writes (creating a plan's sessions,
//! taking attendance, ticking a duty, an observer's record, a school's PEMC
//! change), each parse → policy → store in one transaction.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;

use super::model::{
    AttendanceInput, CreateSessionsInput, Duty, ObserverRecord, PemcChange, PemcInput, Presence,
    RecordInput, RosterLine, Session, DUTIES, KIND, SESSION_COLUMNS,
};
use super::roster::{self, Known};
use crate::auth::policy::{Principal, Role, SessionPlace};
use crate::country::Country;
use crate::db::{now, Db};
use crate::encounters::model::StoredPlan;
use crate::encounters::store as plans;
use crate::error::{AppError, StoreError};
use crate::ids::{AttendanceId, ChecklistItemId, MeetingId, PersonId, PlanId, SchoolId};

/// Hours of a morning and of an afternoon session.
const MORNING: (&str, &str) = ("08:00", "12:00");
const AFTERNOON: (&str, &str) = ("14:00", "18:00");

/// A session with what deciding on it needs: its plan and its schools.
pub struct Loaded {
    pub session: Session,
    pub plan: StoredPlan,
    pub school_ids: Vec<SchoolId>,
}

impl Loaded {
    pub fn place(&self) -> SessionPlace<'_> {
        SessionPlace {
            plan: self.plan.territory(),
            school_ids: &self.school_ids,
            coordinator: self.session.coordinator_id,
        }
    }
}

pub async fn get(db: &Db, id: MeetingId) -> Result<Session, StoreError> {
    get_on(&mut *db.pool.acquire().await?, id).await
}

/// A session read on a given connection (inside the demo's transaction it
/// sees what that transaction wrote).
async fn get_on(conn: &mut AnyConnection, id: MeetingId) -> Result<Session, StoreError> {
    sqlx::query_as::<_, Session>(&format!(
        "SELECT {SESSION_COLUMNS} FROM meetings WHERE id = $1 AND kind = '{KIND}' AND encounter_plan_id IS NOT NULL"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)
}

/// The schools on a session's roster.
async fn school_ids(conn: &mut AnyConnection, id: MeetingId) -> Result<Vec<SchoolId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT school_id FROM attendance WHERE meeting_id = $1 AND school_id IS NOT NULL ORDER BY school_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

async fn load(conn: &mut AnyConnection, id: MeetingId) -> Result<Loaded, StoreError> {
    let session = get_on(conn, id).await?;
    let plan = plans::load(conn, session.encounter_plan_id).await?;
    let school_ids = school_ids(conn, id).await?;
    Ok(Loaded {
        session,
        plan,
        school_ids,
    })
}

/// The session, when the person may read it: the one way a handler gets
/// a session (404 if missing, 403 if not theirs).
pub async fn viewable(db: &Db, p: &Principal, id: MeetingId) -> Result<Loaded, AppError> {
    viewable_on(&mut *db.pool.acquire().await?, p, id).await
}

async fn viewable_on(
    conn: &mut AnyConnection,
    p: &Principal,
    id: MeetingId,
) -> Result<Loaded, AppError> {
    let loaded = load(conn, id).await?;
    if !p.can_view_encounter_session(&loaded.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(loaded)
}

/// The plan, when the person may read its sessions.
pub async fn plan_viewable(db: &Db, p: &Principal, id: PlanId) -> Result<StoredPlan, AppError> {
    let plan = plans::get(db, id).await?;
    if !p.can_view_encounter_sessions(plan.territory()) {
        return Err(AppError::Forbidden);
    }
    Ok(plan)
}

/// A session of a plan's list, with its counts.
#[derive(Debug, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionSummary {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub session: Session,
    /// Lines on the roster.
    pub roster: i64,
    /// Lines marked present.
    pub present: i64,
    pub duties: i64,
    pub duties_done: i64,
}

/// The sessions of a plan, by session, cluster and group.
pub async fn of_plan(db: &Db, plan: PlanId) -> Result<Vec<SessionSummary>, StoreError> {
    of_plan_on(&mut *db.pool.acquire().await?, plan).await
}

/// `of_plan` on a given connection (the demo's transaction).
pub async fn of_plan_on(
    conn: &mut AnyConnection,
    plan: PlanId,
) -> Result<Vec<SessionSummary>, StoreError> {
    let columns = crate::sql::prefixed(SESSION_COLUMNS, "m");
    Ok(sqlx::query_as(&format!(
        "SELECT {columns},
           (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id) AS roster,
           (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND a.status = 'present') AS present,
           (SELECT COUNT(*) FROM session_checklist c WHERE c.meeting_id = m.id) AS duties,
           (SELECT COUNT(*) FROM session_checklist c WHERE c.meeting_id = m.id AND c.done_by IS NOT NULL) AS duties_done
         FROM meetings m WHERE m.encounter_plan_id = $1 AND m.kind = '{KIND}'
         ORDER BY m.encounter_session, m.id"
    ))
    .bind(plan)
    .fetch_all(&mut *conn)
    .await?)
}

/// The registry's people of the given schools (by official code) with a
/// current role there.
async fn known_people(
    conn: &mut AnyConnection,
    codes: &[String],
) -> Result<HashMap<String, Vec<Known>>, StoreError> {
    let rows: Vec<(String, PersonId, Role)> = sqlx::query_as(
        "SELECT s.official_code, m.person_id, m.role FROM memberships m
           JOIN schools s ON s.id = m.school_id
           JOIN people p ON p.id = m.person_id
         WHERE m.scope_kind = 'school' AND s.country = 'mx' AND p.archived = 0
           AND (m.ends_on IS NULL OR m.ends_on >= $1)
           AND m.role IN ('director', 'technical_head', 'teacher', 'adviser')
         ORDER BY s.official_code, m.person_id",
    )
    .bind(crate::db::today())
    .fetch_all(&mut *conn)
    .await?;
    let wanted: HashSet<&String> = codes.iter().collect();
    let mut out: HashMap<String, Vec<Known>> = HashMap::new();
    let mut seen = HashSet::new();
    for (code, person_id, role) in rows {
        if !wanted.contains(&code) || !seen.insert((code.clone(), person_id)) {
            continue;
        }
        out.entry(code).or_default().push(Known {
            person_id,
            director: role == Role::Director,
            role_label: crate::text::es(role.label()),
        });
    }
    Ok(out)
}

async fn session_count(conn: &mut AnyConnection, plan: PlanId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM meetings WHERE encounter_plan_id = $1 AND kind = '{KIND}'"
    ))
    .bind(plan)
    .fetch_one(&mut *conn)
    .await?)
}

/// Creates the three sessions of every group of an approved plan, with
/// their rosters and checklists, in one transaction; returns how many.
pub async fn create_sessions(
    db: &Db,
    p: &Principal,
    plan_id: PlanId,
    input: &CreateSessionsInput,
) -> Result<usize, AppError> {
    let dates = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let created = create_sessions_in(&mut tx, p, plan_id, &dates).await?;
    tx.commit().await?;
    Ok(created)
}

/// `create_sessions` inside a transaction the caller opened and commits
/// (the demo's, which also wrote the plan), with the dates parsed.
pub async fn create_sessions_in(
    tx: &mut AnyConnection,
    p: &Principal,
    plan_id: PlanId,
    dates: &[String; 3],
) -> Result<usize, AppError> {
    let stored = plans::load(tx, plan_id).await?;
    if !p.can_create_encounter_sessions(stored.territory()) {
        return Err(AppError::Forbidden);
    }
    if !stored.approved() {
        return Err(AppError::Conflict(
            "encounter-sessions-plan-aun-no-esta-aprobado".into(),
        ));
    }
    let plan = stored.plan()?;
    if session_count(tx, plan_id).await? > 0 {
        return Err(AppError::Conflict(
            "encounter-sessions-sesiones-este-plan-ya-fueron-creadas".into(),
        ));
    }
    let codes: Vec<String> = plan.schools.iter().map(|s| s.code.clone()).collect();
    let known = known_people(tx, &codes).await?;
    let mut school_ids: HashMap<String, Option<SchoolId>> = HashMap::new();
    for code in &codes {
        let id = crate::schools::store::id_by_code(tx, Country::Mx, code).await?;
        school_ids.insert(code.clone(), id);
    }
    let names: HashMap<&str, &str> = plan
        .schools
        .iter()
        .map(|s| (s.code.as_str(), s.name.as_str()))
        .collect();
    let at = now();
    let mut created = 0;
    for group in roster::groups(&plan, &known) {
        let host_name = names.get(group.host_code.as_str()).copied().unwrap_or("");
        let (starts, ends) = if group.afternoon { AFTERNOON } else { MORNING };
        for (i, held_on) in dates.iter().enumerate() {
            let coordinator_member = &group.coordinators[i];
            let coordinator = group
                .lines
                .iter()
                .find(|l| &l.plan_member == coordinator_member)
                .and_then(|l| l.person);
            let id: MeetingId = sqlx::query_scalar(&format!(
                "INSERT INTO meetings (encounter_plan_id, encounter_session, encounter_group, kind, title, held_on, starts_at, ends_at,
                   host_school_id, place, coordinator_id, coordinator_member, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, '{KIND}', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id"
            ))
            .bind(plan_id)
            .bind(i as i64 + 1)
            .bind(format!("{}-{}", group.cluster, group.group))
            .bind(format!("Sesión {} · {host_name} · grupo {}", i + 1, group.group))
            .bind(held_on)
            .bind(starts)
            .bind(ends)
            .bind(school_ids.get(&group.host_code).copied().flatten())
            .bind(host_name)
            .bind(coordinator)
            .bind(coordinator_member)
            .bind(p.person_id)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            for line in &group.lines {
                sqlx::query("INSERT INTO attendance (meeting_id, person_id, school_id, role_label, plan_member) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(line.person)
                    .bind(school_ids.get(&line.school_code).copied().flatten())
                    .bind(&line.role_label)
                    .bind(&line.plan_member)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, (phase, role, body)) in DUTIES.iter().enumerate() {
                sqlx::query("INSERT INTO session_checklist (meeting_id, phase, role, position, body) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(*phase)
                    .bind(*role)
                    .bind(position as i64 + 1)
                    .bind(*body)
                    .execute(&mut *tx)
                    .await?;
            }
            created += 1;
        }
    }
    Ok(created)
}

/// A session's roster, by school and place.
pub async fn roster(db: &Db, id: MeetingId) -> Result<Vec<RosterLine>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.person_id, COALESCE(p.full_name, '') AS person_name, a.school_id,
                COALESCE(s.name, '') AS school_name, a.role_label, a.plan_member, a.status
         FROM attendance a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN schools s ON s.id = a.school_id
         WHERE a.meeting_id = $1 ORDER BY s.name, a.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Takes attendance against the session's roster: every mark must name a
/// line of this roster and a status; nothing is saved otherwise.
pub async fn take_attendance(
    db: &Db,
    p: &Principal,
    id: MeetingId,
    input: &AttendanceInput,
) -> Result<usize, AppError> {
    let loaded = viewable(db, p, id).await?;
    if !p.can_take_encounter_attendance(&loaded.place()) {
        return Err(AppError::Denied(
            "encounter-sessions-solo-coordinacion-sesion-directores-escuelas-toman"
                .into(),
        ));
    }
    let mut marks = Vec::new();
    for m in &input.marks {
        match m.status.parse::<Presence>() {
            Ok(status) if status != Presence::Unknown => marks.push((m.attendance_id, status)),
            _ => {
                return Err(AppError::field(
                    "status",
                    crate::text::message("encounter-sessions-estado-asistencia-desconocido", &[("status", &m.status)]),
                ))
            }
        }
    }
    let mut tx = db.write().await?;
    let lines: HashSet<AttendanceId> =
        sqlx::query_scalar::<_, AttendanceId>("SELECT id FROM attendance WHERE meeting_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    if let Some((stray, _)) = marks.iter().find(|(line, _)| !lines.contains(line)) {
        return Err(AppError::field(
            "attendance_id",
            crate::text::message("encounter-sessions-linea-no-esta-lista-asistencia-este", &[("stray", &stray)]),
        ));
    }
    for (line, status) in &marks {
        sqlx::query("UPDATE attendance SET status = $1 WHERE id = $2 AND meeting_id = $3")
            .bind(*status)
            .bind(*line)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    touch(&mut tx, id).await?;
    tx.commit().await?;
    Ok(marks.len())
}

async fn touch(conn: &mut AnyConnection, id: MeetingId) -> Result<(), StoreError> {
    sqlx::query("UPDATE meetings SET updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A session's checklist, by phase and position, with who ticked each duty.
pub async fn duties(db: &Db, id: MeetingId) -> Result<Vec<Duty>, StoreError> {
    duties_on(&mut *db.pool.acquire().await?, id).await
}

/// `duties` on a given connection (the demo's transaction).
pub async fn duties_on(conn: &mut AnyConnection, id: MeetingId) -> Result<Vec<Duty>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.phase, c.role, c.position, c.body, c.done_by, p.full_name AS done_by_name, c.done_at
         FROM session_checklist c LEFT JOIN people p ON p.id = c.done_by
         WHERE c.meeting_id = $1 ORDER BY c.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Ticks (or unticks) a duty of the session's checklist, for the people
/// it belongs to.
pub async fn tick(
    db: &Db,
    p: &Principal,
    id: MeetingId,
    item: ChecklistItemId,
    done: bool,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    tick_in(&mut tx, p, id, item, done).await?;
    tx.commit().await?;
    Ok(())
}

/// `tick` inside a transaction the caller opened and commits (the demo's).
pub async fn tick_in(
    tx: &mut AnyConnection,
    p: &Principal,
    id: MeetingId,
    item: ChecklistItemId,
    done: bool,
) -> Result<(), AppError> {
    let loaded = viewable_on(tx, p, id).await?;
    let duty = duties_on(tx, id)
        .await?
        .into_iter()
        .find(|d| d.id == item)
        .ok_or(AppError::NotFound)?;
    if !p.can_tick_duty(&loaded.place(), duty.role) {
        return Err(AppError::Denied(format!(
            "Esta tarea corresponde a: {}.",
            crate::text::es(duty.role.label())
        )));
    }
    let (by, at) = if done {
        (Some(p.person_id), Some(now()))
    } else {
        (None, None)
    };
    sqlx::query("UPDATE session_checklist SET done_by = $1, done_at = $2 WHERE id = $3 AND meeting_id = $4")
        .bind(by)
        .bind(at)
        .bind(item)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    touch(tx, id).await?;
    Ok(())
}

/// The observers' records of a session.
pub async fn records(db: &Db, id: MeetingId) -> Result<Vec<ObserverRecord>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.observer_id, p.full_name AS observer_name, r.participation, r.climate, r.doubts,
                r.needs, r.expectations, r.moments, r.created_at
         FROM observer_records r JOIN people p ON p.id = r.observer_id
         WHERE r.meeting_id = $1 ORDER BY r.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Adds an observer's record to a session.
pub async fn add_record(
    db: &Db,
    p: &Principal,
    id: MeetingId,
    input: &RecordInput,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    add_record_in(&mut tx, p, id, input).await?;
    tx.commit().await?;
    Ok(())
}

/// `add_record` inside a transaction the caller opened and commits (the
/// demo's).
pub async fn add_record_in(
    tx: &mut AnyConnection,
    p: &Principal,
    id: MeetingId,
    input: &RecordInput,
) -> Result<(), AppError> {
    let record = input.parse().map_err(AppError::Validation)?;
    let loaded = viewable_on(tx, p, id).await?;
    if !p.can_write_observer_record(&loaded.place()) {
        return Err(AppError::Denied(
            "encounter-sessions-solo-observadores-supervision-coordinacion-sesion-registran"
                .into(),
        ));
    }
    let at = now();
    sqlx::query("INSERT INTO observer_records (meeting_id, observer_id, participation, climate, doubts, needs, expectations, moments, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(id)
        .bind(p.person_id)
        .bind(&record.participation)
        .bind(&record.climate)
        .bind(&record.doubts)
        .bind(&record.needs)
        .bind(&record.expectations)
        .bind(&record.moments)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    touch(tx, id).await?;
    Ok(())
}

/// The PEMC changes recorded after the sessions of one group of a plan up
/// to session `upto` (this session's own, and those to follow up).
pub async fn pemc_changes(
    db: &Db,
    s: &Session,
    upto: i64,
) -> Result<Vec<PemcChange>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.meeting_id, m.encounter_session AS session, g.owner_school_id, s.name AS school_name,
                g.body, g.status, g.created_at
         FROM agreements g JOIN meetings m ON m.id = g.meeting_id JOIN schools s ON s.id = g.owner_school_id
         WHERE m.encounter_plan_id = $1 AND m.encounter_group = $2 AND m.encounter_session <= $3
         ORDER BY m.encounter_session, s.name, g.id",
    )
    .bind(s.encounter_plan_id)
    .bind(&s.encounter_group)
    .bind(upto)
    .fetch_all(&db.pool)
    .await?)
}

/// Records a change a school of the session will make to its PEMC, as its
/// agreement for the next sessions.
pub async fn record_pemc_change(
    db: &Db,
    p: &Principal,
    id: MeetingId,
    input: &PemcInput,
) -> Result<(), AppError> {
    let (school, body) = input.parse().map_err(AppError::Validation)?;
    let loaded = viewable(db, p, id).await?;
    if !loaded.school_ids.contains(&school) {
        return Err(AppError::field(
            "school_id",
            "encounter-sessions-escuela-no-participa-esta-sesion",
        ));
    }
    if !p.can_record_pemc_change(&loaded.place(), school) {
        return Err(AppError::Denied(
            "encounter-sessions-solo-direccion-escuela-coordinacion-sesion-supervision"
                .into(),
        ));
    }
    let mut tx = db.write().await?;
    let at = now();
    sqlx::query("INSERT INTO agreements (meeting_id, body, owner_school_id, status, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, 'open', $4, $5, $5)")
        .bind(id)
        .bind(&body)
        .bind(school)
        .bind(p.person_id)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
    touch(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// The names of the session's schools, for the PEMC form.
pub async fn school_names(db: &Db, ids: &[SchoolId]) -> Result<Vec<(SchoolId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::sql::Sql::new("SELECT id, name FROM schools WHERE id IN ");
    sql.int_list(&ids.iter().map(|s| s.0).collect::<Vec<_>>());
    sql.push(" ORDER BY name");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
