//! Peer review of practices (issue 12, item 3): the rubrics of countries
//! and regions, the reviewers assigned to a practice under review, their
//! scores and the authors' replies. Each write is one function shared by
//! the pages, the API and the demo: parse → policy → store, in one
//! transaction.

use sqlx::AnyConnection;

use super::{author_ids, viewable};
use crate::auth::policy::Principal;
use crate::country::Country;
use crate::db::{now, today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{PersonId, PracticeId, ReviewId, RubricId};
use crate::practices::model::reviews::{
    mean, AssignInput, Criterion, ReplyInput, Review, ReviewInput, Rubric, RubricInput,
    RubricPlaceInput, RubricSummary, Score,
};
use crate::practices::model::{Named, Practice, PracticeStatus};

/// A stored rubric with its criteria.
async fn load_rubric(conn: &mut AnyConnection, id: RubricId) -> Result<Rubric, StoreError> {
    let (country, region, reviews_needed, updated_at): (Country, String, i64, String) = sqlx::query_as(
        "SELECT country, region, reviews_needed, updated_at FROM practice_rubrics WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    type Row = (String, String, String, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT name, meaning, level_1, level_2, level_3, level_4 FROM practice_rubric_criteria
         WHERE rubric_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Rubric {
        id: Some(id),
        country,
        region,
        reviews_needed,
        criteria: rows
            .into_iter()
            .map(|(name, meaning, l1, l2, l3, l4)| Criterion {
                name,
                meaning,
                levels: vec![l1, l2, l3, l4],
            })
            .collect(),
        updated_at: Some(updated_at),
    })
}

pub async fn rubric(db: &Db, id: RubricId) -> Result<Rubric, StoreError> {
    load_rubric(&mut *db.pool.acquire().await?, id).await
}

/// The rubric in force in a region: its own, else its country's, else
/// seed 002's.
pub async fn rubric_for(
    conn: &mut AnyConnection,
    country: Country,
    region: &str,
) -> Result<Rubric, StoreError> {
    let id: Option<RubricId> = sqlx::query_scalar(
        "SELECT id FROM practice_rubrics WHERE country = $1 AND (region = $2 OR region = '')
         ORDER BY region DESC LIMIT 1",
    )
    .bind(country)
    .bind(region)
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => load_rubric(conn, id).await,
        None => Ok(Rubric::seed(country, region)),
    }
}

/// The rubric a practice is reviewed with.
pub async fn rubric_of(conn: &mut AnyConnection, practice: &Practice) -> Result<Rubric, StoreError> {
    let country = practice
        .country
        .parse::<Country>()
        .map_err(|_| StoreError::invalid("country", "practices-pais-desconocido"))?;
    rubric_for(conn, country, &practice.region).await
}

/// Every configured rubric, by country and region.
pub async fn rubrics(db: &Db) -> Result<Vec<RubricSummary>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.country, r.region, r.reviews_needed,
                (SELECT COUNT(*) FROM practice_rubric_criteria c WHERE c.rubric_id = r.id) AS criteria, r.updated_at
         FROM practice_rubrics r ORDER BY r.country, r.region",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// The regions of a country where networks work: where a rubric may apply.
pub async fn regions(db: &Db, country: Country) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT region FROM networks WHERE country = $1 AND region <> '' ORDER BY region",
    )
    .bind(country)
    .fetch_all(&db.pool)
    .await?)
}

