//! Peer review in the authorization world (issue 12 item 3):
//! `practice-rev`, a practice of red-a under review written by the teacher
//! of school-x, with two reviewers assigned by the administrator: the
//! rector (a reviewer from elsewhere, review not sent yet: `{review_id}` of
//! the review form and its sending) and the director of school-x (review
//! sent: `{review_id}` of the authors' reply); `rubric-cl`, Chile's rubric,
//! and `rubric-bolivar`, the rubric of the department of Bolívar
//! (Colombia), both with seed 002's criteria; the request bodies of the
//! review and rubric routes; and the snapshot that puts them back after an
//! allowed write.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestApp;
use redes::ids::{NetworkId, PersonId};
use redes::practices::model::reviews::{Rubric, SEED_002};
use redes::practices::model::PracticeStatus;
use redes::practices::store;

/// The people of `practice-rev`: its author, the two reviewers, and who
/// assigned them.
pub struct People {
    pub author: i64,
    pub open_reviewer: i64,
    pub sent_reviewer: i64,
    pub admin: i64,
}

/// Builds `practice-rev` with its two reviews, and the two rubrics.
pub async fn build(
    app: &TestApp,
    ids: &mut HashMap<String, i64>,
    names: &mut HashMap<String, String>,
    people: People,
) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    let red_a = redes::networks::store::get(&app.db, NetworkId(ids["red-a"]))
        .await
        .unwrap();
    let new = super::practices::practice(
        "Tutorías entre estudiantes de Concepción",
        ids["school-x"],
        people.author,
    );
    let id = store::insert(&mut conn, &red_a, &new, PersonId(people.author))
        .await
        .unwrap();
    store::insert_file(
        &mut conn,
        id,
        "tutorias.txt",
        "text/plain; charset=utf-8",
        b"Tutorias",
        PersonId(people.author),
    )
    .await
    .unwrap();
    for to in [
        PracticeStatus::Documented,
        PracticeStatus::Systematized,
        PracticeStatus::UnderReview,
    ] {
        let current = store::load(&mut conn, id).await.unwrap();
        store::move_to(&mut conn, &current, to, "", PersonId(people.author))
            .await
            .unwrap();
    }
    let by = PersonId(people.admin);
    let open = store::reviews::insert_assignment(&mut conn, id, PersonId(people.open_reviewer), by)
        .await
        .unwrap();
    let sent = store::reviews::insert_assignment(&mut conn, id, PersonId(people.sent_reviewer), by)
        .await
        .unwrap();
    let seed = Rubric::seed(redes::country::Country::Cl, "");
    let scores: Vec<(i64, String)> = (0..seed.criteria.len())
        .map(|_| (3, String::new()))
        .collect();
    store::reviews::write_review(&mut conn, sent, &seed, "Sólida.", &scores)
        .await
        .unwrap();
    ids.insert("practice-rev".into(), id.0);
    ids.insert("review-open-practice-rev".into(), open.0);
    ids.insert("review-sent-practice-rev".into(), sent.0);
    names.insert("practice-rev".into(), new.title.clone());
    for (key, country, region) in [("rubric-cl", "cl", ""), ("rubric-bolivar", "co", "Bolívar")] {
        let rubric: i64 = sqlx::query_scalar(
            "INSERT INTO practice_rubrics (country, region, reviews_needed, updated_by, updated_at)
             VALUES ($1, $2, 2, $3, '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(country)
        .bind(region)
        .bind(people.admin)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        for (i, (name, meaning, levels)) in SEED_002.iter().enumerate() {
            sqlx::query(
                "INSERT INTO practice_rubric_criteria (rubric_id, position, name, meaning, level_1, level_2, level_3, level_4)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(rubric)
            .bind(i as i64 + 1)
            .bind(name)
            .bind(meaning)
            .bind(levels[0])
            .bind(levels[1])
            .bind(levels[2])
            .bind(levels[3])
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        ids.insert(key.into(), rubric);
        names.insert(key.into(), format!("{country}/{region}"));
    }
}

/// The review a `{review_id}` names: the sent one on the reply routes,
/// the open one elsewhere (missing when the object has none).
pub fn review_id(ids: &HashMap<String, i64>, path: &str, object: &str) -> Option<i64> {
    let which = match path.ends_with("/respuesta") || path.ends_with("/reply") {
        true => "sent",
        false => "open",
    };
    ids.get(&format!("review-{which}-{object}")).copied()
}

/// A route of peer review (pages or API).
pub fn is_review_route(path: &str) -> bool {
    path.contains("/revisiones")
        || path.contains("/reviews")
        || path.starts_with("/practicas/rubricas")
        || path.starts_with("/api/v1/practice-rubrics")
}

/// The rubric form as a page sends it (one criterion), or the API's body.
fn rubric_body(api: bool, line: usize) -> Value {
    let levels = ["No se ve.", "Se nombra.", "Se atiende.", "Se prioriza."];
    match api {
        true => json!({"reviews_needed": 1, "criteria": [
            {"name": format!("Pertinente (línea {line})"), "meaning": "Responde a una necesidad.", "levels": levels},
        ]}),
        false => json!({
            "reviews_needed": "1", "name_1": format!("Pertinente (línea {line})"),
            "meaning_1": "Responde a una necesidad.", "level_1_1": levels[0], "level_1_2": levels[1],
            "level_1_3": levels[2], "level_1_4": levels[3],
        }),
    }
}

/// The body of a review or rubric route (`None`: no body).
pub fn input(world: &super::world::World, path: &str, line: usize) -> Option<Value> {
    let criteria = SEED_002.len();
    Some(match path {
        // The coordinator of red-a, neither an author nor assigned yet.
        "/practicas/{id}/revisiones" | "/api/v1/practices/{id}/reviews" => {
            json!({"reviewer_id": world.actors["coordinator"].person_id.to_string()})
        }
        "/practicas/{id}/revisiones/{review_id}" => {
            let mut form = json!({"comment": format!("Revisión de la línea {line}")});
            for n in 1..=criteria {
                form[format!("score_{n}")] = json!("3");
                form[format!("comment_{n}")] = json!("");
            }
            form
        }
        "/api/v1/practices/{id}/reviews/{review_id}" => json!({
            "comment": format!("Revisión de la línea {line}"),
            "scores": (1..=criteria).map(|n| json!({"criterion": n, "score": 3, "comment": ""})).collect::<Vec<_>>(),
        }),
        "/practicas/{id}/revisiones/{review_id}/respuesta"
        | "/api/v1/practices/{id}/reviews/{review_id}/reply" => {
            json!({"reply": format!("Respuesta de la línea {line}")})
        }
        // Maule has no rubric of its own in the world.
        "/practicas/rubricas" => json!({"place": "cl|Maule"}),
        "/api/v1/practice-rubrics" => json!({"country": "cl", "region": "Maule"}),
        "/practicas/rubricas/{id}" => rubric_body(false, line),
        "/api/v1/practice-rubrics/{id}" => rubric_body(true, line),
        _ => return None,
    })
}

/// What of peer review a request may change, one line per row.
pub const FINGERPRINT: [&str; 4] = [
    "SELECT 'review ' || CAST(id AS TEXT) || ' ' || CAST(practice_id AS TEXT) || ' ' || CAST(reviewer_id AS TEXT) || ' ' || COALESCE(submitted_at, '-') || ' ' || comment || ' ' || reply FROM practice_reviews ORDER BY id",
    "SELECT 'review score ' || CAST(review_id AS TEXT) || ' ' || CAST(position AS TEXT) || ' ' || CAST(score AS TEXT) FROM practice_review_scores ORDER BY review_id, position",
    "SELECT 'rubric ' || CAST(id AS TEXT) || ' ' || country || '/' || region || ' ' || CAST(reviews_needed AS TEXT) || ' ' || updated_at FROM practice_rubrics ORDER BY id",
    "SELECT 'rubric criterion ' || CAST(rubric_id AS TEXT) || ' ' || CAST(position AS TEXT) || ' ' || name FROM practice_rubric_criteria ORDER BY rubric_id, position",
];

type ReviewRow = (i64, i64, i64, i64, String, Option<String>, String, String);
type ScoreRow = (i64, i64, String, i64, String);
type RubricRow = (i64, String, String, i64, i64, String);
type CriterionRow = (i64, i64, String, String, String, String, String, String);

/// Peer review as built.
pub struct Snapshot {
    reviews: Vec<ReviewRow>,
    scores: Vec<ScoreRow>,
    rubrics: Vec<RubricRow>,
    criteria: Vec<CriterionRow>,
}

pub async fn take(app: &TestApp) -> Snapshot {
    let pool = &app.db.pool;
    Snapshot {
        reviews: sqlx::query_as(
            "SELECT id, practice_id, reviewer_id, assigned_by, assigned_at, submitted_at, comment, reply FROM practice_reviews",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        scores: sqlx::query_as(
            "SELECT review_id, position, criterion, score, comment FROM practice_review_scores",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        rubrics: sqlx::query_as(
            "SELECT id, country, region, reviews_needed, updated_by, updated_at FROM practice_rubrics",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        criteria: sqlx::query_as(
            "SELECT rubric_id, position, name, meaning, level_1, level_2, level_3, level_4 FROM practice_rubric_criteria",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

/// Empties the review tables (before the practices are put back).
pub async fn clear(conn: &mut sqlx::AnyConnection) {
    for sql in [
        "DELETE FROM practice_review_scores",
        "DELETE FROM practice_reviews",
        "DELETE FROM practice_rubric_criteria",
        "DELETE FROM practice_rubrics",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
}

/// Puts reviews and rubrics back as built (after `clear` and the practices).
pub async fn restore(conn: &mut sqlx::AnyConnection, s: &Snapshot) {
    for (id, country, region, needed, by, at) in &s.rubrics {
        sqlx::query("INSERT INTO practice_rubrics (id, country, region, reviews_needed, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(country).bind(region).bind(needed).bind(by).bind(at)
            .execute(&mut *conn).await.unwrap();
    }
    for (rubric, position, name, meaning, l1, l2, l3, l4) in &s.criteria {
        sqlx::query("INSERT INTO practice_rubric_criteria (rubric_id, position, name, meaning, level_1, level_2, level_3, level_4) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(rubric).bind(position).bind(name).bind(meaning).bind(l1).bind(l2).bind(l3).bind(l4)
            .execute(&mut *conn).await.unwrap();
    }
    for (id, practice, reviewer, by, at, submitted, comment, reply) in &s.reviews {
        sqlx::query("INSERT INTO practice_reviews (id, practice_id, reviewer_id, assigned_by, assigned_at, submitted_at, comment, reply) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(practice).bind(reviewer).bind(by).bind(at).bind(submitted).bind(comment).bind(reply)
            .execute(&mut *conn).await.unwrap();
    }
    for (review, position, criterion, score, comment) in &s.scores {
        sqlx::query("INSERT INTO practice_review_scores (review_id, position, criterion, score, comment) VALUES ($1, $2, $3, $4, $5)")
            .bind(review).bind(position).bind(criterion).bind(score).bind(comment)
            .execute(&mut *conn).await.unwrap();
    }
}
