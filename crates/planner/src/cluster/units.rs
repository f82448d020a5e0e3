//! Units: sets of schools of an area that stay together when the area is split (whole small
//! localities; in big ones, neighbouring schools that the rules keep together).

use rustc_hash::FxHashMap as HashMap;

use super::context::Xy;
use super::union_find::UnionFind;
use super::AreaCtx;
use crate::geo;
use crate::model::Level;

/// A set of schools (local indices) that stays together inside an area.
#[derive(Clone)]
pub(crate) struct Unit {
    pub schools: Vec<u32>,
    pub xy: Xy,
}

/// Units of an area: whole localities when they fit a cluster, otherwise groups of
/// neighbouring schools (multigrade with another level, feeder pairs, same colonia).
pub(crate) fn units(actx: &AreaCtx) -> Vec<Unit> {
    let max = actx.ctx.opts.max_schools_per_cluster.max(2);
    let mut by_loc: HashMap<u32, Vec<u32>> = HashMap::default();
    for a in 0..actx.idx.len() as u32 {
        by_loc.entry(actx.loc(a)).or_default().push(a);
    }
    let mut locs: Vec<(u32, Vec<u32>)> = by_loc.into_iter().collect();
    locs.sort_by_key(|(l, _)| *l);
    let mut out: Vec<Vec<u32>> = Vec::new();
    for (_, schools) in locs {
        if schools.len() <= max {
            out.push(schools);
        } else {
            out.extend(split_locality(actx, &schools));
        }
    }
    join_fed_units(actx, out)
        .into_iter()
        .map(|s| make_unit(actx, s))
        .collect()
}

/// Rule 4: a multigrade school with no school of another level in its locality stays with
/// the school it feeds when that school is in the area (size limit permitting).
fn join_fed_units(actx: &AreaCtx, units: Vec<Vec<u32>>) -> Vec<Vec<u32>> {
    let max = actx.ctx.opts.max_schools_per_cluster.max(2);
    let mut unit_of = vec![0usize; actx.idx.len()];
    for (u, members) in units.iter().enumerate() {
        for &a in members {
            unit_of[a as usize] = u;
        }
    }
    let local: HashMap<&str, u32> = (0..actx.idx.len() as u32)
        .map(|a| (actx.school(a).code.as_str(), a))
        .collect();
    let mut uf = UnionFind::new(units.len());
    let mut size: Vec<usize> = units.iter().map(|u| u.len()).collect();
    for a in 0..actx.idx.len() as u32 {
        let Some(f) = lone_multigrade_feeds(actx, a) else {
            continue;
        };
        let Some(&fa) = local.get(f) else { continue };
        let (ra, rb) = (uf.find(unit_of[a as usize]), uf.find(unit_of[fa as usize]));
        if ra != rb && size[ra] + size[rb] <= max {
            uf.union(ra, rb);
            let r = uf.find(ra);
            size[r] = size[ra] + size[rb];
        }
    }
    let mut merged: HashMap<usize, Vec<u32>> = HashMap::default();
    for (u, members) in units.into_iter().enumerate() {
        merged.entry(uf.find(u)).or_default().extend(members);
    }
    let mut out: Vec<Vec<u32>> = merged.into_values().collect();
    out.sort();
    out
}

/// The school fed by `a` if `a` is multigrade with no school of another level of its locality
/// in the area.
fn lone_multigrade_feeds<'s>(actx: &'s AreaCtx, a: u32) -> Option<&'s str> {
    let s = actx.school(a);
    if !s.is_multigrade() {
        return None;
    }
    let f = s.feeds.as_deref()?;
    let local_other = (0..actx.idx.len() as u32)
        .any(|b| actx.loc(b) == actx.loc(a) && actx.school(b).level != s.level);
    (!local_other).then_some(f)
}

fn make_unit(actx: &AreaCtx, schools: Vec<u32>) -> Unit {
    let xy = geo::centroid(schools.iter().map(|&a| actx.xy[a as usize]));
    Unit { schools, xy }
}

fn split_locality(actx: &AreaCtx, schools: &[u32]) -> Vec<Vec<u32>> {
    let max = actx.ctx.opts.max_schools_per_cluster.max(2);
    let cap = (max / 2).max(2);
    let n = schools.len();
    let mut uf = UnionFind::new(n);
    let mut size = vec![1usize; n];
    let mut join = |uf: &mut UnionFind, a: usize, b: usize, limit: usize| {
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra != rb && size[ra] + size[rb] <= limit {
            uf.union(ra, rb);
            let r = uf.find(ra);
            size[r] = size[ra] + size[rb];
        }
    };
    // Multigrade schools and CAM with the nearest school of another level of their locality.
    for a in 0..n {
        let sa = actx.school(schools[a]);
        if !sa.is_multigrade() && sa.level != Level::Cam {
            continue;
        }
        let near = (0..n)
            .filter(|&b| actx.school(schools[b]).level != sa.level)
            .min_by(|&x, &y| {
                actx.dist(schools[a], schools[x])
                    .total_cmp(&actx.dist(schools[a], schools[y]))
            });
        if let Some(b) = near {
            join(&mut uf, a, b, max);
        }
    }
    // Feeder pairs.
    let local: HashMap<&str, usize> = schools
        .iter()
        .enumerate()
        .map(|(k, &a)| (actx.school(a).code.as_str(), k))
        .collect();
    for (a, &sa) in schools.iter().enumerate() {
        let fed = actx.school(sa).feeds.as_deref();
        if let Some(&b) = fed.and_then(|f| local.get(f)) {
            join(&mut uf, a, b, cap);
        }
    }
    // Same colonia, neighbours first.
    let mut by_colonia: HashMap<&str, Vec<usize>> = HashMap::default();
    for (k, &a) in schools.iter().enumerate() {
        if let Some(c) = actx.school(a).colonia.as_deref() {
            by_colonia.entry(c).or_default().push(k);
        }
    }
    let mut colonias: Vec<Vec<usize>> = by_colonia.into_values().collect();
    colonias.sort();
    for mut ks in colonias {
        ks.sort_by(|&a, &b| {
            let pa = actx.xy[schools[a] as usize].unwrap_or_default();
            let pb = actx.xy[schools[b] as usize].unwrap_or_default();
            pa.1.total_cmp(&pb.1).then(pa.0.total_cmp(&pb.0))
        });
        for w in ks.windows(2) {
            join(&mut uf, w[0], w[1], cap);
        }
    }
    let mut comps: HashMap<usize, Vec<u32>> = HashMap::default();
    for (k, &a) in schools.iter().enumerate() {
        comps.entry(uf.find(k)).or_default().push(a);
    }
    let mut out: Vec<Vec<u32>> = comps.into_values().collect();
    out.sort();
    out
}
