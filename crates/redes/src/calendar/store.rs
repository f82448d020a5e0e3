//! Every query of the calendar: the meetings to export, and the private
//! feeds (a random token per feed, stored hashed, revocable).

use crate::auth::{random_token, token_hash};
use crate::db::{now, Db};
use crate::error::StoreError;
use crate::ids::{FeedId, MeetingId, NetworkId, PersonId};
use crate::sql::Sql;

/// A meeting as the calendar needs it, with the place it is in (its
/// network's, or its encounter plan's).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarMeeting {
    pub id: MeetingId,
    pub title: String,
    pub theme: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub host_name: String,
    pub status: String,
    pub updated_at: String,
    pub country: String,
    pub region: String,
    pub network_name: String,
}

const SELECT: &str = "SELECT m.id, m.title, m.theme, m.held_on, m.starts_at, m.ends_at, m.place,
        COALESCE(s.name, '') AS host_name, m.status, m.updated_at,
        COALESCE(n.country, ep.country, 'cl') AS country, COALESCE(n.region, ep.region, '') AS region,
        COALESCE(n.name, '') AS network_name
    FROM meetings m LEFT JOIN networks n ON n.id = m.network_id
    LEFT JOIN encounter_plans ep ON ep.id = m.encounter_plan_id
    LEFT JOIN schools s ON s.id = m.host_school_id";

pub async fn meeting(db: &Db, id: MeetingId) -> Result<CalendarMeeting, StoreError> {
    sqlx::query_as::<_, CalendarMeeting>(&format!("{SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The meetings of some networks, plus those where the person is on the
/// roster (encounter sessions), by date; at most 1,000.
pub async fn of_networks(
    db: &Db,
    networks: &[NetworkId],
    person: Option<PersonId>,
) -> Result<Vec<CalendarMeeting>, StoreError> {
    let ids: Vec<i64> = networks.iter().map(|n| n.0).collect();
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE m.network_id IN ").int_list(&ids);
    if let Some(person) = person {
        sql.push(" OR m.id IN (SELECT meeting_id FROM attendance WHERE person_id = ")
            .int(person.0)
            .push(")");
    }
    sql.push(" ORDER BY m.held_on, m.starts_at, m.id LIMIT 1000");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// A feed as its owner sees it (never its token).
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct Feed {
    pub id: FeedId,
    pub created_at: String,
}

/// A new feed for the person; its token is returned once, only its hash is kept.
pub async fn create_feed(db: &Db, person: PersonId) -> Result<String, StoreError> {
    let token = random_token();
    let mut w = db.write().await?;
    sqlx::query("INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(person)
        .bind(token_hash(&token))
        .bind(now())
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(token)
}

/// The person's feeds that still work, newest first.
pub async fn feeds(db: &Db, person: PersonId) -> Result<Vec<Feed>, StoreError> {
    Ok(sqlx::query_as::<_, Feed>(
        "SELECT id, created_at FROM calendar_feeds WHERE person_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
    )
    .bind(person)
    .fetch_all(&db.pool)
    .await?)
}

/// Revokes one of the person's own feeds; another person's is not found.
pub async fn revoke(db: &Db, person: PersonId, id: FeedId) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    let done = sqlx::query(
        "UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND person_id = $3 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .bind(person)
    .execute(&mut *w)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    w.commit().await?;
    Ok(())
}

/// The owner of a feed token that was not revoked (and whose account is
/// not archived).
pub async fn feed_owner(db: &Db, token: &str) -> Result<Option<PersonId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT f.person_id FROM calendar_feeds f JOIN people p ON p.id = f.person_id
         WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND p.archived = 0",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?)
}
