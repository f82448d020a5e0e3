//! Login throttling, kept in the database so every instance shares it and
//! memory stays flat whatever is sent. Three counters over a 15-minute
//! window, each keyed by a hash (fixed size, whatever was typed):
//! - an account from one source address: 5 failures lock that pair, so a
//!   guesser is stopped while the owner, elsewhere, still signs in;
//! - a source address, whatever account: 30 failures stop one machine from
//!   trying many accounts (40 usernames × 1 attempt);
//! - an account from anywhere: 20 failures slow down a distributed guess,
//!   but only for one minute after the last failure, so nobody can keep an
//!   owner out for long.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::error::AppError;

pub const WINDOW_SECS: i64 = 15 * 60;
pub const PER_ACCOUNT_AND_SOURCE: i64 = 5;
pub const PER_SOURCE: i64 = 30;
pub const PER_ACCOUNT: i64 = 20;
/// How long the account-wide counter keeps an account closed.
pub const ACCOUNT_PAUSE_SECS: i64 = 60;

/// The counters of one attempt: who is tried and from where.
pub struct Attempt {
    pair: String,
    source: String,
    account: String,
    /// False for a proxy's own address (a proxy that forwards no client
    /// address): every user would share it, so only the account counters
    /// apply.
    counts_source: bool,
}

fn key(kind: &str, value: &str) -> String {
    let digest = Sha256::digest(format!("{kind}\n{value}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Attempt {
    pub fn new(username: &str, source: &str) -> Attempt {
        let loopback = source
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        Attempt {
            pair: key("pair", &format!("{username}\n{source}")),
            source: key("source", source),
            account: key("account", username),
            counts_source: !loopback,
        }
    }
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// `(failures, oldest, newest)` for a key within the window.
async fn window(
    conn: &mut sqlx::AnyConnection,
    key: &str,
    since: i64,
) -> Result<(i64, i64, i64), AppError> {
    let (count, oldest, newest): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(failed_at), MAX(failed_at) FROM login_failures WHERE key = $1 AND failed_at > $2",
    )
    .bind(key)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok((count, oldest.unwrap_or(0), newest.unwrap_or(0)))
}

/// Starts an attempt: in one write, checks the counters and counts the
/// attempt as a failure *before* the password is checked, so that many
/// attempts sent at once cannot all pass the check (`succeeded` takes the
/// count back). `Ok(Err(wait))` when the attempt must wait instead.
pub async fn begin(db: &Db, a: &Attempt) -> Result<Result<i64, Duration>, AppError> {
    let now = unix_now();
    let since = now - WINDOW_SECS;
    let mut w = db.write().await?;
    if db.backend == crate::db::Backend::Postgres {
        // Attempts take turns, as SQLite's writers do, so that two of them
        // cannot both read the count before either adds to it.
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(61001)) AS turn")
            .execute(&mut *w)
            .await?;
    }
    let mut wait = 0;
    let mut limits = vec![(&a.pair, PER_ACCOUNT_AND_SOURCE)];
    if a.counts_source {
        limits.push((&a.source, PER_SOURCE));
    }
    for (key, limit) in limits {
        let (count, oldest, _) = window(&mut w, key, since).await?;
        if count >= limit {
            wait = wait.max(oldest + WINDOW_SECS - now);
        }
    }
    let (count, _, newest) = window(&mut w, &a.account, since).await?;
    if count >= PER_ACCOUNT {
        wait = wait.max(newest + ACCOUNT_PAUSE_SECS - now);
    }
    if wait > 0 {
        return Ok(Err(Duration::from_secs(wait as u64)));
    }
    sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(since)
        .execute(&mut *w)
        .await?;
    for key in [&a.pair, &a.source, &a.account] {
        sqlx::query("INSERT INTO login_failures (key, failed_at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut *w)
            .await?;
    }
    w.commit().await?;
    Ok(Ok(now))
}

/// A successful sign-in takes back its own count and clears the account's
/// counters (not the source's earlier failures: it may be guessing other
/// accounts).
pub async fn succeeded(db: &Db, a: &Attempt, started: i64) -> Result<(), AppError> {
    let mut w = db.write().await?;
    sqlx::query(
        "DELETE FROM login_failures WHERE key = $1 OR key = $2 OR (key = $3 AND failed_at = $4)",
    )
    .bind(&a.pair)
    .bind(&a.account)
    .bind(&a.source)
    .bind(started)
    .execute(&mut *w)
    .await?;
    w.commit().await?;
    Ok(())
}
