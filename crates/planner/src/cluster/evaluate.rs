//! The cost of one candidate cluster, the quantity the split and the local search minimise.

use super::AreaCtx;
use crate::cost::{W_EXCEPTION, W_SPAN, W_TRAVEL, W_VENUE};

/// Evaluation of one candidate cluster.
#[derive(Clone, Copy)]
pub(super) struct Eval {
    pub(super) cost: f64,
    pub(super) host_ok: bool,
}

/// Cost of a candidate cluster with planar distances (same terms and weights as
/// [`crate::cost()`]); a cluster of one level is charged as exceptions.
pub(super) fn evaluate(actx: &AreaCtx, members: &[u32]) -> Eval {
    if members.is_empty() {
        return Eval {
            cost: 0.0,
            host_ok: true,
        };
    }
    let t: u32 = members.iter().map(|&a| actx.teachers(a)).sum();
    let need = actx.ctx.groups_for(t);
    let (mut levels, mut have, mut area) = (0u8, 0u8, 0u8);
    for &a in members {
        let s = actx.school(a);
        levels |= s.level.bit();
        have |= s.level.stage().map_or(0, |st| st.bit());
        area |= actx.ctx.loc_stage[actx.loc(a) as usize];
    }
    let travel = |h: u32| -> f64 {
        members
            .iter()
            .map(|&a| actx.dist(a, h) * actx.teachers(a) as f64)
            .sum()
    };
    let mut best: Option<f64> = None;
    for &h in members {
        if actx.school(h).classrooms >= need {
            let tr = travel(h);
            if best.is_none_or(|b| tr < b) {
                best = Some(tr);
            }
        }
    }
    let (travel_km, host_ok) = match best {
        Some(tr) => (tr, true),
        None => {
            let h = *members
                .iter()
                .max_by_key(|&&h| actx.school(h).classrooms)
                .unwrap_or(&members[0]);
            (travel(h), false)
        }
    };
    let mut exceptions = 0usize;
    if !host_ok {
        exceptions += members.len();
    }
    if levels.count_ones() < 2 {
        exceptions += members.len();
    }
    let cost = W_EXCEPTION * exceptions as f64
        + W_SPAN * (area & !have).count_ones() as f64
        + W_TRAVEL * travel_km
        + W_VENUE;
    Eval { cost, host_ok }
}
