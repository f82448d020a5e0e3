//! Every query of encounter plans, and the writes: planning a
//! municipality or a supervision zone, moving a school, approving (each
//! parse → policy → store).

use redes_planner::Plan;
use sqlx::AnyConnection;

use super::model::{PlanStatus, StoredPlan};
use crate::auth::policy::{Principal, Table, Territory, Visibility};
use crate::country::Country;
use crate::db::{now, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{PersonId, PlanId};
use crate::schools::model::{School, SCHOOL_COLUMNS};
use crate::sql::Sql;

const COLUMNS: &str =
    "id, country, region, province, zone, status, plan_json, derived_sizes, created_at, approved_at, updated_at";

async fn insert(
    conn: &mut AnyConnection,
    t: Territory<'_>,
    plan: &Plan,
    derived: bool,
    person_id: PersonId,
) -> Result<PlanId, StoreError> {
    let json = serde_json::to_string(plan).map_err(|e| StoreError::Internal(e.into()))?;
    let at = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO encounter_plans (country, region, province, zone, status, plan_json, derived_sizes, created_by, created_at, updated_at)
         VALUES ($7, $1, $2, $8, 'draft', $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(t.region)
    .bind(t.province)
    .bind(json)
    .bind(derived as i64)
    .bind(person_id)
    .bind(at)
    .bind(t.country)
    .bind(t.zone)
    .fetch_one(&mut *conn)
    .await?)
}

const ALREADY_APPROVED: &str = "encounters-plan-ya-fue-aprobado-no-puede";
const NOTHING_TO_APPROVE: &str = "encounters-plan-ya-estaba-aprobado-no-hay";

pub async fn get(db: &Db, id: PlanId) -> Result<StoredPlan, StoreError> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, id).await
}

/// A plan read on a given connection: inside a transaction (the demo's)
/// it sees what that transaction wrote.
pub async fn load(conn: &mut AnyConnection, id: PlanId) -> Result<StoredPlan, StoreError> {
    sqlx::query_as::<_, StoredPlan>(&format!(
        "SELECT {COLUMNS} FROM encounter_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)
}

/// The plan, when the person may plan encounters in its territory: the one
/// way a handler gets a plan.
pub async fn accessible(db: &Db, p: &Principal, id: PlanId) -> Result<StoredPlan, AppError> {
    allowed(p, get(db, id).await?)
}

/// The plan, when the person may plan encounters in its territory.
fn allowed(p: &Principal, stored: StoredPlan) -> Result<StoredPlan, AppError> {
    if !p.can_plan_encounters(stored.territory()) {
        return Err(AppError::Forbidden);
    }
    Ok(stored)
}

/// The latest 200 plans of the territories the person plans in.
pub async fn list(db: &Db, v: &Visibility) -> Result<Vec<StoredPlan>, StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM encounter_plans e WHERE 1 = 1",
        crate::sql::prefixed(COLUMNS, "e")
    ));
    v.restrict(&mut sql, &Table::ENCOUNTER_PLANS, "e");
    sql.push(" ORDER BY e.id DESC LIMIT 200");
    Ok(sql.query_as::<StoredPlan>().fetch_all(&db.pool).await?)
}

/// The active Mexican schools of a municipality that the person sees.
async fn municipality_schools(
    db: &Db,
    v: &Visibility,
    region: &str,
    province: &str,
) -> Result<Vec<School>, StoreError> {
    let columns = crate::sql::prefixed(SCHOOL_COLUMNS, "s");
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM schools s WHERE s.country = 'mx' AND s.archived = 0 AND s.region = "
    ));
    sql.text(region).push(" AND s.province = ").text(province);
    v.restrict(&mut sql, &Table::SCHOOLS, "s");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// Plans a municipality ("state|municipality" as the form sends it) for a