/// Writes the criteria of a rubric, replacing the ones it had.
async fn write_criteria(
    conn: &mut AnyConnection,
    id: RubricId,
    criteria: &[Criterion],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM practice_rubric_criteria WHERE rubric_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, c) in criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO practice_rubric_criteria (rubric_id, position, name, meaning, level_1, level_2, level_3, level_4)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&c.name)
        .bind(&c.meaning)
        .bind(&c.levels[0])
        .bind(&c.levels[1])
        .bind(&c.levels[2])
        .bind(&c.levels[3])
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Gives a country (region empty) or a region its own rubric, starting
/// from the one in force there (its country's, else seed 002's): the
/// ministry for its country and its regions, a secretariat for its own.
pub async fn create_rubric(
    db: &Db,
    p: &Principal,
    input: &RubricPlaceInput,
) -> Result<RubricId, AppError> {
    let (country, region) = input.parse().map_err(AppError::Validation)?;
    if !p.can_configure_rubric(country, &region) {
        return Err(AppError::Denied(
            "practices-solo-ministerio-configura-rubrica-pais-cada"
                .into(),
        ));
    }
    let mut tx = db.write().await?;
    let exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM practice_rubrics WHERE country = $1 AND region = $2",
    )
    .bind(country)
    .bind(&region)
    .fetch_one(&mut *tx)
    .await?;
    if exists > 0 {
        return Err(AppError::Conflict("practices-ese-territorio-ya-tiene-rubrica".into()));
    }
    let start = rubric_for(&mut tx, country, &region).await?;
    let id: RubricId = sqlx::query_scalar(
        "INSERT INTO practice_rubrics (country, region, reviews_needed, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(country)
    .bind(&region)
    .bind(start.reviews_needed)
    .bind(p.person_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    write_criteria(&mut tx, id, &start.criteria).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a rubric's criteria and the reviews publication needs. Reviews
/// already sent keep the criteria they were scored on.
pub async fn edit_rubric(
    db: &Db,
    p: &Principal,
    id: RubricId,
    input: &RubricInput,
) -> Result<(), AppError> {
    let current = rubric(db, id).await?;
    if !p.can_configure_rubric(current.country, &current.region) {
        return Err(AppError::Denied(
            "practices-solo-ministerio-configura-rubrica-pais-cada"
                .into(),
        ));
    }
    let (reviews_needed, criteria) = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    sqlx::query("UPDATE practice_rubrics SET reviews_needed = $1, updated_by = $2, updated_at = $3 WHERE id = $4")
        .bind(reviews_needed)
        .bind(p.person_id)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_criteria(&mut tx, id, &criteria).await?;
    tx.commit().await?;
    Ok(())
}

const REVIEW_SELECT: &str = "SELECT r.id, r.practice_id, r.reviewer_id, rv.full_name AS reviewer_name,
        ab.full_name AS assigned_by_name, r.assigned_at, r.submitted_at, r.comment, r.reply,
        rp.full_name AS replied_by_name, r.replied_at
    FROM practice_reviews r JOIN people rv ON rv.id = r.reviewer_id JOIN people ab ON ab.id = r.assigned_by
    LEFT JOIN people rp ON rp.id = r.replied_by";

/// The reviews of a practice, in the order assigned, each with its scores
/// and their mean.
pub async fn reviews(db: &Db, id: PracticeId) -> Result<Vec<Review>, StoreError> {
    let mut reviews: Vec<Review> =
        sqlx::query_as(&format!("{REVIEW_SELECT} WHERE r.practice_id = $1 ORDER BY r.id"))
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    let scores: Vec<Score> = sqlx::query_as(
        "SELECT s.review_id, s.position, s.criterion, s.score, s.comment FROM practice_review_scores s
         JOIN practice_reviews r ON r.id = s.review_id WHERE r.practice_id = $1 ORDER BY s.review_id, s.position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    for review in &mut reviews {
        review.scores = scores
            .iter()
            .filter(|s| s.review_id == review.id)
            .cloned()
            .collect();
        if review.submitted_at.is_some() {
            review.score = mean(review.scores.iter().map(|s| s.score as f64));
        }
    }
    Ok(reviews)
}

/// The people assigned to review a practice.
pub async fn reviewer_ids(db: &Db, id: PracticeId) -> Result<Vec<PersonId>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT reviewer_id FROM practice_reviews WHERE practice_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?,
    )
}

/// Reviews sent, for the lifecycle's rules.
pub async fn finished(conn: &mut AnyConnection, id: PracticeId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM practice_reviews WHERE practice_id = $1 AND submitted_at IS NOT NULL",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Who may be asked to review a practice, by name: people with an account
/// and a current role in its region (a school, a network, the region) or
/// in its whole country, not its authors nor already assigned.
pub async fn reviewer_choices(db: &Db, practice: &Practice) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT pe.id, pe.full_name AS name FROM people pe
         WHERE pe.archived = 0 AND pe.username IS NOT NULL
           AND pe.id NOT IN (SELECT person_id FROM practice_authors WHERE practice_id = $1)
           AND pe.id NOT IN (SELECT reviewer_id FROM practice_reviews WHERE practice_id = $1)
           AND pe.id IN (SELECT ms.person_id FROM memberships ms
                LEFT JOIN schools s ON s.id = ms.school_id LEFT JOIN networks n ON n.id = ms.network_id
                WHERE (ms.ends_on IS NULL OR ms.ends_on >= $4)
                  AND ((ms.scope_kind = 'national' AND ms.country = $2)
                    OR (ms.scope_kind = 'region' AND ms.country = $2 AND ms.scope_name = $3)
                    OR (s.country = $2 AND s.region = $3)
                    OR (n.country = $2 AND n.region = $3)))
         ORDER BY pe.full_name, pe.id LIMIT 500",
    )
    .bind(practice.id)
    .bind(&practice.country)
    .bind(&practice.region)
    .bind(today())
    .fetch_all(&db.pool)
    .await?)
}

