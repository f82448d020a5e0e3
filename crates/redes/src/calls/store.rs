//! Calls' queries.

use serde::Serialize;

use crate::auth::policy::CallAudience;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::sql::Sql;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub country: String,
    pub region: String,
    pub title: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// The latest calls that concern the audience's territory.
pub async fn list(db: &Db, a: &CallAudience) -> Result<Vec<Call>, AppError> {
    let mut sql = Sql::new(
        "SELECT c.id, c.country, c.region, c.title, c.body, p.full_name AS author, c.created_at
         FROM calls c JOIN people p ON p.id = c.created_by WHERE 1 = 1",
    );
    if !a.all {
        sql.push(" AND (1 = 0");
        for country in &a.countries {
            sql.push(" OR c.country = ").text(country.clone());
        }
        for (country, region) in &a.regions {
            // The region's own calls and the national calls of its country.
            sql.push(" OR (c.country = ")
                .text(country.clone())
                .push(" AND (c.region = '' OR c.region = ")
                .text(region.clone())
                .push("))");
        }
        sql.push(")");
    }
    sql.push(" ORDER BY c.created_at DESC LIMIT 100");
    Ok(sql.query_as::<Call>().fetch_all(&db.pool).await?)
}

pub struct NewCall<'a> {
    pub country: &'a str,
    pub region: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub created_by: i64,
}

pub async fn insert(db: &Db, c: &NewCall<'_>) -> Result<i64, AppError> {
    let mut w = db.write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO calls (country, region, title, body, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(c.country)
    .bind(c.region)
    .bind(c.title)
    .bind(c.body)
    .bind(c.created_by)
    .bind(now())
    .fetch_one(&mut *w)
    .await?;
    w.commit().await?;
    Ok(id)
}
