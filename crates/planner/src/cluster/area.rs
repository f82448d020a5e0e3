//! One area from start to finish: one cluster when it fits a venue, otherwise a split.

use super::evaluate::evaluate;
use super::kmeans::split_units;
use super::{area_ctx, finish, units, Area, AreaCtx, Ctx, Draft};
use crate::model::{Exception, Level, Rule};
use crate::text::Text;

pub(super) fn plan_area(ctx: &Ctx, area: &Area) -> (Vec<Draft>, Vec<Exception>) {
    let actx = area_ctx(ctx, area);
    let max = ctx.opts.max_schools_per_cluster.max(2);
    let n = area.schools.len();
    let all: Vec<u32> = (0..n as u32).collect();
    let clusters = if n <= max {
        let e = evaluate(&actx, &all);
        if e.host_ok || n < 4 {
            vec![all]
        } else {
            let units = units(&actx);
            let split = split_units(&actx, &units, 2);
            let split_cost: f64 = split.iter().map(|c| evaluate(&actx, c).cost).sum();
            if split_cost < e.cost {
                split
            } else {
                vec![all]
            }
        }
    } else {
        let units = units(&actx);
        split_units(&actx, &units, n.div_ceil(max))
    };
    let mut notices = placement_notices(&actx, &clusters);
    let global: Vec<Vec<u32>> = clusters.iter().map(|c| actx.global(c)).collect();
    let (drafts, mut exceptions) = finish(ctx, area.session, global);
    exceptions.append(&mut notices);
    (drafts, exceptions)
}

/// Rules 4 and 5 when a split could not honour them (size limits): a multigrade school
/// away from the other-level schools of its locality or from the school it feeds, a CAM
/// away from the schools of its locality. Reported for the supervisor.
pub(crate) fn placement_notices(actx: &AreaCtx, clusters: &[Vec<u32>]) -> Vec<Exception> {
    let mut out = Vec::new();
    for c in clusters {
        for &a in c {
            let s = actx.school(a);
            let same_loc = |b: u32, other_level: bool| {
                b != a
                    && actx.loc(b) == actx.loc(a)
                    && (!other_level || actx.school(b).level != s.level)
            };
            let all = 0..actx.idx.len() as u32;
            let (rule, reason) = if s.is_multigrade() {
                if all.clone().any(|b| same_loc(b, true)) {
                    if c.iter().any(|&b| same_loc(b, true)) {
                        continue;
                    }
                    (
                        Rule::Multigrade,
                        Text::new("planner-multigrade-apart-by-size"),
                    )
                } else if let Some(f) = s.feeds.as_deref() {
                    if c.iter().any(|&b| actx.school(b).code == f) || !actx.ctx.school_exists(f) {
                        continue;
                    }
                    (
                        Rule::Multigrade,
                        Text::new("planner-multigrade-apart-from-feeder").arg("feeds", f),
                    )
                } else {
                    continue;
                }
            } else if s.level == Level::Cam {
                if !all.clone().any(|b| same_loc(b, false)) || c.iter().any(|&b| same_loc(b, false))
                {
                    continue;
                }
                (Rule::Cam, Text::new("planner-cam-apart-by-size"))
            } else {
                continue;
            };
            out.push(Exception {
                rule,
                schools: vec![s.code.clone()],
                reason: reason.arg("school", &s.code),
                suggestion: Text::new("planner-suggest-move-it"),
                unplaced: false,
            });
        }
    }
    out
}
