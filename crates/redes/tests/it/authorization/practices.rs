//! The good practices of the authorization world: `practice-a`, a
//! systematized practice of red-a written by the teacher of school-x with
//! one file of evidence (`file-practice-a`), ready to be sent to review;
//! `practice-pub`, a published practice of red-b (read by everyone); the
//! request bodies of the practice routes; and the snapshot that puts them
//! back after an allowed write.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestApp;
use redes::ids::{NetworkId, PersonId, SchoolId};
use redes::practices::model::{NewPractice, PracticeStatus, Stage};
use redes::practices::store;

pub fn practice(title: &str, school: i64, author: i64) -> NewPractice {
    NewPractice {
        title: title.into(),
        level: "Básica".into(),
        area: "Lenguaje".into(),
        context: "Escuelas urbanas de Concepción.".into(),
        problem: "Poca observación entre docentes.".into(),
        objective: "Observar clases entre pares.".into(),
        steps: "Pauta común y visitas.".into(),
        results: "Veinte clases observadas.".into(),
        learnings: "La pauta ordena la conversación.".into(),
        pei_link: String::new(),
        plan_link: "Acción 2 del PME".into(),
        policy_link: String::new(),
        tags: "acompañamiento".into(),
        stage: Stage::Finished,
        school_ids: vec![SchoolId(school)],
        author_ids: vec![PersonId(author)],
    }
}

/// Builds `practice-a` (red-a, systematized) and `practice-pub` (red-b,
/// published); `teacher` is the author of the first, `admin` of the moves.
pub async fn build(
    app: &TestApp,
    ids: &mut HashMap<String, i64>,
    names: &mut HashMap<String, String>,
    teacher: i64,
    admin: i64,
) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    let red_a = redes::networks::store::get(&app.db, NetworkId(ids["red-a"]))
        .await
        .unwrap();
    let red_b = redes::networks::store::get(&app.db, NetworkId(ids["red-b"]))
        .await
        .unwrap();
    let a = practice(
        "Observación entre pares de Concepción",
        ids["school-x"],
        teacher,
    );
    let id = store::insert(&mut conn, &red_a, &a, PersonId(teacher))
        .await
        .unwrap();
    let file = store::insert_file(
        &mut conn,
        id,
        "pauta.txt",
        "text/plain; charset=utf-8",
        b"Pauta",
        PersonId(teacher),
    )
    .await
    .unwrap();
    for to in [PracticeStatus::Documented, PracticeStatus::Systematized] {
        let current = store::load(&mut conn, id).await.unwrap();
        store::move_to(&mut conn, &current, to, "", PersonId(teacher))
            .await
            .unwrap();
    }
    ids.insert("practice-a".into(), id.0);
    ids.insert("file-practice-a".into(), file.0);
    names.insert("practice-a".into(), a.title.clone());
    let b = practice("Pasantías pedagógicas del Maule", ids["school-m"], admin);
    let id = store::insert(&mut conn, &red_b, &b, PersonId(admin))
        .await
        .unwrap();
    for to in [
        PracticeStatus::Documented,
        PracticeStatus::Systematized,
        PracticeStatus::UnderReview,
        PracticeStatus::Published,
    ] {
        let current = store::load(&mut conn, id).await.unwrap();
        store::move_to(&mut conn, &current, to, "", PersonId(admin))
            .await
            .unwrap();
    }
    ids.insert("practice-pub".into(), id.0);
    names.insert("practice-pub".into(), b.title.clone());
}

/// The body of a practice route, as the input's fields (`None`: no body).
pub fn input(world: &super::world::World, path: &str, line: usize) -> Option<Value> {
    let school = world.ids["school-x"];
    let teacher = world.actors["teacher"].person_id;
    let a = practice(&format!("Práctica de la línea {line}"), school, teacher);
    Some(match path {
        "/practicas"
        | "/api/v1/practices"
        | "/practicas/{id}/editar"
        | "/api/v1/practices/{id}" => {
            json!({
                "network_id": world.ids["red-a"].to_string(), "title": a.title, "level": a.level, "area": a.area,
                "context": a.context, "problem": a.problem, "objective": a.objective, "steps": a.steps,
                "results": a.results, "learnings": a.learnings, "pei_link": "", "plan_link": a.plan_link,
                "policy_link": "", "tags": a.tags, "stage": "finished", "school_ids": [school], "author_ids": [teacher],
            })
        }
        "/practicas/{id}/estado" | "/api/v1/practices/{id}/transitions" => {
            json!({"to": "under_review", "comment": format!("Línea {line}")})
        }
        "/practicas/{id}/replicas" | "/api/v1/practices/{id}/replications" => {
            json!({
                "school_id": school.to_string(), "from_school_id": world.ids["school-m"].to_string(),
                "adopted_on": "2026-04-01", "adaptation": format!("Línea {line}"), "outcome": "",
            })
        }
        path if super::reviews::is_review_route(path) => {
            return super::reviews::input(world, path, line);
        }
        _ => return None,
    })
}

