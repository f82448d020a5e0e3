//! Replications (issue 12 item 4): the queries of a practice's replications
//! and graph, of what a school gave and took, and the one write: a school
//! records that it adopted a published practice (page, API and demo).

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use super::super::model::replications::{
    school_of, Graph, GraphSchool, NewReplication, Replication, ReplicationInput,
    REPLICATION_SELECT,
};
use super::super::model::{Named, PracticeStatus};
use super::{changed, load, move_to, viewable};
use crate::auth::policy::Principal;
use crate::db::{now, today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{NetworkId, PersonId, PracticeId, ReplicationId, SchoolId};

/// The replications of a practice, in the order they happened.
pub async fn list(db: &Db, id: PracticeId) -> Result<Vec<Replication>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{REPLICATION_SELECT} WHERE r.practice_id = $1 ORDER BY r.adopted_on, r.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn get(db: &Db, id: ReplicationId) -> Result<Replication, StoreError> {
    sqlx::query_as(&format!("{REPLICATION_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// What a school took: the practices it adopted, newest first.
pub async fn took(db: &Db, school: SchoolId) -> Result<Vec<Replication>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{REPLICATION_SELECT} WHERE r.school_id = $1 ORDER BY r.adopted_on DESC, r.id DESC"
    ))
    .bind(school)
    .fetch_all(&db.pool)
    .await?)
}

/// What a school gave: the adoptions of practices taken from it (its own,
/// or ones it had adopted and passed on), newest first.
pub async fn gave(db: &Db, school: SchoolId) -> Result<Vec<Replication>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{REPLICATION_SELECT} WHERE r.from_school_id = $1 ORDER BY r.adopted_on DESC, r.id DESC"
    ))
    .bind(school)
    .fetch_all(&db.pool)
    .await?)
}

/// The schools of a practice and every school that adopted it, with their
/// places and current networks.
async fn graph_schools(db: &Db, id: PracticeId) -> Result<Vec<GraphSchool>, StoreError> {
    const INVOLVED: &str = "(SELECT school_id FROM practice_schools WHERE practice_id = $1
        UNION SELECT school_id FROM practice_replications WHERE practice_id = $1)";
    let rows: Vec<(SchoolId, String, String, String)> = sqlx::query_as(&format!(
        "SELECT s.id, s.name, s.country, s.region FROM schools s WHERE s.id IN {INVOLVED} ORDER BY s.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let memberships: Vec<(SchoolId, String)> = sqlx::query_as(&format!(
        "SELECT m.school_id, n.name FROM network_schools m JOIN networks n ON n.id = m.network_id
         WHERE m.left_on IS NULL AND m.school_id IN {INVOLVED} ORDER BY n.name"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut networks: BTreeMap<SchoolId, Vec<String>> = BTreeMap::new();
    for (school, name) in memberships {
        networks.entry(school).or_default().push(name);
    }
    Ok(rows
        .into_iter()
        .map(|(id, name, country, region)| GraphSchool {
            networks: networks.remove(&id).unwrap_or_default().join(", "),
            id,
            name,
            country,
            region,
        })
        .collect())
}

/// The replication graph of a practice (the caller has checked that the
/// person may read it).
pub async fn graph(db: &Db, id: PracticeId) -> Result<Graph, StoreError> {
    let origins: Vec<SchoolId> = sqlx::query_scalar(
        "SELECT ps.school_id FROM practice_schools ps JOIN schools s ON s.id = ps.school_id
         WHERE ps.practice_id = $1 ORDER BY s.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let edges: Vec<(SchoolId, SchoolId, String)> = sqlx::query_as(
        "SELECT from_school_id, school_id, adopted_on FROM practice_replications
         WHERE practice_id = $1 ORDER BY adopted_on, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let schools = graph_schools(db, id).await?;
    Ok(Graph::build(&origins, &schools, &edges))
}

/// The schools a person may record a replication of the practice for:
/// theirs and the member schools of the networks they coordinate, less
/// the practice's own and those that already adopted it.
pub async fn school_choices(
    db: &Db,
    p: &Principal,
    id: PracticeId,
) -> Result<Vec<Named>, StoreError> {
    let mut sql = crate::sql::Sql::new("SELECT s.id, s.name FROM schools s WHERE s.archived = 0 AND (s.id IN ");
    let schools: Vec<i64> = p.school_ids().iter().map(|s| s.0).collect();
    let networks: Vec<i64> = p.network_ids().iter().map(|n| n.0).collect();
    sql.int_list(&schools)
        .push(" OR s.id IN (SELECT school_id FROM network_schools WHERE left_on IS NULL AND network_id IN ")
        .int_list(&networks)
        .push("))");
    sql.push(" AND s.id NOT IN (SELECT school_id FROM practice_schools WHERE practice_id = ")
        .int(id.0)
        .push(") AND s.id NOT IN (SELECT school_id FROM practice_replications WHERE practice_id = ")
        .int(id.0)
        .push(") ORDER BY s.name");
    let all: Vec<Named> = sql.query_as().fetch_all(&db.pool).await?;
    // Coordinated networks count only for their coordination role.
    let mut out = Vec::new();
    for school in all {
        let nets = school_networks(&mut *db.pool.acquire().await?, SchoolId(school.id)).await?;
        if p.can_record_replication(SchoolId(school.id), &nets) {
            out.push(school);
        }
    }
    Ok(out)
}

/// The schools a practice may be taken from: its own and those that
/// adopted it.
pub async fn from_choices(db: &Db, id: PracticeId) -> Result<Vec<Named>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM schools s WHERE s.id IN
           (SELECT school_id FROM practice_schools WHERE practice_id = $1
            UNION SELECT school_id FROM practice_replications WHERE practice_id = $1)
         ORDER BY s.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// The networks a school is a current member of (for `record`'s policy
/// and the demo's).
pub async fn school_networks(
    conn: &mut AnyConnection,
    school: SchoolId,
) -> Result<Vec<NetworkId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT network_id FROM network_schools WHERE school_id = $1 AND left_on IS NULL",
    )
    .bind(school)
    .fetch_all(&mut *conn)
    .await?)
}

