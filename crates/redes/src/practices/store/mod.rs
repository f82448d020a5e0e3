//! Every query of good practices, the guards, and the writes (create, edit,
//! attach and remove evidence, move along the lifecycle), each one function
//! shared by the pages, the API and the demo: parse → policy → store, in
//! one transaction. Every write ends in `changed`, which queues the practice
//! for the search index in the same transaction.

use sqlx::AnyConnection;

pub mod dates;
pub mod replications;
pub mod reviews;
pub mod search;

use super::model::{
    missing, Attachment, Completeness, Named, NewPractice, Practice, PracticeFilter,
    PracticeInput, PracticeStatus, Transition, TransitionInput, PRACTICE_SELECT,
};
use crate::auth::policy::{Principal, Table, Visibility};
use crate::db::{now, today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{NetworkId, PersonId, PracticeFileId, PracticeId, SchoolId};
use crate::networks::model::Network;
use crate::sql::Sql;

/// Practices per page of a list.
pub const PAGE_SIZE: i64 = 25;

/// Published and replicated practices: read outside their network.
const PUBLIC: &str = "p.status IN ('published', 'replicated')";

pub async fn load(conn: &mut AnyConnection, id: PracticeId) -> Result<Practice, StoreError> {
    sqlx::query_as::<_, Practice>(&format!("{PRACTICE_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn get(db: &Db, id: PracticeId) -> Result<Practice, StoreError> {
    load(&mut *db.pool.acquire().await?, id).await
}

/// The practice with its network, when the person (or anyone, signed
/// out: `None`) may read it: published, or in a network they see.
pub async fn viewable(
    db: &Db,
    p: Option<&Principal>,
    id: PracticeId,
) -> Result<(Practice, Network), AppError> {
    let practice = get(db, id).await?;
    let network = crate::networks::store::get(db, practice.network_id).await?;
    if !Principal::can_view_practice(p, &network.policy(), practice.status.is_public()) {
        // Signed out, an unpublished practice does not exist; its assigned
        // reviewers read it wherever they are.
        let Some(p) = p else {
            return Err(AppError::NotFound);
        };
        if !p.reviews_practice(&reviews::reviewer_ids(db, id).await?) {
            return Err(AppError::Forbidden);
        }
    }
    Ok((practice, network))
}

/// The practice, when the person may change its text and evidence: one of
/// its authors or the network's coordination, before it goes to review.
pub async fn editable(
    db: &Db,
    p: &Principal,
    id: PracticeId,
) -> Result<(Practice, Network), AppError> {
    let (practice, network) = viewable(db, Some(p), id).await?;
    let authors = author_ids(db, id).await?;
    if !p.can_edit_practice(&network.policy(), &authors) {
        return Err(AppError::Denied(
            "practices-solo-autores-coordinacion-red-editan-practica".into(),
        ));
    }
    if !practice.status.is_editable() {
        return Err(AppError::Conflict(
            "practices-practica-ya-fue-enviada-revision-registro".into(),
        ));
    }
    Ok((practice, network))
}

/// The filter's conditions (checked by `PracticeFilter::check`).
fn apply(f: &PracticeFilter, sql: &mut Sql) {
        if !f.estado.is_empty() {
            sql.push(" AND p.status = ").text(f.estado.clone());
        }
        if !f.etapa.is_empty() {
            sql.push(" AND p.stage = ").text(f.etapa.clone());
        }
        if !f.area.trim().is_empty() {
            sql.push(" AND p.area = ").text(f.area.trim());
        }
        if let Ok(red) = f.red.parse::<i64>() {
            sql.push(" AND p.network_id = ").int(red);
        }
        if f.publicadas == "1" {
            sql.push(&format!(" AND {PUBLIC}"));
        }
}

/// What a person may list: every published practice, and the others of
/// the networks they see (`None`: signed out, published only).
fn restrict(sql: &mut Sql, v: Option<&Visibility>) {
    match v {
        None => {
            sql.push(&format!(" AND {PUBLIC}"));
        }
        Some(v) => {
            sql.push(&format!(" AND ({PUBLIC} OR (1 = 1"));
            v.restrict(sql, &Table::NETWORKS, "n");
            sql.push("))");
        }
    }
}

/// A page of practices, newest change first, with the total.
pub async fn list(
    db: &Db,
    v: Option<&Visibility>,
    f: &PracticeFilter,
    page: i64,
) -> Result<(Vec<Practice>, i64), StoreError> {
    let mut count =
        Sql::new("SELECT COUNT(*) FROM practices p JOIN networks n ON n.id = p.network_id WHERE 1 = 1");
    restrict(&mut count, v);
    apply(f, &mut count);
    let total: i64 = count.query_scalar().fetch_one(&db.pool).await?;
    let mut sql = Sql::new(PRACTICE_SELECT);
    sql.push(" WHERE 1 = 1");
    restrict(&mut sql, v);
    apply(f, &mut sql);
    sql.push(&format!(
        " ORDER BY p.updated_at DESC, p.id DESC LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    ));
    Ok((sql.query_as().fetch_all(&db.pool).await?, total))
}

/// The areas practices are written in, for the list's filter.
pub async fn areas(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT area FROM practices WHERE area <> '' ORDER BY area")
            .fetch_all(&db.pool)
            .await?,
    )
}

/// The schools of a practice, by name.
pub async fn schools(db: &Db, id: PracticeId) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM practice_schools ps JOIN schools s ON s.id = ps.school_id
         WHERE ps.practice_id = $1 ORDER BY s.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// The authors of a practice, by name.
pub async fn authors(db: &Db, id: PracticeId) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT pe.id, pe.full_name AS name FROM practice_authors pa JOIN people pe ON pe.id = pa.person_id
         WHERE pa.practice_id = $1 ORDER BY pe.full_name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn author_ids(db: &Db, id: PracticeId) -> Result<Vec<PersonId>, StoreError> {
    Ok(sqlx::query_scalar("SELECT person_id FROM practice_authors WHERE practice_id = $1")
        .bind(id)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn attachments(db: &Db, id: PracticeId) -> Result<Vec<Attachment>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.file_name, a.content_type, a.size_bytes, pe.full_name AS uploaded_by_name, a.created_at
         FROM practice_attachments a JOIN people pe ON pe.id = a.uploaded_by WHERE a.practice_id = $1 ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Every move of the lifecycle, oldest first.
pub async fn transitions(db: &Db, id: PracticeId) -> Result<Vec<Transition>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.status_before, t.status_after, t.comment, pe.full_name AS changed_by_name, t.changed_at
         FROM practice_transitions t JOIN people pe ON pe.id = t.changed_by WHERE t.practice_id = $1 ORDER BY t.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// What the practice has, for the lifecycle's rules.
pub async fn completeness(
    conn: &mut AnyConnection,
    id: PracticeId,
) -> Result<Completeness, StoreError> {
    let (schools, authors, files): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM practice_schools WHERE practice_id = $1),
                (SELECT COUNT(*) FROM practice_authors WHERE practice_id = $1),
                (SELECT COUNT(*) FROM practice_attachments WHERE practice_id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let practice = load(conn, id).await?;
    let rubric = reviews::rubric_of(conn, &practice).await?;
    Ok(Completeness {
        schools: schools as usize,
        authors: authors as usize,
        files: files as usize,
        reviews: reviews::finished(conn, id).await? as usize,
        reviews_needed: rubric.reviews_needed as usize,
    })
}

/// People with a current role in the network ($1) or in one of its member
/// schools, on a date ($2).
const PEOPLE_OF_NETWORK: &str = "SELECT ms.person_id FROM memberships ms
    WHERE (ms.ends_on IS NULL OR ms.ends_on >= $2)
      AND (ms.network_id = $1 OR ms.school_id IN
           (SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL))";

/// The network's current member schools, by name: where its practices happen.
pub async fn school_choices(db: &Db, network: NetworkId) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM network_schools m JOIN schools s ON s.id = m.school_id
         WHERE m.network_id = $1 AND m.left_on IS NULL ORDER BY s.name",
    )
    .bind(network)
    .fetch_all(&db.pool)
    .await?)
}

/// The people of the network, by name: who may be an author.
pub async fn author_choices(db: &Db, network: NetworkId) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT pe.id, pe.full_name AS name FROM people pe WHERE pe.archived = 0 AND pe.id IN ({PEOPLE_OF_NETWORK})
         ORDER BY pe.full_name, pe.id"
    ))
    .bind(network)
    .bind(today())
    .fetch_all(&db.pool)
    .await?)
}

