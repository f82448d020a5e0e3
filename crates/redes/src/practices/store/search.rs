//! The search index's side of the store: the queue of practices whose
//! entry is to be rewritten (filled by `changed` inside every write's
//! transaction, emptied by `practices::search` once the entry is
//! rewritten), what the index holds of a practice, and which networks'
//! unpublished practices a person may find (the list's own rule).

use sqlx::AnyConnection;

use super::load;
use crate::auth::policy::{Table, Visibility};
use crate::db::Db;
use crate::error::StoreError;
use crate::ids::PracticeId;
use crate::practices::model::reviews::combined;
use crate::practices::model::{Practice, SearchDocument, PRACTICE_SELECT};
use crate::sql::Sql;

/// Queue rows read at a time: a search after a bulk load re-indexes in
/// batches rather than holding every practice in memory.
pub const QUEUE_BATCH: i64 = 200;

/// Asks for the practice's entry to be rewritten; called in the write's own
/// transaction, so a committed change is always queued and a rolled-back
/// one never is.
pub async fn enqueue(conn: &mut AnyConnection, id: PracticeId) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO practice_search_queue (practice_id) VALUES ($1)")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The oldest queued rows, `limit` of them or all: (row id, practice).
pub async fn queued(db: &Db, limit: Option<i64>) -> Result<Vec<(i64, PracticeId)>, StoreError> {
    let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    Ok(sqlx::query_as(&format!(
        "SELECT id, practice_id FROM practice_search_queue ORDER BY id{limit}"
    ))
    .fetch_all(&db.pool)
    .await?)
}

/// Removes the rows read, by their ids: a row queued meanwhile (even with
/// a lower id, committed late) stays for the next drain.
pub async fn dequeue(db: &Db, rows: &[i64]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    // Numbers only, written into the statement: no text of a user's.
    let list: Vec<String> = rows.iter().map(i64::to_string).collect();
    let mut tx = db.write().await?;
    sqlx::query(&format!(
        "DELETE FROM practice_search_queue WHERE id IN ({})",
        list.join(", ")
    ))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every practice, for a rebuild.
pub async fn all_ids(db: &Db) -> Result<Vec<PracticeId>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM practices ORDER BY id")
        .fetch_all(&db.pool)
        .await?)
}

/// What the index holds of a practice (its text, schools, authors, files
/// with their content, score), or `None` when it no longer exists.
pub async fn document(db: &Db, id: PracticeId) -> Result<Option<SearchDocument>, StoreError> {
    // Read before taking a connection of our own: it takes one too.
    let score = combined(&super::reviews::reviews(db, id).await?);
    let mut conn = db.pool.acquire().await?;
    let practice = match load(&mut conn, id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let schools = sqlx::query_scalar(
        "SELECT s.name FROM practice_schools ps JOIN schools s ON s.id = ps.school_id
         WHERE ps.practice_id = $1 ORDER BY s.name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let authors = sqlx::query_scalar(
        "SELECT pe.full_name FROM practice_authors pa JOIN people pe ON pe.id = pa.person_id
         WHERE pa.practice_id = $1 ORDER BY pe.full_name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let files = sqlx::query_as(
        "SELECT file_name, content FROM practice_attachments WHERE practice_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(SearchDocument {
        practice,
        schools,
        authors,
        files,
        score,
    }))
}

/// The practices found, by id (in no order).
pub async fn practices(db: &Db, ids: &[PracticeId]) -> Result<Vec<Practice>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(PRACTICE_SELECT);
    sql.push(" WHERE p.id IN ")
        .int_list(&ids.iter().map(|id| id.0).collect::<Vec<_>>());
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// The networks whose unpublished practices the person may find: those the
/// practices list shows them (`None`: every network, an administrator).
pub async fn visible_networks(db: &Db, v: &Visibility) -> Result<Option<Vec<i64>>, StoreError> {
    if v.all {
        return Ok(None);
    }
    let mut sql = Sql::new("SELECT n.id FROM networks n WHERE 1 = 1");
    v.restrict(&mut sql, &Table::NETWORKS, "n");
    Ok(Some(sql.query_scalar().fetch_all(&db.pool).await?))
}
