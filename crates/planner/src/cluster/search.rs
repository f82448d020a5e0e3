//! Local search: single-unit moves, then one pass of swaps, while the cost decreases.

use super::context::{planar, Xy};
use super::evaluate::evaluate;
use super::kmeans::members_of;
use super::{AreaCtx, Unit};
use crate::geo;

/// Moves single units to one of the nearest clusters while the cost decreases.
pub(super) fn local_search(
    actx: &AreaCtx,
    units: &[Unit],
    clusters: &mut [Vec<usize>],
    max: usize,
) {
    const NEIGHBOURS: usize = 4;
    let size = |c: &[usize]| c.iter().map(|&u| units[u].schools.len()).sum::<usize>();
    let mut costs: Vec<f64> = clusters
        .iter()
        .map(|c| evaluate(actx, &members_of(units, c)).cost)
        .collect();
    let mut where_is = vec![0usize; units.len()];
    for (c, us) in clusters.iter().enumerate() {
        for &u in us {
            where_is[u] = c;
        }
    }
    for _pass in 0..3 {
        let centers: Vec<Xy> = clusters
            .iter()
            .map(|c| geo::centroid(c.iter().map(|&u| units[u].xy)))
            .collect();
        let mut improved = false;
        for u in 0..units.len() {
            let a = where_is[u];
            let mut near: Vec<(f64, usize)> = (0..clusters.len())
                .filter(|&b| b != a && !clusters[b].is_empty())
                .map(|b| (planar(units[u].xy, centers[b]), b))
                .collect();
            let k = NEIGHBOURS.min(near.len());
            if k == 0 {
                continue;
            }
            near.select_nth_unstable_by(k - 1, |x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            let from: Vec<usize> = clusters[a].iter().copied().filter(|&v| v != u).collect();
            let from_cost = evaluate(actx, &members_of(units, &from)).cost;
            let mut best: Option<(f64, usize, f64)> = None;
            for &(_, b) in &near[..k] {
                if size(&clusters[b]) + units[u].schools.len() > max {
                    continue;
                }
                let mut to = clusters[b].clone();
                to.push(u);
                let to_cost = evaluate(actx, &members_of(units, &to)).cost;
                let delta = from_cost + to_cost - costs[a] - costs[b];
                if delta < -1e-9 && best.is_none_or(|(d, _, _)| delta < d) {
                    best = Some((delta, b, to_cost));
                }
            }
            if let Some((_, b, to_cost)) = best {
                clusters[a] = from;
                costs[a] = from_cost;
                clusters[b].push(u);
                costs[b] = to_cost;
                where_is[u] = b;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    // Swaps are dearer than moves: one pass once moves have settled.
    let centers: Vec<Xy> = clusters
        .iter()
        .map(|c| geo::centroid(c.iter().map(|&u| units[u].xy)))
        .collect();
    swap_pass(
        actx,
        units,
        clusters,
        &mut costs,
        &mut where_is,
        &centers,
        max,
    );
}

/// A candidate swap: the other cluster `b`, its unit `v`, both new member lists and costs.
struct Swap {
    delta: f64,
    b: usize,
    v: usize,
    na: Vec<usize>,
    nb: Vec<usize>,
    ca: f64,
    cb: f64,
}

/// Swaps a unit with one of the three units of a nearby cluster nearest to it, when both
/// clusters stay within the size limit and the cost decreases (moves alone cannot exchange
/// schools between full clusters).
fn swap_pass(
    actx: &AreaCtx,
    units: &[Unit],
    clusters: &mut [Vec<usize>],
    costs: &mut [f64],
    where_is: &mut [usize],
    centers: &[Xy],
    max: usize,
) -> bool {
    const NEIGHBOURS: usize = 2;
    const CANDIDATES: usize = 3;
    let size = |c: &[usize]| c.iter().map(|&u| units[u].schools.len()).sum::<usize>();
    let mut improved = false;
    for u in 0..units.len() {
        let a = where_is[u];
        let mut near: Vec<(f64, usize)> = (0..clusters.len())
            .filter(|&b| b != a && !clusters[b].is_empty())
            .map(|b| (planar(units[u].xy, centers[b]), b))
            .collect();
        let k = NEIGHBOURS.min(near.len());
        if k == 0 {
            continue;
        }
        near.select_nth_unstable_by(k - 1, |x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let mut best: Option<Swap> = None;
        for &(_, b) in &near[..k] {
            let mut cand: Vec<usize> = clusters[b].clone();
            cand.sort_by(|&p, &q| {
                planar(units[u].xy, units[p].xy).total_cmp(&planar(units[u].xy, units[q].xy))
            });
            for &v in cand.iter().take(CANDIDATES) {
                let nu = units[u].schools.len();
                let nv = units[v].schools.len();
                if size(&clusters[a]) - nu + nv > max || size(&clusters[b]) - nv + nu > max {
                    continue;
                }
                let mut na: Vec<usize> = clusters[a].iter().copied().filter(|&w| w != u).collect();
                na.push(v);
                let mut nb: Vec<usize> = clusters[b].iter().copied().filter(|&w| w != v).collect();
                nb.push(u);
                let ca = evaluate(actx, &members_of(units, &na)).cost;
                let cb = evaluate(actx, &members_of(units, &nb)).cost;
                let delta = ca + cb - costs[a] - costs[b];
                if delta < -1e-9 && best.as_ref().is_none_or(|bst| delta < bst.delta) {
                    best = Some(Swap {
                        delta,
                        b,
                        v,
                        na,
                        nb,
                        ca,
                        cb,
                    });
                }
            }
        }
        if let Some(Swap {
            b,
            v,
            na,
            nb,
            ca,
            cb,
            ..
        }) = best
        {
            clusters[a] = na;
            clusters[b] = nb;
            costs[a] = ca;
            costs[b] = cb;
            where_is[u] = b;
            where_is[v] = a;
            improved = true;
        }
    }
    improved
}
