//! Every query of calls, and issuing one (the one write, parse → policy
//! → store).

use super::model::{Call, CallInput, NewCall};
use crate::auth::policy::{CallAudience, Principal};
use crate::db::{now, Db};
use crate::error::{AppError, StoreError};
use crate::ids::CallId;
use crate::sql::Sql;

/// The latest calls that concern the audience's territory.
pub async fn list(db: &Db, a: &CallAudience) -> Result<Vec<Call>, StoreError> {
    let mut sql = Sql::new(
        "SELECT c.id, c.country, c.region, c.title, c.body, p.full_name AS author, c.created_at
         FROM calls c JOIN people p ON p.id = c.created_by WHERE 1 = 1",
    );
    if !a.all {
        sql.push(" AND (1 = 0");
        for country in &a.countries {
            sql.push(" OR c.country = ").text(country.code());
        }
        for (country, region) in &a.regions {
            // The region's own calls and the national calls of its country.
            sql.push(" OR (c.country = ")
                .text(country.code())
                .push(" AND (c.region = '' OR c.region = ")
                .text(region.clone())
                .push("))");
        }
        sql.push(")");
    }
    sql.push(" ORDER BY c.created_at DESC LIMIT 100");
    Ok(sql.query_as::<Call>().fetch_all(&db.pool).await?)
}

/// Issues a call: only ministries and secretariats, in their territory.
pub async fn issue(db: &Db, p: &Principal, input: &CallInput) -> Result<CallId, AppError> {
    // Checked before looking at the content: a network role is refused
    // whatever it sends.
    if !p.may_issue_calls() {
        return Err(AppError::Forbidden);
    }
    let call = input.parse(p.person_id).map_err(AppError::Validation)?;
    if !p.can_issue_call(call.country, &call.region) {
        return Err(AppError::Denied(if call.region.is_empty() {
            "Solo el ministerio emite convocatorias nacionales; indique su región.".into()
        } else {
            "No puede emitir convocatorias en ese territorio.".into()
        }));
    }
    Ok(insert(db, &call).await?)
}

async fn insert(db: &Db, c: &NewCall) -> Result<CallId, StoreError> {
    let mut w = db.write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO calls (country, region, title, body, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(c.country)
    .bind(&c.region)
    .bind(&c.title)
    .bind(&c.body)
    .bind(c.created_by)
    .bind(now())
    .fetch_one(&mut *w)
    .await?;
    w.commit().await?;
    Ok(id)
}
