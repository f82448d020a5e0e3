//! Splitting an area: capacitated k-means over units, then the local search, then merging
//! clusters left with one level.

use super::context::{planar, Xy};
use super::search::local_search;
use super::{AreaCtx, Unit};
use crate::geo;
use crate::model::Level;

/// Capacitated k-means over units, then local search on the cost, then merging of clusters
/// left with one level. Returns clusters of local indices.
pub(crate) fn split_units(actx: &AreaCtx, units: &[Unit], k0: usize) -> Vec<Vec<u32>> {
    let max = actx.ctx.opts.max_schools_per_cluster.max(2);
    let mut centers = seeds(actx, units, k0.max(1));
    let mut assign = vec![0usize; units.len()];
    for _ in 0..4 {
        assign = assign_units(units, &centers, max);
        let k = centers
            .len()
            .max(1 + assign.iter().copied().max().unwrap_or(0));
        centers = recentre(units, &assign, k);
    }
    let mut clusters = to_clusters(units, &assign, centers.len());
    local_search(actx, units, &mut clusters, max);
    super::path::repair(actx, units, &mut clusters, max);
    merge_single_level(actx, units, &mut clusters, max);
    clusters
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|c| members_of(units, &c))
        .collect()
}

/// Farthest-point seeds, from units with a secundaria when there are enough of them.
fn seeds(actx: &AreaCtx, units: &[Unit], k: usize) -> Vec<Xy> {
    let has_sec = |u: &Unit| {
        u.schools
            .iter()
            .any(|&a| actx.school(a).level == Level::Secundaria)
    };
    let mut cand: Vec<usize> = (0..units.len()).filter(|&u| has_sec(&units[u])).collect();
    if cand.len() < k {
        cand = (0..units.len()).collect();
    }
    let centre = geo::centroid(units.iter().map(|u| u.xy));
    let first = *cand
        .iter()
        .max_by(|&&a, &&b| planar(units[a].xy, centre).total_cmp(&planar(units[b].xy, centre)))
        .unwrap_or(&0);
    let mut chosen = vec![first];
    let mut mind: Vec<f64> = cand
        .iter()
        .map(|&u| planar(units[u].xy, units[first].xy))
        .collect();
    if let Some(p) = cand.iter().position(|&u| u == first) {
        mind[p] = -1.0;
    }
    while chosen.len() < k.min(cand.len()) {
        let (ci, _) = mind
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .unwrap_or((0, &0.0));
        let u = cand[ci];
        chosen.push(u);
        for (j, &v) in cand.iter().enumerate() {
            if mind[j] >= 0.0 {
                mind[j] = mind[j].min(planar(units[v].xy, units[u].xy));
            }
        }
        mind[ci] = -1.0;
    }
    chosen.into_iter().map(|u| units[u].xy).collect()
}

/// Each unit to its nearest centre with room, biggest and most constrained (largest regret)
/// first; a unit that fits nowhere opens a new cluster.
fn assign_units(units: &[Unit], centers: &[Xy], max: usize) -> Vec<usize> {
    // Only the nearest few centres matter for a unit; all of them are scanned when those are
    // full.
    const NEAREST: usize = 8;
    let mut centers = centers.to_vec();
    let by_distance = |u: &Unit, centers: &[Xy], k: usize| {
        let mut d: Vec<(f64, usize)> = centers
            .iter()
            .enumerate()
            .map(|(c, &x)| (planar(u.xy, x), c))
            .collect();
        let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if k < d.len() {
            d.select_nth_unstable_by(k - 1, cmp);
            d.truncate(k);
        }
        d.sort_unstable_by(cmp);
        d
    };
    let prefs: Vec<Vec<(f64, usize)>> = units
        .iter()
        .map(|u| by_distance(u, &centers, NEAREST))
        .collect();
    let regret = |u: usize| match prefs[u].as_slice() {
        [a, b, ..] => b.0 - a.0,
        _ => f64::MAX,
    };
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        units[b]
            .schools
            .len()
            .cmp(&units[a].schools.len())
            .then(regret(b).total_cmp(&regret(a)))
            .then(a.cmp(&b))
    });
    let mut load = vec![0usize; centers.len()];
    let mut assign = vec![0usize; units.len()];
    for u in order {
        let n = units[u].schools.len();
        let fits = |c: &usize| load[*c] + n <= max;
        let spot = prefs[u].iter().map(|&(_, c)| c).find(fits).or_else(|| {
            by_distance(&units[u], &centers, centers.len())
                .into_iter()
                .map(|(_, c)| c)
                .find(fits)
        });
        let c = spot.unwrap_or_else(|| {
            centers.push(units[u].xy);
            load.push(0);
            load.len() - 1
        });
        load[c] += n;
        assign[u] = c;
    }
    assign
}