/// A school records that it adopted a practice (page, API): the person
/// may read the practice (403/404), has a role in the school or
/// coordinates one of its networks (403), the practice is published (409),
/// the form is complete (422), the school is not one of the practice's
/// nor already recorded, and it took the practice from a school that
/// applies it (422). The first replication moves the practice to
/// «Replicada».
pub async fn record(
    db: &Db,
    p: &Principal,
    id: PracticeId,
    input: &ReplicationInput,
) -> Result<ReplicationId, AppError> {
    let (practice, _) = viewable(db, Some(p), id).await?;
    let school = school_of(input).map_err(AppError::Validation)?;
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools WHERE id = $1")
        .bind(school)
        .fetch_one(&db.pool)
        .await?;
    if exists == 0 {
        return Err(AppError::field("school_id", "practices-elija-escuela-adopta"));
    }
    let networks = school_networks(&mut *db.pool.acquire().await?, school).await?;
    if !p.can_record_replication(school, &networks) {
        return Err(AppError::Denied(
            "practices-solo-personas-escuela-coordinacion-red-registran"
                .into(),
        ));
    }
    if !practice.status.is_public() {
        return Err(AppError::Conflict(
            "practices-solo-practica-publicada-replica".into(),
        ));
    }
    let new = input.parse(&today()).map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let rid = insert(&mut tx, id, &new, p.person_id).await?;
    tx.commit().await?;
    Ok(rid)
}

/// Writes a checked replication of a public practice, after checking the
/// schools against the practice, and moves a published practice to
/// «Replicada» (`record`'s write; the demo's too).
pub async fn insert(
    conn: &mut AnyConnection,
    id: PracticeId,
    new: &NewReplication,
    by: PersonId,
) -> Result<ReplicationId, AppError> {
    let count = |sql: &'static str, school: SchoolId| {
        sqlx::query_scalar::<_, i64>(sql).bind(id).bind(school)
    };
    let own = "SELECT COUNT(*) FROM practice_schools WHERE practice_id = $1 AND school_id = $2";
    let adopted = "SELECT COUNT(*) FROM practice_replications WHERE practice_id = $1 AND school_id = $2";
    if count(own, new.school_id).fetch_one(&mut *conn).await? > 0 {
        return Err(AppError::field(
            "school_id",
            "practices-esta-escuela-es-documentaron-practica",
        ));
    }
    if count(adopted, new.school_id).fetch_one(&mut *conn).await? > 0 {
        return Err(AppError::field(
            "school_id",
            "practices-esta-escuela-ya-registro-adopto-practica",
        ));
    }
    let from_applies = count(own, new.from_school_id).fetch_one(&mut *conn).await?
        + count(adopted, new.from_school_id).fetch_one(&mut *conn).await?;
    if from_applies == 0 {
        return Err(AppError::field(
            "from_school_id",
            "practices-elija-escuela-ya-aplica-practica-suyas",
        ));
    }
    let practice = load(conn, id).await?;
    if !practice.status.is_public() {
        return Err(AppError::Conflict(
            "practices-solo-practica-publicada-replica".into(),
        ));
    }
    let rid: ReplicationId = sqlx::query_scalar(
        "INSERT INTO practice_replications (practice_id, school_id, from_school_id, adopted_on, adaptation, outcome, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id)
    .bind(new.school_id)
    .bind(new.from_school_id)
    .bind(&new.adopted_on)
    .bind(&new.adaptation)
    .bind(&new.outcome)
    .bind(by)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    if practice.status == PracticeStatus::Published {
        let name: String = sqlx::query_scalar("SELECT name FROM schools WHERE id = $1")
            .bind(new.school_id)
            .fetch_one(&mut *conn)
            .await?;
        move_to(conn, &practice, PracticeStatus::Replicated, &format!("Primera réplica: {name}"), by).await?;
    } else {
        changed(conn, id).await?;
    }
    Ok(rid)
}
