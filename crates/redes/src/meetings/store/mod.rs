//! Every query of meetings, and the guards that load a meeting (or a
//! network's meetings) together with the decision about the person.
//! The writes are in `write.rs` (meetings), `attendance.rs`, `agenda.rs`,
//! `minutes.rs` and `documents.rs`, one function per write, each parse →
//! policy → store in one transaction.

pub mod agenda;
pub mod attendance;
pub mod documents;
pub mod minutes;
mod write;

pub use write::{advance, create, create_series, edit, insert, series_dates, SeriesInput};

use super::model::{HostTurn, Meeting, MEETING_SELECT};
use crate::auth::policy::{MeetingPlace, Principal};
use crate::db::{today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{MeetingId, NetworkId, PersonId, SchoolId};
use crate::networks::model::Network;

/// Past meetings per page.
pub const PAGE_SIZE: i64 = 20;

/// A network with its current member schools: what the policy needs to
/// decide about its meetings.
#[derive(Debug, Clone)]
pub struct NetworkMeetings {
    pub network: Network,
    pub members: Vec<SchoolId>,
}

impl NetworkMeetings {
    pub fn place(&self) -> MeetingPlace<'_> {
        MeetingPlace {
            network: self.network.policy(),
            member_schools: &self.members,
            coordinator_id: None,
        }
    }
}

/// A meeting with its network, as a guard hands it to a handler.
#[derive(Debug, Clone)]
pub struct Guarded {
    pub meeting: Meeting,
    pub network: NetworkMeetings,
}

impl Guarded {
    pub fn place(&self) -> MeetingPlace<'_> {
        MeetingPlace {
            coordinator_id: self.meeting.coordinator_id,
            ..self.network.place()
        }
    }

    /// Refuses any change to a closed meeting, with a message (409).
    pub fn open(self) -> Result<Guarded, AppError> {
        if self.meeting.status == super::model::MeetingStatus::Closed {
            return Err(AppError::Conflict(
                "meetings-reunion-esta-cerrada-acta-datos-ya"
                    .into(),
            ));
        }
        Ok(self)
    }
}

async fn network_meetings(db: &Db, id: NetworkId) -> Result<NetworkMeetings, StoreError> {
    let network = crate::networks::store::get(db, id).await?;
    let members = crate::networks::store::member_ids(db, id).await?;
    Ok(NetworkMeetings { network, members })
}