/// A route of the practices module (pages or API), peer review included.
pub fn is_practice_route(path: &str) -> bool {
    path.starts_with("/practicas")
        || path.starts_with("/api/v1/practices")
        || path.starts_with("/api/v1/practice-rubrics")
}

/// What of the practices a request may change, one line per row.
pub const FINGERPRINT: [&str; 6] = [
    "SELECT 'practice ' || CAST(id AS TEXT) || ' ' || title || ' ' || status || ' ' || stage || ' ' || updated_at FROM practices ORDER BY id",
    "SELECT 'practice school ' || CAST(practice_id AS TEXT) || ' ' || CAST(school_id AS TEXT) FROM practice_schools ORDER BY practice_id, school_id",
    "SELECT 'practice author ' || CAST(practice_id AS TEXT) || ' ' || CAST(person_id AS TEXT) FROM practice_authors ORDER BY practice_id, person_id",
    "SELECT 'practice file ' || CAST(id AS TEXT) FROM practice_attachments ORDER BY id",
    "SELECT 'practice move ' || CAST(id AS TEXT) FROM practice_transitions ORDER BY id",
    "SELECT 'practice replication ' || CAST(id AS TEXT) FROM practice_replications ORDER BY id",
];

type PracticeRow = (i64, String, String, String, String, Option<String>);
type FileRow = (i64, i64, String, String, i64, Vec<u8>, i64, String);

/// The practices of the world as built.
pub struct Snapshot {
    practices: Vec<PracticeRow>,
    schools: Vec<(i64, i64)>,
    authors: Vec<(i64, i64)>,
    files: Vec<FileRow>,
    max_practice: i64,
    max_move: i64,
    reviews: super::reviews::Snapshot,
}

pub async fn take(app: &TestApp) -> Snapshot {
    let pool = &app.db.pool;
    Snapshot {
        practices: sqlx::query_as("SELECT id, title, status, stage, updated_at, published_at FROM practices")
            .fetch_all(pool)
            .await
            .unwrap(),
        schools: sqlx::query_as("SELECT practice_id, school_id FROM practice_schools")
            .fetch_all(pool)
            .await
            .unwrap(),
        authors: sqlx::query_as("SELECT practice_id, person_id FROM practice_authors")
            .fetch_all(pool)
            .await
            .unwrap(),
        files: sqlx::query_as(
            "SELECT id, practice_id, file_name, content_type, size_bytes, content, uploaded_by, created_at FROM practice_attachments",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        max_practice: app.count("SELECT COALESCE(MAX(id), 0) FROM practices").await,
        max_move: app.count("SELECT COALESCE(MAX(id), 0) FROM practice_transitions").await,
        reviews: super::reviews::take(app).await,
    }
}

/// Puts the practices back as built (the edits of the matrix change only
/// the title, the status and the links, see `input`).
pub async fn restore(conn: &mut sqlx::AnyConnection, s: &Snapshot) {
    // Written behind the store's back, so the search index is told here:
    // every practice is queued, those about to go included.
    sqlx::query("INSERT INTO practice_search_queue (practice_id) SELECT id FROM practices")
        .execute(&mut *conn)
        .await
        .unwrap();
    super::reviews::clear(conn).await;
    for sql in [
        "DELETE FROM practice_replications",
        "DELETE FROM practice_schools",
        "DELETE FROM practice_authors",
        "DELETE FROM practice_attachments",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    sqlx::query("DELETE FROM practice_transitions WHERE id > $1")
        .bind(s.max_move)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM practices WHERE id > $1")
        .bind(s.max_practice)
        .execute(&mut *conn)
        .await
        .unwrap();
    for (id, title, status, stage, updated, published) in &s.practices {
        sqlx::query("UPDATE practices SET title = $1, status = $2, stage = $3, updated_at = $4, published_at = $5 WHERE id = $6")
            .bind(title).bind(status).bind(stage).bind(updated).bind(published).bind(id)
            .execute(&mut *conn).await.unwrap();
    }
    for (practice, school) in &s.schools {
        sqlx::query("INSERT INTO practice_schools (practice_id, school_id) VALUES ($1, $2)")
            .bind(practice)
            .bind(school)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    for (practice, person) in &s.authors {
        sqlx::query("INSERT INTO practice_authors (practice_id, person_id) VALUES ($1, $2)")
            .bind(practice)
            .bind(person)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    for (id, practice, name, kind, size, content, by, at) in &s.files {
        sqlx::query("INSERT INTO practice_attachments (id, practice_id, file_name, content_type, size_bytes, content, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(practice).bind(name).bind(kind).bind(size).bind(content).bind(by).bind(at)
            .execute(&mut *conn).await.unwrap();
    }
    super::reviews::restore(conn, &s.reviews).await;
}
