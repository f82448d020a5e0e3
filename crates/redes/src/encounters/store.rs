//! Encounter plans are stored as the planner's JSON document, which is
//! self-contained (input schools, options, clusters, exceptions).

use redes_planner::Plan;

use crate::db::{now, Db};
use crate::error::AppError;

#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct StoredPlan {
    pub id: i64,
    pub country: String,
    pub region: String,
    pub province: String,
    pub status: String,
    pub plan_json: String,
    pub derived_sizes: i64,
    pub created_at: String,
    pub approved_at: Option<String>,
    /// The version a change is based on: a save or approval of an older
    /// version is refused (someone else changed the plan meanwhile).
    pub updated_at: String,
}

impl StoredPlan {
    pub fn plan(&self) -> Result<Plan, AppError> {
        serde_json::from_str(&self.plan_json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan {}: {e}", self.id)))
    }

    pub fn approved(&self) -> bool {
        self.status == "approved"
    }
}

const COLUMNS: &str =
    "id, country, region, province, status, plan_json, derived_sizes, created_at, approved_at, updated_at";

pub async fn insert(
    db: &Db,
    region: &str,
    province: &str,
    plan: &Plan,
    derived: bool,
    person_id: i64,
) -> Result<i64, AppError> {
    let json = serde_json::to_string(plan).map_err(|e| AppError::Internal(e.into()))?;
    let at = now();
    let mut w = db.write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO encounter_plans (country, region, province, status, plan_json, derived_sizes, created_by, created_at, updated_at)
         VALUES ('mx', $1, $2, 'draft', $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(region)
    .bind(province)
    .bind(json)
    .bind(derived as i64)
    .bind(person_id)
    .bind(at)
    .fetch_one(&mut *w)
    .await?;
    w.commit().await?;
    Ok(id)
}

const ALREADY_APPROVED: &str = "El plan ya fue aprobado y no se puede modificar.";

pub async fn get(db: &Db, id: i64) -> Result<StoredPlan, AppError> {
    sqlx::query_as::<_, StoredPlan>(&format!(
        "SELECT {COLUMNS} FROM encounter_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn list(db: &Db) -> Result<Vec<StoredPlan>, AppError> {
    Ok(sqlx::query_as::<_, StoredPlan>(&format!(
        "SELECT {COLUMNS} FROM encounter_plans ORDER BY id DESC LIMIT 200"
    ))
    .fetch_all(&db.pool)
    .await?)
}

/// Saves an edited draft; an approved plan is never changed.
pub async fn save(db: &Db, id: i64, plan: &Plan, version: &str) -> Result<(), AppError> {
    let json = serde_json::to_string(plan).map_err(|e| AppError::Internal(e.into()))?;
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
pub async fn approve(db: &Db, id: i64, person_id: i64, version: &str) -> Result<(), AppError> {
    let mut w = db.write().await?;
    let done = sqlx::query("UPDATE encounter_plans SET status = 'approved', approved_by = $1, approved_at = $2, updated_at = $2 WHERE id = $3 AND status = 'draft' AND updated_at = $4")
        .bind(person_id)
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *w)
        .await?;
    if done.rows_affected() == 0 {
        return Err(refusal(
            &mut w,
            id,
            "El plan ya estaba aprobado; no hay nada más que aprobar.",
        )
        .await);
    }
    w.commit().await?;
    Ok(())
}

/// Municipalities with Mexican schools, for the "run a plan" menu.
pub async fn municipalities(
    db: &Db,
    v: &crate::auth::policy::Visibility,
) -> Result<Vec<(String, String, i64)>, AppError> {
    let mut sql = crate::sql::Sql::new("SELECT s.region, s.province, COUNT(*) FROM schools s WHERE s.country = 'mx' AND s.archived = 0");
    crate::sql::restrict_schools(&mut sql, v, "s");
    sql.push(" GROUP BY s.region, s.province ORDER BY s.region, s.province");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// Why a versioned change of a plan was refused: approved already, or
/// changed by someone else since it was read (never a silent overwrite).
async fn refusal(conn: &mut sqlx::AnyConnection, id: i64, approved: &str) -> AppError {
    let status: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT status FROM encounter_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await;
    match status {
        Ok(Some(s)) if s == "approved" => AppError::Conflict(approved.into()),
        Ok(Some(_)) => AppError::Conflict(
            "Otra persona cambió el plan mientras tanto; recargue la página y vuelva a intentarlo."
                .into(),
        ),
        Ok(None) => AppError::NotFound,
        Err(e) => e.into(),
    }
}
