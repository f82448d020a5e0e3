//! The one query of the census.

use super::model::CensusCell;
use crate::country::Country;
use crate::db::Db;
use crate::error::StoreError;

/// Active networks of one country per year and region (not restricted:
/// the census is public aggregate data, see `Principal::can_view_census`).
/// One country at a time: each publishes its own figures, and a total
/// across countries adds networks no ministry counts together. The same
/// for everyone, so remembered per country until the next write
/// (`Db::remember`).
pub async fn cells(db: &Db, country: Country) -> Result<Vec<CensusCell>, StoreError> {
    db.remember(format!("census:cells:{country}"), || {
        load_cells(db, country)
    })
    .await
}

async fn load_cells(db: &Db, country: Country) -> Result<Vec<CensusCell>, StoreError> {
    Ok(sqlx::query_as::<_, CensusCell>(
        "SELECT n.country, n.region, y.year, COUNT(*) AS active, CAST(SUM(n.synthetic) AS BIGINT) AS synthetic
         FROM network_years y JOIN networks n ON n.id = y.network_id
         WHERE y.active = 1 AND n.country = $1
         GROUP BY n.country, n.region, y.year ORDER BY n.country, n.region, y.year",
    )
    .bind(country)
    .fetch_all(&db.pool)
    .await?)
}