/// person who plans encounters there, and stores the draft.
pub async fn plan_municipality(db: &Db, p: &Principal, place: &str) -> Result<PlanId, AppError> {
    let Some((region, province)) = place.split_once('|') else {
        return Err(AppError::field("place", "encounters-elija-municipio"));
    };
    let territory = Territory {
        country: Country::Mx,
        region,
        province,
        zone: "",
    };
    if !p.can_plan_encounters(territory) {
        return Err(AppError::Forbidden);
    }
    let rows = municipality_schools(db, &p.visibility(), region, province).await?;
    let (plan, derived) = run_planner(
        &rows,
        "place",
        "encounters-no-hay-escuelas-educacion-basica-ese",
    )?;
    let mut w = db.write().await?;
    let id = insert(&mut w, territory, &plan, derived, p.person_id).await?;
    w.commit().await?;
    Ok(id)
}

/// Plans the schools; `derived` says the CTE sizes were made up.
fn run_planner(rows: &[School], field: &str, empty: &str) -> Result<(Plan, bool), AppError> {
    let input = super::input::from_registry(rows);
    if input.schools.is_empty() {
        return Err(AppError::field(field, empty));
    }
    let plan = redes_planner::plan(input.schools, &redes_planner::Options::default())
        .map_err(|e| AppError::BadRequest(crate::text::message("encounters-no-pudo-planificar", &[("e", &e)])))?;
    Ok((plan, input.derived))
}

/// Where a zone's schools are: `(state, municipality, schools)`, each
/// place empty when its schools are in more than one.
async fn zone_extent(
    conn: &mut AnyConnection,
    zone: &str,
) -> Result<(String, String, i64), StoreError> {
    let (min_region, max_region, min_province, max_province, count): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
    ) = sqlx::query_as(
        "SELECT MIN(region), MAX(region), MIN(province), MAX(province), COUNT(*) FROM schools
         WHERE country = 'mx' AND archived = 0 AND supervision_zone = $1",
    )
    .bind(zone)
    .fetch_one(&mut *conn)
    .await?;
    let (region, province) = one_place(min_region, max_region, min_province, max_province);
    Ok((region, province, count))
}

/// The state and municipality of a zone from the least and greatest of
/// its schools' (SQL `MIN`, `MAX`): each empty when they differ. A
/// municipality is named only within one state.
fn one_place(
    min_region: Option<String>,
    max_region: Option<String>,
    min_province: Option<String>,
    max_province: Option<String>,
) -> (String, String) {
    let one = |min: Option<String>, max: Option<String>| match (min, max) {
        (Some(a), Some(b)) if a == b => a,
        _ => String::new(),
    };
    let region = one(min_region, max_region);
    let province = if region.is_empty() {
        String::new()
    } else {
        one(min_province, max_province)
    };
    (region, province)
}

/// The schools of a zone and every school of the localities where the zone
/// has a school; `input::zone_selection` keeps the other levels. Not
/// limited to what the person lists: planning a zone brings in the
/// neighbouring schools of other levels and names their zones, so that the
/// supervisors of every level agree the plan together (seed 003).
async fn zone_and_locality_schools(
    conn: &mut AnyConnection,
    zone: &str,
) -> Result<Vec<School>, StoreError> {
    let columns = crate::sql::prefixed(SCHOOL_COLUMNS, "s");
    Ok(sqlx::query_as(&format!(
        "SELECT {columns} FROM schools s WHERE s.country = 'mx' AND s.archived = 0
           AND (s.supervision_zone = $1 OR EXISTS (
             SELECT 1 FROM schools z WHERE z.country = 'mx' AND z.archived = 0 AND z.supervision_zone = $1
               AND z.commune <> '' AND z.region = s.region AND z.province = s.province AND z.commune = s.commune))
         ORDER BY s.official_code"
    ))
    .bind(zone)
    .fetch_all(&mut *conn)
    .await?)
}

/// Plans a supervision zone (its schools plus the other-level schools of
/// the same localities) for a person who plans encounters there, and
/// stores the draft.
pub async fn plan_zone(db: &Db, p: &Principal, zone: &str) -> Result<PlanId, AppError> {
    let mut w = db.write().await?;
    let id = plan_zone_in(&mut w, p, zone).await?;
    w.commit().await?;
    Ok(id)
}