/// The practice under review, when the person may assign its reviewers.
async fn under_review(db: &Db, p: &Principal, id: PracticeId) -> Result<Practice, AppError> {
    let (practice, network) = viewable(db, Some(p), id).await?;
    if !p.can_assign_reviewers(&network.policy()) {
        return Err(AppError::Denied(
            "practices-solo-ministerio-autoridad-regional-secretaria-territorio-2"
                .into(),
        ));
    }
    if practice.status != PracticeStatus::UnderReview {
        return Err(AppError::Conflict(
            "practices-solo-asignan-revisores-practica-revision".into(),
        ));
    }
    Ok(practice)
}

/// Assigns a reviewer to a practice under review (page, API and demo): a
/// reviewer of the territory chooses a person with an account who is not
/// one of its authors.
pub async fn assign(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    input: &AssignInput,
) -> Result<ReviewId, AppError> {
    let practice = under_review(db, p, id).await?;
    let reviewer = input.parse().map_err(AppError::Validation)?;
    let authors = author_ids(db, id).await?;
    if !Principal::may_be_reviewer(reviewer, &authors) {
        return Err(AppError::field(
            "reviewer_id",
            "practices-es-autora-autor-practica-nadie-revisa",
        ));
    }
    let mut tx = db.write().await?;
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM people WHERE id = $1 AND archived = 0 AND username IS NOT NULL",
    )
    .bind(reviewer)
    .fetch_one(&mut *tx)
    .await?;
    if known == 0 {
        return Err(AppError::field(
            "reviewer_id",
            "practices-elija-persona-con-cuenta-redes",
        ));
    }
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM practice_reviews WHERE practice_id = $1 AND reviewer_id = $2",
    )
    .bind(practice.id)
    .bind(reviewer)
    .fetch_one(&mut *tx)
    .await?;
    if already > 0 {
        return Err(AppError::field("reviewer_id", "practices-ya-revisa-esta-practica"));
    }
    let review = insert_assignment(&mut tx, practice.id, reviewer, p.person_id).await?;
    tx.commit().await?;
    Ok(review)
}

/// Writes an assignment (`assign`'s write; the demo's too).
pub async fn insert_assignment(
    conn: &mut AnyConnection,
    id: PracticeId,
    reviewer: PersonId,
    by: PersonId,
) -> Result<ReviewId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO practice_reviews (practice_id, reviewer_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(reviewer)
    .bind(by)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?)
}