/// The networks where the person documents practices: the ones they
/// coordinate and those of their schools (every one, for administrators).
pub async fn networks_for(db: &Db, p: &Principal) -> Result<Vec<Named>, StoreError> {
    let mut sql = Sql::new("SELECT n.id, n.name FROM networks n WHERE n.archived = 0");
    if !p.is_admin {
        let coordinated: Vec<i64> = p.network_ids().iter().map(|n| n.0).collect();
        let schools: Vec<i64> = p.school_ids().iter().map(|s| s.0).collect();
        sql.push(" AND (n.id IN ").int_list(&coordinated);
        sql.push(" OR n.id IN (SELECT network_id FROM network_schools WHERE left_on IS NULL AND school_id IN ")
            .int_list(&schools)
            .push("))");
    }
    sql.push(" ORDER BY n.name");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// Are the schools members of the network and the authors people of it?
/// (`create`'s check; the demo's too, inside its transaction.)
pub async fn check_links(
    conn: &mut AnyConnection,
    network: NetworkId,
    new: &NewPractice,
) -> Result<(), AppError> {
    for school in &new.school_ids {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM network_schools WHERE network_id = $1 AND school_id = $2 AND left_on IS NULL",
        )
        .bind(network)
        .bind(school)
        .fetch_one(&mut *conn)
        .await?;
        if n == 0 {
            return Err(AppError::field("school_ids", "practices-elija-escuelas-red"));
        }
    }
    for person in &new.author_ids {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM people pe WHERE pe.id = $3 AND pe.archived = 0 AND pe.id IN ({PEOPLE_OF_NETWORK})"
        ))
        .bind(network)
        .bind(today())
        .bind(person)
        .fetch_one(&mut *conn)
        .await?;
        if n == 0 {
            return Err(AppError::field("author_ids", "practices-elija-autores-participen-red"));
        }
    }
    Ok(())
}

