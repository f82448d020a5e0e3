//! The meeting's states and its minutes: planned → in progress → minutes
//! in review → closed. The minutes (with the doubts, needs and
//! expectations raised) are saved with a version check; in review the
//! network's people comment or propose amendments; the coordinator
//! approves the final version, which closes the meeting; a correction of
//! closed minutes is a new approved version with its reason.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::{editable, viewable, write::advance};
use crate::auth::policy::Principal;
use crate::db::{now, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{MeetingId, NetworkId, PersonId};
use crate::meetings::model::MeetingStatus;

/// The minutes as typed, with the version the form was loaded at.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MinutesInput {
    #[schema(max_length = 50000)]
    pub minutes: String,
    #[schema(max_length = 5000)]
    pub doubts: String,
    #[schema(max_length = 5000)]
    pub needs: String,
    #[schema(max_length = 5000)]
    pub expectations: String,
    /// The `minutes_version` the text was loaded at; a save over a newer
    /// one is refused (409).
    #[schema(pattern = "^[0-9]+$")]
    pub minutes_version: String,
}

/// Saves the minutes of a meeting in progress or in review, when nobody
/// saved them since `minutes_version`; returns the new version.
pub async fn save(db: &Db, p: &Principal, id: MeetingId, input: &MinutesInput) -> Result<i64, AppError> {
    let g = editable(db, p, id).await?.open()?;
    let errors = crate::limits::check(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let expected: i64 = input
        .minutes_version
        .trim()
        .parse()
        .map_err(|_| AppError::field("minutes_version", "meetings-falta-version-acta-recargue-pagina"))?;
    if g.meeting.status == MeetingStatus::Planned {
        return Err(AppError::Conflict(
            "meetings-acta-escribe-cuando-reunion-comienza-marquela".into(),
        ));
    }
    let mut tx = db.write().await?;
    let done = sqlx::query(
        "UPDATE meetings SET minutes = $1, doubts = $2, needs = $3, expectations = $4, minutes_version = minutes_version + 1, updated_at = $5
         WHERE id = $6 AND minutes_version = $7 AND status <> 'closed'",
    )
    .bind(input.minutes.trim())
    .bind(input.doubts.trim())
    .bind(input.needs.trim())
    .bind(input.expectations.trim())
    .bind(now())
    .bind(id)
    .bind(expected)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "meetings-otra-persona-guardo-acta-mientras-usted"
                .into(),
        ));
    }
    tx.commit().await?;
    Ok(expected + 1)
}

