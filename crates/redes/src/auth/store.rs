//! Every query of authentication: credentials, sessions, API tokens, the
//! grants that make a `Principal`, and the login-failure counters.

use sqlx::AnyConnection;

use super::policy::{Grant, Principal, Role, Scope, ScopeKind};
use super::token_hash;
use super::tokens::TokenInfo;
use crate::country::Country;
use crate::db::{now, today, Db};
use crate::error::StoreError;
use crate::ids::{NetworkId, PersonId, SchoolId, TokenId};

/// The id and password hash of an active account with this username.
pub async fn credentials(
    db: &Db,
    username: &str,
) -> Result<Option<(PersonId, Option<String>)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, password_hash FROM people WHERE username = $1 AND archived = 0")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Records a new session (its token hashed) and forgets expired ones.
pub async fn insert_session(
    db: &Db,
    token: &str,
    person_id: PersonId,
    expires_at: &str,
) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now())
        .execute(&mut *w)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(token))
        .bind(person_id)
        .bind(now())
        .bind(expires_at)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// The person a session that has not expired belongs to.
pub async fn session_owner(db: &Db, token: &str) -> Result<Option<(PersonId, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT person_id, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?)
}

pub async fn insert_token(
    db: &Db,
    person_id: PersonId,
    label: &str,
    token: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    sqlx::query(
        "INSERT INTO api_tokens (person_id, label, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(person_id)
    .bind(label)
    .bind(token_hash(token))
    .bind(now())
    .bind(expires_at)
    .execute(&mut *w)
    .await?;
    w.commit().await?;
    Ok(())
}

/// The person's tokens that still work, newest first.
pub async fn tokens(db: &Db, person_id: PersonId) -> Result<Vec<TokenInfo>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, label, created_at, expires_at FROM api_tokens
         WHERE person_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(person_id)
    .bind(now())
    .fetch_all(&db.pool)
    .await?)
}

/// Ends one of the person's own tokens; another person's is not found.
pub async fn delete_token(db: &Db, person_id: PersonId, id: TokenId) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .execute(&mut *w)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    w.commit().await?;
    Ok(())
}

/// The owner of a token that has not expired.
pub async fn token_owner(db: &Db, token: &str) -> Result<Option<(PersonId, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT person_id, expires_at FROM api_tokens WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    role: String,
    scope_kind: String,
    country: Country,
    scope_name: String,
    school_id: Option<SchoolId>,
    network_id: Option<NetworkId>,
    region: String,
    province: String,
    place_country: Country,
}

/// A person's active grants with the territory of their school and
/// network scopes, and the networks their schools belong to: everything a
/// permission decision needs, in two queries.
pub async fn principal(db: &Db, person_id: PersonId) -> Result<Option<Principal>, StoreError> {
    principal_in(&mut *db.pool.acquire().await?, person_id).await
}

/// `principal` on a given connection: the demo loader decides with the
/// same policy inside its one transaction, where its people are not yet
/// committed.
pub async fn principal_in(
    conn: &mut sqlx::AnyConnection,
    person_id: PersonId,
) -> Result<Option<Principal>, StoreError> {
    let person: Option<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT full_name, username, is_admin FROM people WHERE id = $1 AND archived = 0",
    )
    .bind(person_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((full_name, username, is_admin)) = person else {
        return Ok(None);
    };
    let today = today();
    let rows: Vec<GrantRow> = sqlx::query_as(
        "SELECT m.role, m.scope_kind, m.country, m.scope_name, m.school_id, m.network_id,
                COALESCE(s.region, n.region, '') AS region, COALESCE(s.province, n.province, '') AS province,
                COALESCE(s.country, n.country, m.country) AS place_country
         FROM memberships m
         LEFT JOIN schools s ON s.id = m.school_id
         LEFT JOIN networks n ON n.id = m.network_id
         WHERE m.person_id = $1 AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $2)",
    )
    .bind(person_id)
    .bind(&today)
    .fetch_all(&mut *conn)
    .await?;
    let grants: Vec<Grant> = rows.into_iter().filter_map(grant_from_row).collect();
    let school_network_ids: Vec<NetworkId> = sqlx::query_scalar(
        "SELECT DISTINCT ns.network_id FROM network_schools ns
         JOIN memberships m ON m.school_id = ns.school_id
         WHERE m.person_id = $1 AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $2)
           AND ns.left_on IS NULL
         ORDER BY ns.network_id",
    )
    .bind(person_id)
    .bind(&today)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Principal {
        person_id,
        full_name,
        username: username.unwrap_or_default(),
        is_admin: is_admin != 0,
        grants,
        school_network_ids,
    }))
}

/// A stored membership as a grant; one whose role or scope no longer
/// exists (or whose school or network is gone) grants nothing.
fn grant_from_row(row: GrantRow) -> Option<Grant> {
    let role = Role::parse(&row.role)?;
    let kind: ScopeKind = row.scope_kind.parse().ok()?;
    let scope = match kind {
        ScopeKind::National => Scope::National {
            country: row.country,
        },
        ScopeKind::Region => Scope::Region {
            country: row.country,
            region: row.scope_name,
        },
        ScopeKind::Province => Scope::Province {
            country: row.country,
            province: row.scope_name,
        },
        ScopeKind::Zone => Scope::Zone {
            country: row.country,
            zone: row.scope_name,
        },
        ScopeKind::Network => Scope::Network {
            id: row.network_id?,
            country: row.place_country,
            region: row.region,
        },
        ScopeKind::School => Scope::School {
            id: row.school_id?,
            country: row.place_country,
            region: row.region,
            province: row.province,
        },
    };
    Some(Grant { role, scope })
}

/// Attempts take turns on PostgreSQL, as SQLite's writers do, so that two
/// of them cannot both read a count before either adds to it.
pub async fn take_throttle_turn(db: &Db, conn: &mut AnyConnection) -> Result<(), StoreError> {
    if db.backend == crate::db::Backend::Postgres {
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(61001)) AS turn")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// `(failures, oldest, newest)` for a throttling key within the window.
pub async fn failures(
    conn: &mut AnyConnection,
    key: &str,
    since: i64,
) -> Result<(i64, i64, i64), StoreError> {
    let (count, oldest, newest): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(failed_at), MAX(failed_at) FROM login_failures WHERE key = $1 AND failed_at > $2",
    )
    .bind(key)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok((count, oldest.unwrap_or(0), newest.unwrap_or(0)))
}

/// Counts a failure for each key, forgetting failures older than `since`.
pub async fn add_failures(
    conn: &mut AnyConnection,
    keys: &[&String],
    now: i64,
    since: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(since)
        .execute(&mut *conn)
        .await?;
    for key in keys {
        sqlx::query("INSERT INTO login_failures (key, failed_at) VALUES ($1, $2)")
            .bind(*key)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Takes back the counts of a successful sign-in: the pair's and the
/// account's, and the source's one count of this attempt.
pub async fn clear_failures(
    db: &Db,
    pair: &str,
    account: &str,
    source: &str,
    started: i64,
) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    sqlx::query(
        "DELETE FROM login_failures WHERE key = $1 OR key = $2 OR (key = $3 AND failed_at = $4)",
    )
    .bind(pair)
    .bind(account)
    .bind(source)
    .bind(started)
    .execute(&mut *w)
    .await?;
    w.commit().await?;
    Ok(())
}
