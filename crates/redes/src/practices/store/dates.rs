//! Dating a practice's past: the demo writes each practice's life through
//! the functions the pages use, which stamp it with the present, and then
//! spreads those moments over the months before its first adoption, so that
//! a practice is published before the schools that took it adopted it.

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use time::{Date, Duration, OffsetDateTime};

use super::super::model::PracticeStatus;
use crate::error::StoreError;
use crate::ids::PracticeId;

/// Every column that dates something a practice went through, with the
/// column naming the practice in its table.
const STAMPS: [(&str, &str, &str); 8] = [
    ("practices", "created_at", "id"),
    ("practices", "updated_at", "id"),
    ("practices", "published_at", "id"),
    ("practice_attachments", "created_at", "practice_id"),
    ("practice_transitions", "changed_at", "practice_id"),
    ("practice_reviews", "assigned_at", "practice_id"),
    ("practice_reviews", "submitted_at", "practice_id"),
    ("practice_reviews", "replied_at", "practice_id"),
];

/// Moves every moment of `practice`, in its order, to days `step` apart,
/// the last one on `until`; moments that were one (a move and its
/// publication date) stay one.
pub async fn spread(
    conn: &mut AnyConnection,
    practice: PracticeId,
    until: Date,
    step: Duration,
) -> Result<(), StoreError> {
    let mut rows: Vec<(&str, &str, i64, String)> = Vec::new();
    for (table, column, key) in STAMPS {
        let sql = format!(
            "SELECT id, {column} FROM {table} WHERE {key} = $1 AND {column} IS NOT NULL"
        );
        let found: Vec<(i64, String)> = sqlx::query_as(&sql)
            .bind(practice.0)
            .fetch_all(&mut *conn)
            .await?;
        rows.extend(found.into_iter().map(|(id, at)| (table, column, id, at)));
    }
    let moments: Vec<&String> = rows
        .iter()
        .map(|row| &row.3)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let last = moments.len() as i32;
    for (table, column, id, at) in &rows {
        // Sorted, so its place is found by halves.
        let rank = moments.binary_search(&at).unwrap_or(0) as i32;
        let stamp = stamp(until - step * (last - 1 - rank));
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
        sqlx::query(&sql)
            .bind(stamp)
            .bind(*id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Dates the move of `practice` to `status`, and so its last change, on `day`.
pub async fn date_move(
    conn: &mut AnyConnection,
    practice: PracticeId,
    status: PracticeStatus,
    day: Date,
) -> Result<(), StoreError> {
    let stamp = stamp(day);
    sqlx::query("UPDATE practice_transitions SET changed_at = $1 WHERE practice_id = $2 AND status_after = $3")
        .bind(&stamp)
        .bind(practice.0)
        .bind(status.code())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE practices SET updated_at = $1 WHERE id = $2")
        .bind(&stamp)
        .bind(practice.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ten in the morning of `day`, as the store writes moments (RFC 3339).
fn stamp(day: Date) -> String {
    OffsetDateTime::new_utc(day, time::macros::time!(10:00))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