/// `plan_zone` inside a transaction the caller opened and commits (the
/// demo's, which also wrote the zone's schools): reads, plans and stores on
/// that connection.
pub async fn plan_zone_in(
    conn: &mut AnyConnection,
    p: &Principal,
    zone: &str,
) -> Result<PlanId, AppError> {
    let zone = zone.trim().to_uppercase();
    if zone.is_empty() {
        return Err(AppError::field("zone", "encounters-elija-zona-supervision"));
    }
    let (region, province, count) = zone_extent(conn, &zone).await?;
    let territory = Territory {
        country: Country::Mx,
        region: &region,
        province: &province,
        zone: &zone,
    };
    if !p.can_plan_encounters(territory) {
        return Err(AppError::Forbidden);
    }
    if count == 0 {
        return Err(AppError::field(
            "zone",
            "encounters-no-hay-escuelas-esa-zona-supervision",
        ));
    }
    let rows = zone_and_locality_schools(conn, &zone).await?;
    let rows = super::input::zone_selection(rows, &zone);
    let (plan, derived) = run_planner(
        &rows,
        "zone",
        "encounters-no-hay-escuelas-educacion-basica-esa",
    )?;
    Ok(insert(conn, territory, &plan, derived, p.person_id).await?)
}

/// Moves a school to another cluster of a draft; the version read is the
/// one changed (never a silent overwrite).
pub async fn move_school(
    db: &Db,
    p: &Principal,
    id: PlanId,
    school: &str,
    cluster: usize,
) -> Result<(), AppError> {
    let stored = accessible(db, p, id).await?;
    if stored.approved() {
        return Err(AppError::Conflict(ALREADY_APPROVED.into()));
    }
    let mut plan = stored.plan()?;
    redes_planner::reassign(&mut plan, school, cluster)
        .map_err(|e| AppError::field("cluster", e.to_string()))?;
    Ok(save(db, id, &plan, &stored.updated_at).await?)
}

/// Approves a draft that breaks no rule.
pub async fn approve_plan(db: &Db, p: &Principal, id: PlanId) -> Result<(), AppError> {
    let mut w = db.write().await?;
    approve_plan_in(&mut w, p, id).await?;
    w.commit().await?;
    Ok(())
}

/// `approve_plan` inside a transaction the caller opened and commits (the
/// demo's, which also wrote the plan).
pub async fn approve_plan_in(
    conn: &mut AnyConnection,
    p: &Principal,
    id: PlanId,
) -> Result<(), AppError> {
    let stored = allowed(p, load(conn, id).await?)?;
    if stored.approved() {
        return Err(AppError::Conflict(NOTHING_TO_APPROVE.into()));
    }
    let violations = redes_planner::validate(&stored.plan()?);
    if !violations.is_empty() {
        return Err(AppError::BadRequest(crate::text::message("encounters-plan-tiene-incumplimientos-reglas-corrijalos-antes", &[("len", &violations.len())])));
    }
    Ok(approve_in(conn, id, p.person_id, &stored.updated_at).await?)
}

/// Saves an edited draft; an approved plan is never changed.
pub async fn save(db: &Db, id: PlanId, plan: &Plan, version: &str) -> Result<(), StoreError> {
    let json = serde_json::to_string(plan).map_err(|e| StoreError::Internal(e.into()))?;
    let mut w = db.write().await?;
    let done = sqlx::query("UPDATE encounter_plans SET plan_json = $1, updated_at = $2 WHERE id = $3 AND status = 'draft' AND updated_at = $4")
        .bind(json)
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *w)
        .await?;
    if done.rows_affected() == 0 {
        return Err(refusal(&mut w, id, ALREADY_APPROVED).await);
    }
    w.commit().await?;
    Ok(())
}

/// Approves a draft; a plan approved already (by someone else, or by a
/// second click) is a conflict, said as such.
pub async fn approve(
    db: &Db,
    id: PlanId,
    person_id: PersonId,
    version: &str,
) -> Result<(), StoreError> {
    let mut w = db.write().await?;
    approve_in(&mut w, id, person_id, version).await?;
    w.commit().await?;
    Ok(())
}

