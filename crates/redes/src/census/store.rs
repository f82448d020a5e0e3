//! The one query of the census.

use super::model::{CensusCell, TerritoryFigures};
use crate::auth::policy::Scope;
use crate::country::Country;
use crate::db::Db;
use crate::error::StoreError;
use crate::sql::Sql;

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

/// The key figures of a territory a person oversees (a country, region,
/// province or supervision zone), for their home page: its operating
/// schools, how many of them are in a network today, its networks and how
/// many were active in the latest year recorded. `None` for a scope that
/// is not a territory (a network, a school). Remembered like the cells.
pub async fn territory(db: &Db, scope: &Scope) -> Result<Option<TerritoryFigures>, StoreError> {
    let Some((schools_where, networks_where)) = territory_conditions(scope) else {
        return Ok(None);
    };
    db.remember(format!("census:territory:{scope:?}"), || async {
        let count = |from: &str, condition: &(String, Vec<String>)| {
            let mut sql = Sql::new(from);
            push_condition(&mut sql, condition);
            sql
        };
        let schools = count("SELECT COUNT(*) FROM schools s WHERE s.archived = 0 AND s.operating = 1 AND ", &schools_where);
        let mut in_networks = count("SELECT COUNT(*) FROM schools s WHERE s.archived = 0 AND s.operating = 1 AND ", &schools_where);
        in_networks.push(" AND s.id IN (SELECT school_id FROM network_schools WHERE left_on IS NULL)");
        let networks = count("SELECT COUNT(*) FROM networks n WHERE n.archived = 0 AND n.synthetic = 0 AND ", &networks_where);
        let mut active = count(
            "SELECT y.year, COUNT(*) FROM network_years y JOIN networks n ON n.id = y.network_id
             WHERE y.active = 1 AND n.synthetic = 0 AND ",
            &networks_where,
        );
        active.push(" GROUP BY y.year ORDER BY y.year DESC LIMIT 1");
        let latest: Option<(i64, i64)> = active.query_as().fetch_optional(&db.pool).await?;
        let (level, territory) = scope_label(scope);
        Ok(Some(TerritoryFigures {
            level,
            territory,
            schools: schools.query_scalar().fetch_one(&db.pool).await?,
            schools_in_networks: in_networks.query_scalar().fetch_one(&db.pool).await?,
            networks: networks.query_scalar().fetch_one(&db.pool).await?,
            year: latest.map(|(year, _)| year),
            active_networks: latest.map_or(0, |(_, n)| n),
        }))
    })
    .await
}

/// A condition as SQL text with `?` for each value, in order.
type Condition = (String, Vec<String>);

/// Where a territory's schools (`s`) and networks (`n`) are.
fn territory_conditions(scope: &Scope) -> Option<(Condition, Condition)> {
    let both = |column: &str, country: Country, value: &str| {
        (
            (format!("s.country = ? AND s.{column} = ?"), vec![country.code().to_string(), value.to_string()]),
            (format!("n.country = ? AND n.{column} = ?"), vec![country.code().to_string(), value.to_string()]),
        )
    };
    Some(match scope {
        Scope::National { country } => (
            ("s.country = ?".into(), vec![country.code().into()]),
            ("n.country = ?".into(), vec![country.code().into()]),
        ),
        Scope::Region { country, region } => both("region", *country, region),
        Scope::Province { country, province } => both("province", *country, province),
        // A zone has no networks of its own: those with a member school in it.
        Scope::Zone { country, zone } => (
            ("s.country = ? AND s.supervision_zone = ?".into(), vec![country.code().into(), zone.clone()]),
            (
                "n.id IN (SELECT m.network_id FROM network_schools m JOIN schools z ON z.id = m.school_id
                          WHERE m.left_on IS NULL AND z.country = ? AND z.supervision_zone = ?)"
                    .into(),
                vec![country.code().into(), zone.clone()],
            ),
        ),
        Scope::Network { .. } | Scope::School { .. } => return None,
    })
}

fn push_condition(sql: &mut Sql, (text, values): &Condition) {
    let mut pieces = text.split('?');
    sql.push(pieces.next().unwrap_or_default());
    for (value, piece) in values.iter().zip(pieces) {
        sql.text(value.clone()).push(piece);
    }
}

fn scope_label(scope: &Scope) -> (&'static str, String) {
    let country = scope.country().profile().name;
    match scope {
        Scope::National { .. } => ("common-pais", country.to_string()),
        Scope::Region { region, .. } => ("common-region", format!("{region} ({country})")),
        Scope::Province { province, .. } => ("schools-provincia", format!("{province} ({country})")),
        Scope::Zone { zone, .. } => ("common-zona-supervision", format!("{zone} ({country})")),
        Scope::Network { .. } | Scope::School { .. } => ("", String::new()),
    }
}