/// A review of the practice (404 when it is another practice's).
pub async fn review(db: &Db, id: PracticeId, review: ReviewId) -> Result<Review, StoreError> {
    reviews(db, id)
        .await?
        .into_iter()
        .find(|r| r.id == review)
        .ok_or(StoreError::NotFound)
}

/// The practice, its rubric and the review, when the person is the
/// reviewer assigned to it and may still send it.
pub async fn writable(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    review_id: ReviewId,
) -> Result<(Practice, Rubric, Review), AppError> {
    let (practice, _) = viewable(db, Some(p), id).await?;
    let found = review(db, id, review_id).await?;
    let authors = author_ids(db, id).await?;
    if !p.can_write_review(found.reviewer_id, &authors) {
        return Err(AppError::Denied(
            "practices-solo-persona-asignada-escribe-esta-revision"
                .into(),
        ));
    }
    if found.submitted_at.is_some() {
        return Err(AppError::Conflict("practices-revision-ya-fue-enviada".into()));
    }
    if practice.status != PracticeStatus::UnderReview {
        return Err(AppError::Conflict(
            "practices-practica-ya-no-esta-revision".into(),
        ));
    }
    let rubric = rubric_of(&mut *db.pool.acquire().await?, &practice).await?;
    Ok((practice, rubric, found))
}

/// Sends a review (page, API and demo): the assigned reviewer scores each
/// criterion of the practice's rubric from 1 to 4, with comments.
pub async fn submit(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    review_id: ReviewId,
    input: &ReviewInput,
) -> Result<(), AppError> {
    let (_, rubric, _) = writable(db, p, id, review_id).await?;
    let (comment, scores) = input
        .parse(rubric.criteria.len())
        .map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    write_review(&mut tx, review_id, &rubric, &comment, &scores).await?;
    // The combined score is one of the search's facets.
    super::changed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a checked review (`submit`'s write; the demo's too); a review
/// sent meanwhile is a conflict.
pub async fn write_review(
    conn: &mut AnyConnection,
    review_id: ReviewId,
    rubric: &Rubric,
    comment: &str,
    scores: &[(i64, String)],
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE practice_reviews SET submitted_at = $1, comment = $2 WHERE id = $3 AND submitted_at IS NULL",
    )
    .bind(now())
    .bind(comment)
    .bind(review_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("practices-revision-ya-fue-enviada".into()));
    }
    for (i, ((score, text), criterion)) in scores.iter().zip(&rubric.criteria).enumerate() {
        sqlx::query(
            "INSERT INTO practice_review_scores (review_id, position, criterion, score, comment) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(review_id)
        .bind(i as i64 + 1)
        .bind(&criterion.name)
        .bind(score)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The authors' reply to a sent review (page and API); written again, it
/// replaces the one before.
pub async fn reply(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    review_id: ReviewId,
    input: &ReplyInput,
) -> Result<(), AppError> {
    viewable(db, Some(p), id).await?;
    let found = review(db, id, review_id).await?;
    let authors = author_ids(db, id).await?;
    if !p.can_reply_to_review(&authors) {
        return Err(AppError::Denied(
            "practices-solo-autoras-autores-practica-responden-revisiones".into(),
        ));
    }
    if found.submitted_at.is_none() {
        return Err(AppError::Conflict(
            "practices-revision-aun-no-ha-sido-enviada".into(),
        ));
    }
    let text = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    write_reply(&mut tx, review_id, &text, p.person_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the authors' reply to a review (`reply`'s write; the demo's too).
pub async fn write_reply(
    conn: &mut AnyConnection,
    review_id: ReviewId,
    text: &str,
    by: PersonId,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE practice_reviews SET reply = $1, replied_by = $2, replied_at = $3 WHERE id = $4")
        .bind(text)
        .bind(by)
        .bind(now())
        .bind(review_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
