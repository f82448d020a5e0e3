//! The one cost function shared by the planner, the exact check and the app.
//!
//! `total = W_EXCEPTION·exceptions + W_SPAN·span_deficit + W_TRAVEL·travel + W_VENUE·venues`
//!
//! * `exceptions`: schools named in rule exceptions (unplaced schools, afternoon schools sent
//!   to the morning, clusters without a big enough host). Input notices (missing
//!   coordinates) do not count: no plan can avoid them.
//! * `span_deficit`: for each cluster, the stages of the children's path (inicial/preescolar,
//!   primaria, secundaria) present in the localities it draws from but missing in the cluster.
//! * `travel`: teacher-kilometres from each school to its host (haversine; a school without
//!   coordinates is placed at its locality's centroid, and counts 0 if that is unknown too).
//! * `venues`: number of clusters (fewer, fuller venues).
//!
//! The weights make the order strict in practice: one exception outweighs any realistic
//! travel saving, and a missing stage outweighs a few thousand teacher-kilometres.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::geo;
use crate::model::{Plan, Rule, School};

pub const W_EXCEPTION: f64 = 100_000.0;
pub const W_SPAN: f64 = 5_000.0;
pub const W_TRAVEL: f64 = 1.0;
pub const W_VENUE: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub exceptions: usize,
    pub span_deficit: usize,
    /// Teacher-kilometres to the hosts.
    pub travel_km: f64,
    pub venues: usize,
    pub total: f64,
}

impl Cost {
    pub fn new(exceptions: usize, span_deficit: usize, travel_km: f64, venues: usize) -> Self {
        let total = W_EXCEPTION * exceptions as f64
            + W_SPAN * span_deficit as f64
            + W_TRAVEL * travel_km
            + W_VENUE * venues as f64;
        Cost {
            exceptions,
            span_deficit,
            travel_km,
            venues,
            total,
        }
    }
}

/// Stage bits of a set of schools.
pub(crate) fn stage_mask<'a>(schools: impl Iterator<Item = &'a School>) -> u8 {
    schools.fold(0, |m, s| m | s.level.stage().map_or(0, |st| st.bit()))
}

/// Cost of a plan (see the module docs). Unknown codes are ignored here; `validate` reports
/// them.
pub fn cost(plan: &Plan) -> Cost {
    let by_code: HashMap<&str, &School> =
        plan.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut loc_schools: HashMap<&str, Vec<&School>> = HashMap::default();
    for s in &plan.schools {
        loc_schools.entry(s.locality.as_str()).or_default().push(s);
    }
    let loc_stage: HashMap<&str, u8> = loc_schools
        .iter()
        .map(|(l, v)| (*l, stage_mask(v.iter().copied())))
        .collect();
    let loc_centroid: HashMap<&str, Option<(f64, f64)>> = loc_schools
        .iter()
        .map(|(l, v)| (*l, geo::centroid(v.iter().map(|s| s.coords()))))
        .collect();
    let pos = |s: &School| s.coords().or_else(|| loc_centroid[s.locality.as_str()]);

    let exceptions = plan
        .exceptions
        .iter()
        .filter(|e| e.rule != Rule::MissingCoordinates)
        .map(|e| e.schools.len())
        .sum();
    let (mut span, mut travel) = (0usize, 0.0f64);
    for c in &plan.clusters {
        let members: Vec<&School> = c
            .schools
            .iter()
            .filter_map(|code| by_code.get(code.as_str()).copied())
            .collect();
        let area = members
            .iter()
            .fold(0u8, |m, s| m | loc_stage[s.locality.as_str()]);
        let have = stage_mask(members.iter().copied());
        span += (area & !have).count_ones() as usize;
        let host = by_code.get(c.host.as_str()).map(|h| pos(h));
        for s in &members {
            let d = host.and_then(|h| geo::dist(pos(s), h)).unwrap_or(0.0);
            travel += d * s.cte.len() as f64;
        }
    }
    Cost::new(exceptions, span, travel, plan.clusters.len())
}