fn recentre(units: &[Unit], assign: &[usize], k: usize) -> Vec<Xy> {
    let mut sum = vec![(0.0, 0.0, 0.0); k];
    for (u, &c) in assign.iter().enumerate() {
        if let Some((x, y)) = units[u].xy {
            let w = units[u].schools.len() as f64;
            sum[c].0 += x * w;
            sum[c].1 += y * w;
            sum[c].2 += w;
        }
    }
    sum.into_iter()
        .map(|(x, y, w)| (w > 0.0).then(|| (x / w, y / w)))
        .collect()
}

fn to_clusters(units: &[Unit], assign: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut clusters = vec![Vec::new(); k];
    for u in 0..units.len() {
        clusters[assign[u]].push(u);
    }
    clusters
}

pub(super) fn members_of(units: &[Unit], cluster: &[usize]) -> Vec<u32> {
    cluster
        .iter()
        .flat_map(|&u| units[u].schools.iter().copied())
        .collect()
}

fn cluster_levels(actx: &AreaCtx, units: &[Unit], cluster: &[usize]) -> u8 {
    cluster
        .iter()
        .flat_map(|&u| units[u].schools.iter())
        .fold(0, |m, &a| m | actx.school(a).level.bit())
}

/// A cluster left with one level takes the nearest unit of another level that a neighbour
/// can spare (the neighbour keeps two levels) when it has room; otherwise it joins the
/// nearest cluster, even beyond the size limit (rule 1 comes first; `finish` reports it).
fn merge_single_level(actx: &AreaCtx, units: &[Unit], clusters: &mut [Vec<usize>], max: usize) {
    let centre = |c: &[usize]| geo::centroid(c.iter().map(|&u| units[u].xy));
    let size = |c: &[usize]| c.iter().map(|&u| units[u].schools.len()).sum::<usize>();
    loop {
        let bad = (0..clusters.len()).find(|&c| {
            !clusters[c].is_empty() && cluster_levels(actx, units, &clusters[c]).count_ones() < 2
        });
        let Some(a) = bad else { return };
        let ca = centre(&clusters[a]);
        let levels_a = cluster_levels(actx, units, &clusters[a]);
        let room = max.saturating_sub(size(&clusters[a]));
        let spare = (0..clusters.len())
            .filter(|&b| b != a)
            .flat_map(|b| clusters[b].iter().map(move |&v| (b, v)))
            .filter(|&(b, v)| {
                let rest: Vec<usize> = clusters[b].iter().copied().filter(|&w| w != v).collect();
                units[v].schools.len() <= room
                    && cluster_levels(actx, units, &[v]) & !levels_a != 0
                    && cluster_levels(actx, units, &rest).count_ones() >= 2
            })
            .map(|(b, v)| (planar(ca, units[v].xy), b, v))
            .min_by(|x, y| x.0.total_cmp(&y.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        if let Some((_, b, v)) = spare {
            clusters[b].retain(|&w| w != v);
            clusters[a].push(v);
            continue;
        }
        let target = (0..clusters.len())
            .filter(|&b| b != a && !clusters[b].is_empty())
            .map(|b| (planar(ca, centre(&clusters[b])), b))
            .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let Some((_, b)) = target else { return };
        let moved = std::mem::take(&mut clusters[a]);
        clusters[b].extend(moved);
    }
}
