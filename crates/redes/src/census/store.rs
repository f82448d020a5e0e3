//! The one query of the census.

use super::model::CensusCell;
use crate::db::Db;
use crate::error::StoreError;

/// Active networks per year and region (not restricted: the census is
/// public aggregate data, see `Principal::can_view_census`). The same for
/// everyone, so remembered until the next write (`Db::remember`).
pub async fn cells(db: &Db) -> Result<Vec<CensusCell>, StoreError> {
    db.remember("census:cells".into(), || load_cells(db)).await
}

async fn load_cells(db: &Db) -> Result<Vec<CensusCell>, StoreError> {
    Ok(sqlx::query_as::<_, CensusCell>(
        "SELECT n.country, n.region, y.year, COUNT(*) AS active, CAST(SUM(n.synthetic) AS BIGINT) AS synthetic
         FROM network_years y JOIN networks n ON n.id = y.network_id
         WHERE y.active = 1
         GROUP BY n.country, n.region, y.year ORDER BY n.country, n.region, y.year",
    )
    .fetch_all(&db.pool)
    .await?)
}