/// Documents a new practice of a network, identified (page, API and demo):
/// anyone of the network; its schools are member schools, its authors
/// people of the network.
pub async fn create(db: &Db, p: &Principal, input: &PracticeInput) -> Result<PracticeId, AppError> {
    let network_id = input.network_id.trim().parse::<i64>().map(NetworkId);
    let new = input.parse();
    let Ok(network_id) = network_id else {
        let mut errors = new.err().unwrap_or_default();
        errors.insert("network_id".into(), "practices-elija-red".into());
        return Err(AppError::Validation(errors));
    };
    let network = match crate::networks::store::get(db, network_id).await {
        Ok(n) => n,
        Err(StoreError::NotFound) => return Err(AppError::field("network_id", "practices-elija-red")),
        Err(e) => return Err(e.into()),
    };
    let members: Vec<SchoolId> = school_choices(db, network.id)
        .await?
        .iter()
        .map(|s| SchoolId(s.id))
        .collect();
    if !p.can_create_practice(&network.policy(), &members) {
        return Err(AppError::Denied(
            "practices-solo-coordinacion-personas-escuelas-red-documentan"
                .into(),
        ));
    }
    let new = new.map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, network.id, &new).await?;
    let id = insert(&mut tx, &network, &new, p.person_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a checked practice, identified, with its schools and authors
/// (`create`'s write; the demo calls it inside its own transaction).
pub async fn insert(
    conn: &mut AnyConnection,
    network: &Network,
    new: &NewPractice,
    by: PersonId,
) -> Result<PracticeId, StoreError> {
    let at = now();
    let id: PracticeId = sqlx::query_scalar(
        "INSERT INTO practices (network_id, country, region, province, title, stage, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'identified', $7, $8, $8) RETURNING id",
    )
    .bind(network.id)
    .bind(network.country.code())
    .bind(&network.region)
    .bind(&network.province)
    .bind(&new.title)
    .bind(new.stage)
    .bind(by)
    .bind(&at)
    .fetch_one(&mut *conn)
    .await?;
    update(conn, id, new).await?;
    Ok(id)
}

/// Writes the text, schools and authors of a practice, and tells the index.
async fn update(conn: &mut AnyConnection, id: PracticeId, new: &NewPractice) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE practices SET title = $1, level = $2, area = $3, context = $4, problem = $5, objective = $6,
            steps = $7, results = $8, learnings = $9, pei_link = $10, plan_link = $11, policy_link = $12,
            tags = $13, stage = $14, updated_at = $15 WHERE id = $16",
    )
    .bind(&new.title)
    .bind(&new.level)
    .bind(&new.area)
    .bind(&new.context)
    .bind(&new.problem)
    .bind(&new.objective)
    .bind(&new.steps)
    .bind(&new.results)
    .bind(&new.learnings)
    .bind(&new.pei_link)
    .bind(&new.plan_link)
    .bind(&new.policy_link)
    .bind(&new.tags)
    .bind(new.stage)
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for table in ["practice_schools", "practice_authors"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE practice_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for school in &new.school_ids {
        sqlx::query("INSERT INTO practice_schools (practice_id, school_id) VALUES ($1, $2)")
            .bind(id)
            .bind(school)
            .execute(&mut *conn)
            .await?;
    }
    for person in &new.author_ids {
        sqlx::query("INSERT INTO practice_authors (practice_id, person_id) VALUES ($1, $2)")
            .bind(id)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    changed(conn, id).await
}

/// Changes the record of a practice not yet sent to review (page, API).
pub async fn edit(db: &Db, p: &Principal, id: PracticeId, input: &PracticeInput) -> Result<(), AppError> {
    let (practice, _) = editable(db, p, id).await?;
    let new = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, practice.network_id, &new).await?;
    update(&mut tx, id, &new).await?;
    tx.commit().await?;
    Ok(())
}