/// Moves a meeting on: planned → in progress → review (editors). Closing
/// is `approve`.
pub async fn transition(db: &Db, p: &Principal, id: MeetingId, to: MeetingStatus) -> Result<(), AppError> {
    let g = editable(db, p, id).await?.open()?;
    let from = g.meeting.status;
    if to == MeetingStatus::Closed {
        return approve(db, p, id).await;
    }
    if from.next() != Some(to) {
        return Err(AppError::Conflict(crate::text::message("meetings-reunion-no-pasa", &[("arg1", &from.label()), ("arg2", &to.label())])));
    }
    let mut tx = db.write().await?;
    advance(&mut tx, id, from, to).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes an approved version of the minutes.
async fn record_version(
    conn: &mut AnyConnection,
    id: MeetingId,
    body: &str,
    reason: &str,
    by: PersonId,
) -> Result<i64, StoreError> {
    let version: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM minutes_versions WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO minutes_versions (meeting_id, version, body, reason, approved_by, approved_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(version)
    .bind(body)
    .bind(reason)
    .bind(by)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// Writes the minutes and what was raised, without a version check (the
/// demo; people save through `save`).
pub async fn set_minutes(
    conn: &mut AnyConnection,
    id: MeetingId,
    minutes: &str,
    raised: [&str; 3],
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE meetings SET minutes = $1, doubts = $2, needs = $3, expectations = $4, minutes_version = minutes_version + 1 WHERE id = $5",
    )
    .bind(minutes)
    .bind(raised[0])
    .bind(raised[1])
    .bind(raised[2])
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes a meeting in review (demo and `approve`): the minutes become an
/// approved version, open comments are settled, and the items not reached
/// move to the network's next meeting.
pub async fn close(conn: &mut AnyConnection, id: MeetingId, by: PersonId) -> Result<(), StoreError> {
    let (network, held_on, minutes): (Option<NetworkId>, String, String) =
        sqlx::query_as("SELECT network_id, held_on, minutes FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    advance(conn, id, MeetingStatus::Review, MeetingStatus::Closed).await?;
    record_version(conn, id, &minutes, "Aprobación del acta", by).await?;
    sqlx::query("UPDATE minutes_comments SET status = 'closed' WHERE meeting_id = $1 AND status = 'open'")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(network) = network {
        super::agenda::carry_over(conn, network, id, &held_on).await?;
    }
    Ok(())
}

/// The coordinator approves the minutes in review: the meeting closes.
pub async fn approve(db: &Db, p: &Principal, id: MeetingId) -> Result<(), AppError> {
    let g = viewable(db, p, id).await?;
    if !p.can_approve_minutes(&g.place()) {
        return Err(AppError::Denied("meetings-solo-quien-coordina-aprueba-acta".into()));
    }
    let g = g.open()?;
    if g.meeting.status != MeetingStatus::Review {
        return Err(AppError::Conflict(
            "meetings-solo-aprueba-acta-revision".into(),
        ));
    }
    if g.meeting.minutes.trim().is_empty() {
        return Err(AppError::field("minutes", "meetings-acta-esta-vacia-escribala-antes-aprobarla"));
    }
    let mut tx = db.write().await?;
    close(&mut tx, id, p.person_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A correction of closed minutes: the corrected text and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CorrectionInput {
    #[schema(min_length = 1, max_length = 50000)]
    pub minutes: String,
    /// Required: what the correction fixes.
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// Corrects the minutes of a closed meeting: a new approved version, with
/// the earlier ones kept.
pub async fn correct(db: &Db, p: &Principal, id: MeetingId, input: &CorrectionInput) -> Result<i64, AppError> {
    let g = viewable(db, p, id).await?;
    if !p.can_approve_minutes(&g.place()) {
        return Err(AppError::Denied("meetings-solo-quien-coordina-corrige-acta-aprobada".into()));
    }
    if g.meeting.status != MeetingStatus::Closed {
        return Err(AppError::Conflict(
            "meetings-solo-corrige-acta-ya-aprobada-mientras".into(),
        ));
    }
    let mut errors = crate::limits::check(input);
    if input.minutes.trim().is_empty() {
        errors.insert("minutes".into(), "meetings-acta-corregida-no-puede-quedar-vacia".into());
    }
    if input.reason.trim().is_empty() {
        errors.insert("reason".into(), "meetings-explique-corrige-esta-version".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.write().await?;
    let version = record_version(&mut tx, id, input.minutes.trim(), input.reason.trim(), p.person_id).await?;
    sqlx::query("UPDATE meetings SET minutes = $1, minutes_version = minutes_version + 1, updated_at = $2 WHERE id = $3")
        .bind(input.minutes.trim())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(version)
}

/// An approved version of the minutes.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Version {
    pub version: i64,
    pub body: String,
    pub reason: String,
    pub approved_by_name: String,
    pub approved_at: String,
}

pub async fn versions(db: &Db, id: MeetingId) -> Result<Vec<Version>, StoreError> {
    db.remember(format!("meeting:{id}:versions"), || async {
        Ok(sqlx::query_as::<_, Version>(
            "SELECT v.version, v.body, v.reason, p.full_name AS approved_by_name, v.approved_at
             FROM minutes_versions v JOIN people p ON p.id = v.approved_by WHERE v.meeting_id = $1 ORDER BY v.version DESC",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// A comment or proposed amendment as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CommentInput {
    /// The comment, or why the amendment is proposed.
    #[schema(min_length = 1, max_length = 10000)]
    pub body: String,
    /// The minutes as they should read (an amendment); empty for a comment.
    #[schema(max_length = 50000)]
    pub proposed_text: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub person_name: String,
    /// `comment` or `amendment`.
    pub kind: String,
    pub body: String,
    pub proposed_text: String,
    /// `open`, `accepted` (its text is now the minutes) or `closed`.
    pub status: String,
    pub created_at: String,
}

pub async fn comments(db: &Db, id: MeetingId) -> Result<Vec<Comment>, StoreError> {
    db.remember(format!("meeting:{id}:comments"), || async {
        Ok(sqlx::query_as::<_, Comment>(
            "SELECT c.id, p.full_name AS person_name, c.kind, c.body, c.proposed_text, c.status, c.created_at
             FROM minutes_comments c JOIN people p ON p.id = c.person_id WHERE c.meeting_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// Comments on the minutes in review, or proposes an amendment (with the
/// text as it should read).
pub async fn comment(db: &Db, p: &Principal, id: MeetingId, input: &CommentInput) -> Result<(), AppError> {
    let g = viewable(db, p, id).await?;
    if !p.can_comment_minutes(&g.place()) {
        return Err(AppError::Denied(
            "meetings-solo-personas-red-comentan-acta".into(),
        ));
    }
    let g = g.open()?;
    if g.meeting.status != MeetingStatus::Review {
        return Err(AppError::Conflict(
            "meetings-acta-comenta-mientras-esta-revision".into(),
        ));
    }
    let mut errors = crate::limits::check(input);
    if input.body.trim().is_empty() {
        errors.insert("body".into(), "meetings-escriba-comentario-motivo-enmienda".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let kind = if input.proposed_text.trim().is_empty() { "comment" } else { "amendment" };
    let mut tx = db.write().await?;
    insert_comment(&mut tx, id, p.person_id, kind, input.body.trim(), input.proposed_text.trim()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn insert_comment(
    conn: &mut AnyConnection,
    id: MeetingId,
    person: PersonId,
    kind: &str,
    body: &str,
    proposed: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO minutes_comments (meeting_id, person_id, kind, body, proposed_text, status, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6)",
    )
    .bind(id)
    .bind(person)
    .bind(kind)
    .bind(body)
    .bind(proposed)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The coordinator takes a proposed amendment into the minutes in review.
pub async fn accept_amendment(db: &Db, p: &Principal, id: MeetingId, comment_id: i64) -> Result<(), AppError> {
    let g = viewable(db, p, id).await?;
    if !p.can_approve_minutes(&g.place()) {
        return Err(AppError::Denied("meetings-solo-quien-coordina-incorpora-enmiendas-acta".into()));
    }
    let g = g.open()?;
    if g.meeting.status != MeetingStatus::Review {
        return Err(AppError::Conflict("meetings-acta-ya-no-esta-revision".into()));
    }
    let proposed: Option<String> = sqlx::query_scalar(
        "SELECT proposed_text FROM minutes_comments WHERE id = $1 AND meeting_id = $2 AND kind = 'amendment' AND status = 'open'",
    )
    .bind(comment_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let proposed = proposed.ok_or(AppError::NotFound)?;
    let mut tx = db.write().await?;
    sqlx::query("UPDATE meetings SET minutes = $1, minutes_version = minutes_version + 1, updated_at = $2 WHERE id = $3")
        .bind(&proposed)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE minutes_comments SET status = 'accepted' WHERE id = $1")
        .bind(comment_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