/// The network, when the person may see its meetings.
pub async fn network_viewable(
    db: &Db,
    p: &Principal,
    id: NetworkId,
) -> Result<NetworkMeetings, AppError> {
    let n = network_meetings(db, id).await?;
    if !p.can_view_meetings(&n.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(n)
}

/// The network, when the person may schedule its meetings.
pub async fn network_editable(
    db: &Db,
    p: &Principal,
    id: NetworkId,
) -> Result<NetworkMeetings, AppError> {
    let n = network_meetings(db, id).await?;
    if !p.can_edit_meetings(&n.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(n)
}

pub async fn get(db: &Db, id: MeetingId) -> Result<Meeting, StoreError> {
    db.remember(format!("meeting:{id}"), || async {
        sqlx::query_as::<_, Meeting>(&format!("{MEETING_SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(StoreError::NotFound)
    })
    .await
}

/// A network's meeting with its network (an encounter session without a
/// network is not one: 404 here).
async fn guarded(db: &Db, id: MeetingId) -> Result<Guarded, AppError> {
    let meeting = get(db, id).await?;
    let network_id = meeting.network_id.ok_or(AppError::NotFound)?;
    let network = network_meetings(db, network_id).await?;
    Ok(Guarded { meeting, network })
}

/// The meeting, when the person may see it: the one way a reading handler
/// gets a meeting.
pub async fn viewable(db: &Db, p: &Principal, id: MeetingId) -> Result<Guarded, AppError> {
    let g = guarded(db, id).await?;
    if !p.can_view_meetings(&g.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(g)
}

/// The meeting, when the person may edit it (whatever its state; writes
/// that a closed meeting refuses call `Guarded::open`).
pub async fn editable(db: &Db, p: &Principal, id: MeetingId) -> Result<Guarded, AppError> {
    let g = guarded(db, id).await?;
    if !p.can_edit_meetings(&g.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(g)
}

/// The network's meetings from today on, soonest first.
pub async fn upcoming(db: &Db, network_id: NetworkId) -> Result<Vec<Meeting>, StoreError> {
    Ok(sqlx::query_as::<_, Meeting>(&format!(
        "{MEETING_SELECT} WHERE m.network_id = $1 AND m.held_on >= $2 ORDER BY m.held_on, m.starts_at, m.id LIMIT 100"
    ))
    .bind(network_id)
    .bind(today())
    .fetch_all(&db.pool)
    .await?)
}

/// One page of the network's past meetings, latest first, and how many
/// there are.
pub async fn past(
    db: &Db,
    network_id: NetworkId,
    page: i64,
) -> Result<(Vec<Meeting>, i64), StoreError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meetings WHERE network_id = $1 AND held_on < $2",
    )
    .bind(network_id)
    .bind(today())
    .fetch_one(&db.pool)
    .await?;
    let rows = sqlx::query_as::<_, Meeting>(&format!(
        "{MEETING_SELECT} WHERE m.network_id = $1 AND m.held_on < $2 ORDER BY m.held_on DESC, m.starts_at DESC, m.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(network_id)
    .bind(today())
    .bind(PAGE_SIZE)
    .bind((crate::limits::page(Some(page)) - 1) * PAGE_SIZE)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows, total))
}

/// Every meeting of the network, in date order (the API).
pub async fn of_network(db: &Db, network_id: NetworkId) -> Result<Vec<Meeting>, StoreError> {
    Ok(sqlx::query_as::<_, Meeting>(&format!(
        "{MEETING_SELECT} WHERE m.network_id = $1 ORDER BY m.held_on, m.starts_at, m.id"
    ))
    .bind(network_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The rotation of hosts so far: each current member school, how many of
/// the network's meetings it hosted and the date of the last one.
pub async fn rotation(db: &Db, network_id: NetworkId) -> Result<Vec<HostTurn>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    turns(&mut conn, network_id).await
}

/// `rotation` on a connection (the demo, inside its transaction).
pub async fn turns(conn: &mut sqlx::AnyConnection, network_id: NetworkId) -> Result<Vec<HostTurn>, StoreError> {
    Ok(sqlx::query_as::<_, HostTurn>(
        "SELECT s.id AS school_id, s.name,
                (SELECT COUNT(*) FROM meetings m WHERE m.network_id = ns.network_id AND m.host_school_id = s.id) AS times,
                (SELECT MAX(m.held_on) FROM meetings m WHERE m.network_id = ns.network_id AND m.host_school_id = s.id) AS last_on
         FROM network_schools ns JOIN schools s ON s.id = ns.school_id
         WHERE ns.network_id = $1 AND ns.left_on IS NULL
         ORDER BY s.name",
    )
    .bind(network_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A person on the network's roster: someone with a current role in the
/// network or in one of its member schools.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct RosterPerson {
    pub person_id: PersonId,
    pub full_name: String,
    pub role: String,
    pub school_id: Option<SchoolId>,
    pub school_name: String,
}

/// The network's roster, one row per person (their first role), by school
/// and name.
pub async fn roster(
    conn: &mut sqlx::AnyConnection,
    network_id: NetworkId,
    on: &str,
) -> Result<Vec<RosterPerson>, StoreError> {
    let rows = sqlx::query_as::<_, RosterPerson>(
        "SELECT p.id AS person_id, p.full_name, ms.role, ms.school_id, COALESCE(s.name, '') AS school_name
         FROM memberships ms JOIN people p ON p.id = ms.person_id LEFT JOIN schools s ON s.id = ms.school_id
         WHERE p.archived = 0 AND ms.starts_on <= $2 AND (ms.ends_on IS NULL OR ms.ends_on >= $2)
           AND ((ms.scope_kind = 'network' AND ms.network_id = $1)
             OR (ms.scope_kind = 'school' AND ms.school_id IN
                 (SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL)))
         ORDER BY (ms.school_id IS NOT NULL), COALESCE(s.name, ''), p.full_name, ms.id",
    )
    .bind(network_id)
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|r| seen.insert(r.person_id))
        .collect())
}

/// The roster as of today, for forms (the coordinator select).
pub async fn current_roster(
    db: &Db,
    network_id: NetworkId,
) -> Result<Vec<RosterPerson>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    roster(&mut conn, network_id, &today()).await
}

/// A meeting on a person's home page.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct NextMeeting {
    pub id: MeetingId,
    pub title: String,
    pub held_on: String,
    pub starts_at: String,
    pub network_name: String,
    pub place: String,
}

/// The next meetings (from today) of the networks a person belongs to:
/// those they coordinate and those of their schools.
pub async fn next_for(
    db: &Db,
    networks: &[NetworkId],
) -> Result<Vec<NextMeeting>, StoreError> {
    let ids: Vec<i64> = networks.iter().map(|n| n.0).collect();
    let mut sql = crate::sql::Sql::new(
        "SELECT m.id, m.title, m.held_on, m.starts_at, n.name AS network_name,
                COALESCE(s.name, m.place) AS place
         FROM meetings m JOIN networks n ON n.id = m.network_id LEFT JOIN schools s ON s.id = m.host_school_id
         WHERE m.status <> 'closed' AND m.held_on >= ",
    );
    sql.text(today())
        .push(" AND m.network_id IN ")
        .int_list(&ids)
        .push(" ORDER BY m.held_on, m.starts_at, m.id LIMIT 8");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