/// Attaches a file of evidence (checked like a meeting's documents: size,
/// type by content, sanitised name) to a practice not yet under review.
pub async fn upload(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    name: &str,
    data: &[u8],
) -> Result<PracticeFileId, AppError> {
    editable(db, p, id).await?;
    let (file_name, content_type) = crate::meetings::store::documents::check(name, data)?;
    let mut tx = db.write().await?;
    let file = insert_file(&mut tx, id, &file_name, content_type, data, p.person_id).await?;
    tx.commit().await?;
    Ok(file)
}

/// Writes a checked file (`upload`'s write; the demo's too).
pub async fn insert_file(
    conn: &mut AnyConnection,
    id: PracticeId,
    file_name: &str,
    content_type: &str,
    data: &[u8],
    by: PersonId,
) -> Result<PracticeFileId, StoreError> {
    let file = sqlx::query_scalar(
        "INSERT INTO practice_attachments (practice_id, file_name, content_type, size_bytes, content, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(file_name)
    .bind(content_type)
    .bind(data.len() as i64)
    .bind(data.to_vec())
    .bind(by)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    changed(conn, id).await?;
    Ok(file)
}

/// A file's name, type and content, for whoever reads the practice.
pub async fn download(
    db: &Db,
    p: Option<&Principal>,
    id: PracticeId,
    file: PracticeFileId,
) -> Result<(String, String, Vec<u8>), AppError> {
    viewable(db, p, id).await?;
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT file_name, content_type, content FROM practice_attachments WHERE id = $1 AND practice_id = $2",
    )
    .bind(file)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// Removes a file of a practice not yet under review.
pub async fn remove_file(db: &Db, p: &Principal, id: PracticeId, file: PracticeFileId) -> Result<(), AppError> {
    editable(db, p, id).await?;
    let mut tx = db.write().await?;
    let done = sqlx::query("DELETE FROM practice_attachments WHERE id = $1 AND practice_id = $2")
        .bind(file)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    changed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a practice one step of its lifecycle (page, API and demo): only a
/// move that follows from its status, by the people of that step
/// (`Principal::can_move_practice`), and only when it has what the next
/// status needs (otherwise the list of what is missing, under `to`).
/// Sending back from review needs a comment.
pub async fn transition(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    input: &TransitionInput,
) -> Result<PracticeStatus, AppError> {
    let (practice, network) = viewable(db, Some(p), id).await?;
    let (to, comment) = input.parse().map_err(AppError::Validation)?;
    let Some((_, step)) = practice.status.moves().into_iter().find(|(s, _)| *s == to) else {
        return Err(AppError::Conflict(crate::text::message("practices-practica-no-pasa", &[("arg1", &practice.status.label()), ("arg2", &to.label())])));
    };
    let authors = author_ids(db, id).await?;
    if !p.can_move_practice(&network.policy(), &authors, step) {
        return Err(AppError::Denied(super::model::refusal(step).into()));
    }
    let going_back = to < practice.status;
    if going_back && comment.is_empty() {
        return Err(AppError::field("comment", "practices-diga-falta-para-volver-revision"));
    }
    let mut tx = db.write().await?;
    if !going_back {
        let lacks = missing(&practice, completeness(&mut tx, id).await?, to);
        if !lacks.is_empty() {
            return Err(AppError::field(
                "to",
                crate::text::message("practices-para-pasar-falta", &[("arg1", &to.label()), ("arg2", &crate::text::list(&lacks))]),
            ));
        }
    }
    move_to(&mut tx, &practice, to, &comment, p.person_id).await?;
    tx.commit().await?;
    Ok(to)
}

/// Writes a move and its line of history (`transition`'s write; the
/// demo's and a replication's too).
pub async fn move_to(
    conn: &mut AnyConnection,
    practice: &Practice,
    to: PracticeStatus,
    comment: &str,
    by: PersonId,
) -> Result<(), StoreError> {
    let at = now();
    sqlx::query(
        "UPDATE practices SET status = $1, updated_at = $2,
            published_at = CASE WHEN $3 = 1 THEN COALESCE(published_at, $2) ELSE published_at END WHERE id = $4",
    )
    .bind(to)
    .bind(&at)
    .bind(i64::from(to == PracticeStatus::Published))
    .bind(practice.id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO practice_transitions (practice_id, status_before, status_after, comment, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(practice.id)
    .bind(practice.status)
    .bind(to)
    .bind(comment)
    .bind(by)
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    changed(conn, practice.id).await
}

/// Every write of a practice ends here, inside its transaction: its
/// search entry is queued for rewriting, so the index hears of exactly the
/// committed changes (`practices::search` drains the queue before a search).
async fn changed(conn: &mut AnyConnection, id: PracticeId) -> Result<(), StoreError> {
    search::enqueue(conn, id).await
}
