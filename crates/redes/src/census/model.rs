//! The census of active networks: counts per year, in total and per region.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::policy::Principal;
use crate::country::Country;
use crate::error::AppError;

/// Which country's census to show.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CensusQuery {
    /// `cl`, `co` or `mx`; by default the signed-in person's country, or Chile.
    #[param(max_length = 2, pattern = "^(cl|co|mx)?$")]
    pub country: String,
}

impl CensusQuery {
    /// The country asked for, or the viewer's own (Chile when signed out
    /// or without roles); an unknown code is refused, naming the field.
    pub fn country(&self, viewer: Option<&Principal>) -> Result<Country, AppError> {
        if self.country.trim().is_empty() {
            return Ok(viewer.map_or(Country::Cl, |p| p.home_place().0));
        }
        crate::limits::search("country", &self.country)?;
        Country::parse(&self.country)
            .ok_or_else(|| AppError::field("country", "census-elija-chile-colombia-mexico"))
    }
}

/// Active networks of one region in one year, as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CensusCell {
    pub country: Country,
    pub region: String,
    pub year: i64,
    pub active: i64,
    /// How many of them were generated to complete a published figure.
    pub synthetic: i64,
}

/// One country's census: the years, a total per year, a row per region.
#[derive(Debug, Serialize, ToSchema)]
pub struct Census {
    pub country: Country,
    pub years: Vec<i64>,
    pub totals: Vec<YearTotal>,
    pub regions: Vec<RegionRow>,
}

/// All regions' active networks in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearTotal {
    pub year: i64,
    pub active: i64,
    /// Generated networks included in `active` (the seeds publish totals
    /// without naming every network).
    pub synthetic: i64,
}

/// One region's active networks, one count per year of `Census::years`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionRow {
    pub country: Country,
    pub region: String,
    pub counts: Vec<i64>,
}

impl Census {
    /// Pivots stored cells into the table; a region without networks in a
    /// year counts 0 there.
    pub fn from_cells(country: Country, cells: &[CensusCell]) -> Census {
        let mut years: Vec<i64> = cells.iter().map(|c| c.year).collect();
        years.sort_unstable();
        years.dedup();
        let mut totals: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        let mut regions: BTreeMap<(Country, String), BTreeMap<i64, i64>> = BTreeMap::new();
        for c in cells {
            let t = totals.entry(c.year).or_default();
            t.0 += c.active;
            t.1 += c.synthetic;
            regions
                .entry((c.country, c.region.clone()))
                .or_default()
                .insert(c.year, c.active);
        }
        Census {
            country,
            totals: years
                .iter()
                .map(|y| YearTotal {
                    year: *y,
                    active: totals[y].0,
                    synthetic: totals[y].1,
                })
                .collect(),
            regions: regions
                .into_iter()
                .map(|((country, region), by_year)| RegionRow {
                    country,
                    region,
                    counts: years
                        .iter()
                        .map(|y| by_year.get(y).copied().unwrap_or(0))
                        .collect(),
                })
                .collect(),
            years,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(region: &str, year: i64, active: i64, synthetic: i64) -> CensusCell {
        CensusCell {
            country: Country::Cl,
            region: region.into(),
            year,
            active,
            synthetic,
        }
    }

    #[test]
    fn regions_without_networks_in_a_year_count_zero_and_totals_add_up() {
        let census = Census::from_cells(Country::Cl, &[
            cell("Biobío", 2015, 3, 1),
            cell("Maule", 2015, 2, 0),
            cell("Biobío", 2016, 4, 2),
        ]);
        assert_eq!(census.years, vec![2015, 2016]);
        assert_eq!(census.totals[0].active, 5);
        assert_eq!(census.totals[1].synthetic, 2);
        let maule = census.regions.iter().find(|r| r.region == "Maule").unwrap();
        assert_eq!(maule.counts, vec![2, 0]);
    }
}

/// The key figures of a territory on the home page of whoever oversees it.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryFigures {
    /// "País", "Región", "Provincia" or "Zona de supervisión".
    pub level: &'static str,
    pub territory: String,
    /// Operating schools.
    pub schools: i64,
    /// Of them, those in a network today.
    pub schools_in_networks: i64,
    pub networks: i64,
    /// Networks active in `year`, the latest year recorded.
    pub active_networks: i64,
    pub year: Option<i64>,
}
