//! The children's path inside a split area (seed 003: teachers meet "a lo largo del
//! trayecto" of their pupils): each part should span inicial/preescolar → primaria →
//! secundaria when its localities do. The k-means and the local search only look at near
//! neighbours, so in a city the secundarias can pile up in some parts and be missing from
//! others; this pass hands them over.

use super::context::planar;
use super::evaluate::evaluate;
use super::kmeans::members_of;
use super::{AreaCtx, Unit};
use crate::geo;

/// A candidate hand-over: cost change, donor cluster, both new member lists and their costs.
type Candidate = (f64, usize, Vec<usize>, Vec<usize>, f64, f64);

/// Donor clusters considered per deficient cluster, nearest first.
const DONORS: usize = 8;

/// A cluster missing a stage its localities have takes a unit with that stage from a nearby
/// cluster, moving it or swapping it for one of its own units, when the number of missing
/// stages falls and the cost (which weighs each missing stage above realistic travel)
/// decreases. Sizes stay within `max`.
pub(super) fn repair(actx: &AreaCtx, units: &[Unit], clusters: &mut [Vec<usize>], max: usize) {
    let stage_of = |a: u32| actx.school(a).level.stage().map_or(0, |s| s.bit());
    let has: Vec<u8> = units
        .iter()
        .map(|u| u.schools.iter().fold(0, |m, &a| m | stage_of(a)))
        .collect();
    let wants: Vec<u8> = units
        .iter()
        .map(|u| {
            u.schools
                .iter()
                .fold(0, |m, &a| m | actx.ctx.loc_stage[actx.loc(a) as usize])
        })
        .collect();
    let size = |c: &[usize]| c.iter().map(|&u| units[u].schools.len()).sum::<usize>();
    let missing = |c: &[usize]| {
        let (w, h) = c
            .iter()
            .fold((0u8, 0u8), |(w, h), &u| (w | wants[u], h | has[u]));
        w & !h
    };
    let cost = |c: &[usize]| evaluate(actx, &members_of(units, c)).cost;
    let centre = |c: &[usize]| geo::centroid(c.iter().map(|&u| units[u].xy));
    let mut costs: Vec<f64> = clusters.iter().map(|c| cost(c)).collect();
    for _round in 0..3 {
        let mut changed = false;
        for a in 0..clusters.len() {
            let gap = missing(&clusters[a]);
            if gap == 0 || clusters[a].is_empty() {
                continue;
            }
            let ca = centre(&clusters[a]);
            let mut donors: Vec<(f64, usize)> = (0..clusters.len())
                .filter(|&b| b != a && clusters[b].iter().any(|&v| has[v] & gap != 0))
                .map(|b| (planar(ca, centre(&clusters[b])), b))
                .collect();
            donors.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            donors.truncate(DONORS);
            let before =
                |b: usize| missing(&clusters[a]).count_ones() + missing(&clusters[b]).count_ones();
            let mut best: Option<Candidate> = None;
            for &(_, b) in &donors {
                let deficit = before(b);
                for &v in clusters[b].iter().filter(|&&v| has[v] & gap != 0) {
                    let nb_base: Vec<usize> =
                        clusters[b].iter().copied().filter(|&w| w != v).collect();
                    let mut options: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
                    if size(&clusters[a]) + units[v].schools.len() <= max {
                        let mut na = clusters[a].clone();
                        na.push(v);
                        options.push((na, nb_base.clone()));
                    }
                    for &u in &clusters[a] {
                        let (nu, nv) = (units[u].schools.len(), units[v].schools.len());
                        if size(&clusters[a]) - nu + nv > max || size(&nb_base) + nu > max {
                            continue;
                        }
                        let mut na: Vec<usize> =
                            clusters[a].iter().copied().filter(|&w| w != u).collect();
                        na.push(v);
                        let mut nb = nb_base.clone();
                        nb.push(u);
                        options.push((na, nb));
                    }
                    for (na, nb) in options {
                        if missing(&na).count_ones() + missing(&nb).count_ones() >= deficit {
                            continue;
                        }
                        let (ea, eb) = (cost(&na), cost(&nb));
                        let delta = ea + eb - costs[a] - costs[b];
                        if delta < -1e-9 && best.as_ref().is_none_or(|x| delta < x.0) {
                            best = Some((delta, b, na, nb, ea, eb));
                        }
                    }
                }
            }
            if let Some((_, b, na, nb, ea, eb)) = best {
                clusters[a] = na;
                clusters[b] = nb;
                costs[a] = ea;
                costs[b] = eb;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
