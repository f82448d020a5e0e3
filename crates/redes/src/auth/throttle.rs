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

use super::store;
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

/// Starts an attempt: in one write, checks the counters and counts the
/// attempt as a failure *before* the password is checked, so that many
/// attempts sent at once cannot all pass the check (`succeeded` takes the
/// count back). `Ok(Err(wait))` when the attempt must wait instead.
pub async fn begin(db: &Db, a: &Attempt) -> Result<Result<i64, Duration>, AppError> {
    let now = unix_now();
    let since = now - WINDOW_SECS;
    let mut w = db.write().await?;
    store::take_throttle_turn(db, &mut w).await?;
    let mut wait = 0;
    let mut limits = vec![(&a.pair, PER_ACCOUNT_AND_SOURCE)];
    if a.counts_source {
        limits.push((&a.source, PER_SOURCE));
    }
    for (key, limit) in limits {
        let (count, oldest, _) = store::failures(&mut w, key, since).await?;
        if count >= limit {
            wait = wait.max(oldest + WINDOW_SECS - now);
        }
    }
    let (count, _, newest) = store::failures(&mut w, &a.account, since).await?;
    if count >= PER_ACCOUNT {
        wait = wait.max(newest + ACCOUNT_PAUSE_SECS - now);
    }
    if wait > 0 {
        return Ok(Err(Duration::from_secs(wait as u64)));
    }
    store::add_failures(&mut w, &[&a.pair, &a.source, &a.account], now, since).await?;
    w.commit().await?;
    Ok(Ok(now))
}

/// A successful sign-in takes back its own count and clears the account's
/// counters (not the source's earlier failures: it may be guessing other
/// accounts).
pub async fn succeeded(db: &Db, a: &Attempt, started: i64) -> Result<(), AppError> {
    Ok(store::clear_failures(db, &a.pair, &a.account, &a.source, started).await?)
}