/// `approve`'s write, on the caller's transaction.
async fn approve_in(
    conn: &mut AnyConnection,
    id: PlanId,
    person_id: PersonId,
    version: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE encounter_plans SET status = 'approved', approved_by = $1, approved_at = $2, updated_at = $2 WHERE id = $3 AND status = 'draft' AND updated_at = $4")
        .bind(person_id)
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(refusal(conn, id, NOTHING_TO_APPROVE).await);
    }
    Ok(())
}

/// Municipalities with Mexican schools, for the "run a plan" menu.
pub async fn municipalities(
    db: &Db,
    v: &Visibility,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let mut sql = Sql::new("SELECT s.region, s.province, COUNT(*) FROM schools s WHERE s.country = 'mx' AND s.archived = 0");
    v.restrict(&mut sql, &Table::SCHOOLS, "s");
    sql.push(" GROUP BY s.region, s.province ORDER BY s.region, s.province");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// A supervision zone on the "run a plan" menu: where its schools are
/// (see `zone_extent`) and how many.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct ZoneRow {
    pub zone: String,
    pub region: String,
    pub province: String,
    pub schools: i64,
}

/// A zone, the least and greatest state and municipality of its schools,
/// and their number.
type ZoneExtentRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

/// The Mexican supervision zones with schools, for the "run a plan" menu;
/// the page keeps those the person may plan (`can_plan_encounters`).
pub async fn zones(db: &Db) -> Result<Vec<ZoneRow>, StoreError> {
    let rows: Vec<ZoneExtentRow> = sqlx::query_as(
        "SELECT supervision_zone, MIN(region), MAX(region), MIN(province), MAX(province), COUNT(*)
             FROM schools WHERE country = 'mx' AND archived = 0 AND supervision_zone <> ''
             GROUP BY supervision_zone ORDER BY supervision_zone",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(zone, r1, r2, p1, p2, schools)| {
            let (region, province) = one_place(r1, r2, p1, p2);
            ZoneRow {
                zone,
                region,
                province,
                schools,
            }
        })
        .collect())
}

/// Why a versioned change of a plan was refused: approved already, or
/// changed by someone else since it was read (never a silent overwrite).
async fn refusal(conn: &mut AnyConnection, id: PlanId, approved: &str) -> StoreError {
    let status: Result<Option<PlanStatus>, _> =
        sqlx::query_scalar("SELECT status FROM encounter_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await;
    match status {
        Ok(Some(PlanStatus::Approved)) => StoreError::Conflict(approved.into()),
        Ok(Some(_)) => StoreError::Conflict(
            "encounters-otra-persona-cambio-plan-mientras-tanto"
                .into(),
        ),
        Ok(None) => StoreError::NotFound,
        Err(e) => e.into(),
    }
}

/// The people who hold a role today at the plan's schools (directors,
/// technical heads, advisers, teachers), each school's in the order they
/// take its CTE seats (`view::names`): by role, then by name.
pub async fn school_people(
    db: &Db,
    country: Country,
    plan: &Plan,
) -> Result<Vec<super::view::KnownPerson>, StoreError> {
    if plan.schools.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT s.official_code, m.role, p.full_name
         FROM memberships m JOIN schools s ON s.id = m.school_id JOIN people p ON p.id = m.person_id
         WHERE m.scope_kind = 'school' AND p.archived = 0
           AND m.role IN ('director', 'technical_head', 'adviser', 'teacher') AND s.country = ",
    );
    let today = crate::db::today();
    sql.text(country.code())
        .push(" AND m.starts_on <= ")
        .text(today.clone())
        .push(" AND (m.ends_on IS NULL OR m.ends_on >= ")
        .text(today)
        .push(") AND s.official_code IN (");
    for (i, school) in plan.schools.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.text(school.code.clone());
    }
    sql.push(") ORDER BY s.official_code, m.role, p.full_name, p.id");
    let rows: Vec<(String, crate::auth::policy::Role, String)> =
        sql.query_as().fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(school_code, role, full_name)| super::view::KnownPerson {
            school_code,
            role,
            full_name,
        })
        .collect())
}
