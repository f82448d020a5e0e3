//! Rules 1–6: which schools meet together, and where.
//!
//! 1. Localities are the unit of community. Each locality's schools are split by session:
//!    urban afternoon schools form an afternoon area when they span two levels; otherwise they
//!    fall back to the morning area of their locality (rule 3 notice).
//! 2. A locality whose morning schools are all of one level joins the locality of the school
//!    one of them feeds, else the nearest locality with another level within
//!    `max_distance_km` (union-find, so chains of such localities end up together). With no
//!    such locality its schools are reported, unplaced, for the supervisor.
//! 3. Each resulting area (independent of the others, so processed in parallel) becomes one
//!    cluster when it fits one venue; otherwise it is split: small localities stay whole,
//!    big ones are cut into units of neighbouring schools (same colonia, feeder pairs,
//!    multigrade schools with a school of another level), units are assigned to seeds spread
//!    over the area (secundarias first, the top of the children's path) by capacitated
//!    k-means, and a local search moves units between nearby clusters while the cost
//!    function (see [`crate::cost()`]) decreases. Clusters left with one level are merged into
//!    their nearest neighbour.
//! 4. The host of each cluster is the school with enough classrooms for all its groups that
//!    minimises teacher travel; with none, the school with most classrooms and a rule 6
//!    exception.

use rustc_hash::FxHashMap as HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cost::{W_EXCEPTION, W_SPAN, W_TRAVEL, W_VENUE};
use crate::geo::{self, Grid};
use crate::model::{Exception, Level, Options, Rule, School, Session};

/// A cluster before grouping: indices into the input.
pub(crate) struct Draft {
    pub session: Session,
    pub members: Vec<usize>,
    pub host: usize,
}

pub(crate) struct Outcome {
    pub drafts: Vec<Draft>,
    pub exceptions: Vec<Exception>,
}

/// Precomputed per-school facts shared by all areas.
pub(crate) struct Ctx<'a> {
    pub schools: &'a [School],
    pub opts: &'a Options,
    pub pos: Vec<Option<(f64, f64)>>,
    pub teachers: Vec<u32>,
    /// Unit vectors of `pos`, for great-circle distances without trigonometry per pair.
    unit: Vec<Option<[f64; 3]>>,
    pub loc_of: Vec<u32>,
    pub loc_stage: Vec<u8>,
    loc_names: Vec<&'a str>,
    loc_schools: Vec<Vec<u32>>,
    loc_centroid: Vec<Option<(f64, f64)>>,
    code_index: HashMap<&'a str, u32>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(schools: &'a [School], opts: &'a Options) -> Self {
        let mut index: HashMap<&str, u32> = HashMap::default();
        let mut loc_names = Vec::new();
        let mut loc_schools: Vec<Vec<u32>> = Vec::new();
        let loc_of: Vec<u32> = schools
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id = *index.entry(s.locality.as_str()).or_insert_with(|| {
                    loc_names.push(s.locality.as_str());
                    loc_schools.push(Vec::new());
                    (loc_names.len() - 1) as u32
                });
                loc_schools[id as usize].push(i as u32);
                id
            })
            .collect();
        let loc_centroid: Vec<Option<(f64, f64)>> = loc_schools
            .iter()
            .map(|v| geo::centroid(v.iter().map(|&i| schools[i as usize].coords())))
            .collect();
        let loc_stage = loc_schools
            .iter()
            .map(|v| crate::cost::stage_mask(v.iter().map(|&i| &schools[i as usize])))
            .collect();
        let pos: Vec<Option<(f64, f64)>> = schools
            .iter()
            .zip(&loc_of)
            .map(|(s, &l)| s.coords().or(loc_centroid[l as usize]))
            .collect();
        let teachers = schools.iter().map(|s| s.cte.len() as u32).collect();
        let unit = pos
            .iter()
            .map(|p: &Option<(f64, f64)>| p.map(geo::unit_vector))
            .collect();
        let code_index = schools
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i as u32))
            .collect();
        Ctx {
            code_index,
            schools,
            opts,
            pos,
            unit,
            teachers,
            loc_of,
            loc_stage,
            loc_names,
            loc_schools,
            loc_centroid,
        }
    }

    /// Whether a school with this code is in the input.
    fn school_exists(&self, code: &str) -> bool {
        self.code_index.contains_key(code)
    }

    /// Great-circle km between two schools (0 when a position is unknown).
    fn km(&self, a: u32, b: u32) -> f64 {
        match (self.unit[a as usize], self.unit[b as usize]) {
            (Some(p), Some(q)) => geo::chord_km(p, q),
            _ => 0.0,
        }
    }

    fn groups_for(&self, teachers: u32) -> u32 {
        teachers.div_ceil(self.opts.max_group_size.max(1))
    }
}

/// An area: schools of one session that must be clustered among themselves.
pub(crate) struct Area {
    pub session: Session,
    pub schools: Vec<u32>,
}

pub(crate) fn build(
    schools: &[School],
    opts: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Outcome {
    let ctx = Ctx::new(schools, opts);
    let mut exceptions = missing_coordinate_notices(&ctx);
    let (areas, mut area_exceptions) = areas(&ctx);
    exceptions.append(&mut area_exceptions);

    let total = areas.len();
    let done = AtomicUsize::new(0);
    progress(0, total);
    let results: Vec<(Vec<Draft>, Vec<Exception>)> = areas
        .par_iter()
        .map(|a| {
            let r = plan_area(&ctx, a);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            if d.is_multiple_of(256) || d == total {
                progress(d, total);
            }
            r
        })
        .collect();
    let mut drafts = Vec::new();
    for (mut d, mut e) in results {
        drafts.append(&mut d);
        exceptions.append(&mut e);
    }
    Outcome { drafts, exceptions }
}

pub(crate) fn missing_coordinate_notices(ctx: &Ctx) -> Vec<Exception> {
    let mut out = Vec::new();
    for (l, members) in ctx.loc_schools.iter().enumerate() {
        let missing: Vec<String> = members
            .iter()
            .map(|&i| &ctx.schools[i as usize])
            .filter(|s| s.coords().is_none())
            .map(|s| s.code.clone())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let known = ctx.loc_centroid[l].is_some();
        let reason = if known {
            format!(
                "Sin coordenadas: se usa el centro de la localidad {}",
                ctx.loc_names[l]
            )
        } else {
            format!(
                "Sin coordenadas y ninguna escuela de la localidad {} las tiene: no se pueden medir distancias",
                ctx.loc_names[l]
            )
        };
        out.push(Exception {
            rule: Rule::MissingCoordinates,
            schools: missing,
            reason,
            suggestion: "Capturar latitud y longitud de la escuela en el registro".into(),
            unplaced: false,
        });
    }
    out
}

fn level_mask(ctx: &Ctx, members: &[u32]) -> u8 {
    members
        .iter()
        .fold(0, |m, &i| m | ctx.schools[i as usize].level.bit())
}

fn levels_es(mask: u8) -> String {
    Level::ALL
        .iter()
        .filter(|l| mask & l.bit() != 0)
        .map(|l| l.name_es())
        .collect::<Vec<_>>()
        .join(", ")
}

fn codes(ctx: &Ctx, members: &[u32]) -> Vec<String> {
    members
        .iter()
        .map(|&i| ctx.schools[i as usize].code.clone())
        .collect()
}

/// Splits localities by session, merges single-level localities and returns the areas.
pub(crate) fn areas(ctx: &Ctx) -> (Vec<Area>, Vec<Exception>) {
    let nloc = ctx.loc_names.len();
    let mut exceptions = Vec::new();
    let (mut afternoon, mut morning): (Vec<Vec<u32>>, Vec<Vec<u32>>) = ctx
        .loc_schools
        .iter()
        .map(|v| {
            v.iter()
                .partition(|&&i| ctx.schools[i as usize].session() == Session::Afternoon)
        })
        .unzip();

    // Afternoon schools of one level join the nearest afternoon schools of another level;
    // with none near, they meet with the morning schools of their locality.
    let masks: Vec<u8> = afternoon.iter().map(|m| level_mask(ctx, m)).collect();
    let mut uf = UnionFind::new(nloc);
    let km = ctx.opts.afternoon_distance_km;
    for (l, t) in single_level_targets(ctx, &afternoon, &masks, km, false) {
        match t {
            Some(t) => uf.union(l, t),
            None => {
                exceptions.push(Exception {
                    rule: Rule::Shift,
                    schools: codes(ctx, &afternoon[l]),
                    reason: format!(
                        "No hay escuelas vespertinas de otro nivel en la localidad {} ni a menos de {km} km: sesiona con el turno matutino de su localidad",
                        ctx.loc_names[l]
                    ),
                    suggestion: "Confirmar con la AEL que el colectivo vespertino puede asistir en horario matutino".into(),
                    unplaced: false,
                });
                let moved = std::mem::take(&mut afternoon[l]);
                morning[l].extend(moved);
            }
        }
    }
    let mut areas = components(&mut uf, &afternoon, Session::Afternoon);

    // Morning localities of one level join the locality their pupils go to, else the
    // nearest locality with another level.
    let masks: Vec<u8> = morning.iter().map(|m| level_mask(ctx, m)).collect();
    let mut uf = UnionFind::new(nloc);
    let targets = single_level_targets(ctx, &morning, &masks, ctx.opts.max_distance_km, true);
    for (l, t) in targets {
        match t {
            Some(t) => uf.union(l, t),
            None => {
                exceptions.push(isolated_exception(ctx, l, &morning[l], masks[l]));
                morning[l].clear();
            }
        }
    }
    areas.append(&mut components(&mut uf, &morning, Session::Morning));
    // Big areas first so that the parallel workers finish together.
    areas.sort_by_key(|a| std::cmp::Reverse(a.schools.len()));
    (areas, exceptions)
}

/// The schools of each union-find component, as areas.
fn components(uf: &mut UnionFind, sets: &[Vec<u32>], session: Session) -> Vec<Area> {
    let mut by_root: HashMap<usize, Vec<u32>> = HashMap::default();
    for (l, set) in sets.iter().enumerate() {
        if !set.is_empty() {
            by_root.entry(uf.find(l)).or_default().extend(set);
        }
    }
    let mut roots: Vec<(usize, Vec<u32>)> = by_root.into_iter().collect();
    roots.sort_by_key(|(r, _)| *r);
    roots
        .into_iter()
        .map(|(_, schools)| Area { session, schools })
        .collect()
}

/// For each locality whose set of schools has one level: the locality it joins, if any —
/// the locality of a school it feeds (`use_feeds`), else the nearest within `radius_km`
/// whose set has another level.
fn single_level_targets(
    ctx: &Ctx,
    morning: &[Vec<u32>],
    masks: &[u8],
    radius_km: f64,
    use_feeds: bool,
) -> Vec<(usize, Option<usize>)> {
    let mut grid = Grid::new(radius_km);
    for (l, c) in ctx.loc_centroid.iter().enumerate() {
        if let (Some(c), false) = (c, morning[l].is_empty()) {
            grid.insert(*c, l as u32);
        }
    }
    let singles: Vec<usize> = (0..morning.len())
        .filter(|&l| masks[l].count_ones() == 1)
        .collect();
    singles
        .par_iter()
        .map(|&l| {
            let joins = |t: usize| t != l && masks[t] & !masks[l] != 0;
            let fed = morning[l].iter().filter(|_| use_feeds).find_map(|&i| {
                let f = ctx.schools[i as usize].feeds.as_deref()?;
                let t = ctx.loc_of[*ctx.code_index.get(f)? as usize] as usize;
                joins(t).then_some(t)
            });
            let nearest = || {
                let c = ctx.loc_centroid[l]?;
                grid.near(c)
                    .map(|t| t as usize)
                    .filter(|&t| joins(t))
                    .filter_map(|t| {
                        let d = geo::haversine_km(c, ctx.loc_centroid[t]?);
                        (d <= radius_km).then_some((d, t))
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                    .map(|(_, t)| t)
            };
            (l, fed.or_else(nearest))
        })
        .collect()
}

fn isolated_exception(ctx: &Ctx, l: usize, members: &[u32], mask: u8) -> Exception {
    let all_multigrade = members
        .iter()
        .all(|&i| ctx.schools[i as usize].is_multigrade());
    let km = ctx.opts.max_distance_km;
    let (rule, reason) = if ctx.loc_centroid[l].is_none() {
        (
            Rule::Levels,
            format!(
                "La localidad {} solo tiene {} y no tiene coordenadas para buscar otra cercana",
                ctx.loc_names[l],
                levels_es(mask)
            ),
        )
    } else if all_multigrade {
        (
            Rule::Multigrade,
            format!(
                "Escuela multigrado sin escuela de otro nivel en la localidad {} ni a menos de {km} km, y sin escuela a la que pasen sus alumnos",
                ctx.loc_names[l]
            ),
        )
    } else {
        (
            Rule::Levels,
            format!(
                "La localidad {} solo tiene {}: no hay escuela de otro nivel a menos de {km} km",
                ctx.loc_names[l],
                levels_es(mask)
            ),
        )
    };
    Exception {
        rule,
        schools: codes(ctx, members),
        reason,
        suggestion: "Requiere decisión del supervisor: sede donde sesionan habitualmente o escuela a la que pasan sus alumnos".into(),
        unplaced: true,
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller root wins so that the result does not depend on union order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

// ---------------------------------------------------------------------------------------
// One area. Inside an area schools are addressed by local index (position in `idx`).

/// Planar position in km around the area's mean latitude; accurate enough inside an area.
type Xy = Option<(f64, f64)>;

pub(crate) struct AreaCtx<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    /// Global index of each local school.
    pub idx: Vec<u32>,
    xy: Vec<Xy>,
}

impl AreaCtx<'_, '_> {
    pub(crate) fn dist(&self, a: u32, b: u32) -> f64 {
        planar(self.xy[a as usize], self.xy[b as usize])
    }

    pub(crate) fn school(&self, a: u32) -> &School {
        &self.ctx.schools[self.idx[a as usize] as usize]
    }

    pub(crate) fn teachers(&self, a: u32) -> u32 {
        self.ctx.teachers[self.idx[a as usize] as usize]
    }

    pub(crate) fn loc(&self, a: u32) -> u32 {
        self.ctx.loc_of[self.idx[a as usize] as usize]
    }

    pub(crate) fn global(&self, members: &[u32]) -> Vec<u32> {
        members.iter().map(|&a| self.idx[a as usize]).collect()
    }
}

fn planar(a: Xy, b: Xy) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
        _ => 0.0,
    }
}

/// A set of schools (local indices) that stays together inside an area.
#[derive(Clone)]
pub(crate) struct Unit {
    pub schools: Vec<u32>,
    pub xy: Xy,
}

/// Evaluation of one candidate cluster.
#[derive(Clone, Copy)]
struct Eval {
    cost: f64,
    host_ok: bool,
}

fn plan_area(ctx: &Ctx, area: &Area) -> (Vec<Draft>, Vec<Exception>) {
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
                    (Rule::Multigrade, "las escuelas de otro nivel de su localidad quedaron en otros grupos de escuelas por el límite de tamaño".to_string())
                } else if let Some(f) = s.feeds.as_deref() {
                    if c.iter().any(|&b| actx.school(b).code == f) || !actx.ctx.school_exists(f) {
                        continue;
                    }
                    (Rule::Multigrade, format!("no sesiona con la escuela a la que pasan sus alumnos ({f}), que quedó en otro grupo de escuelas u otro turno"))
                } else {
                    continue;
                }
            } else if s.level == Level::Cam {
                if !all.clone().any(|b| same_loc(b, false)) || c.iter().any(|&b| same_loc(b, false))
                {
                    continue;
                }
                (Rule::Cam, "las escuelas de su localidad quedaron en otros grupos de escuelas por el límite de tamaño".to_string())
            } else {
                continue;
            };
            out.push(Exception {
                rule,
                schools: vec![s.code.clone()],
                reason: format!("{}: {reason}", s.code),
                suggestion:
                    "Revisar con el supervisor de zona si conviene moverla de grupo de escuelas"
                        .into(),
                unplaced: false,
            });
        }
    }
    out
}

pub(crate) fn area_ctx<'c, 'a>(ctx: &'c Ctx<'a>, area: &Area) -> AreaCtx<'c, 'a> {
    let lat0 =
        geo::centroid(area.schools.iter().map(|&i| ctx.pos[i as usize])).map_or(0.0, |c| c.0);
    let kx = lat0.to_radians().cos() * 111.32;
    let xy = area
        .schools
        .iter()
        .map(|&i| ctx.pos[i as usize].map(|(la, lo)| (lo * kx, la * 110.574)))
        .collect();
    AreaCtx {
        ctx,
        idx: area.schools.clone(),
        xy,
    }
}

/// Final host choice with haversine distances, and rule 6 exceptions (global indices).
pub(crate) fn finish(
    ctx: &Ctx,
    session: Session,
    clusters: Vec<Vec<u32>>,
) -> (Vec<Draft>, Vec<Exception>) {
    let mut drafts = Vec::new();
    let mut exceptions = Vec::new();
    for members in clusters.into_iter().filter(|c| !c.is_empty()) {
        let (host, host_ok) = best_host(ctx, &members);
        if !host_ok {
            exceptions.push(host_exception(ctx, &members, host));
        }
        drafts.push(Draft {
            session,
            members: members.iter().map(|&i| i as usize).collect(),
            host: host as usize,
        });
    }
    (drafts, exceptions)
}

fn host_exception(ctx: &Ctx, members: &[u32], host: u32) -> Exception {
    let need = ctx.groups_for(members.iter().map(|&i| ctx.teachers[i as usize]).sum());
    let h = &ctx.schools[host as usize];
    Exception {
        rule: Rule::Host,
        schools: codes(ctx, members),
        reason: format!(
            "Ninguna escuela del grupo tiene {need} aulas; la que más tiene ({}) tiene {}",
            h.code, h.classrooms
        ),
        suggestion: "Buscar una sede con más aulas (otra escuela o un espacio comunitario) o dividir el grupo de escuelas".into(),
        unplaced: false,
    }
}

/// The school with enough classrooms that minimises teacher-km (haversine); ties go to more
/// classrooms. Without one, the school with most classrooms. Global indices.
pub(crate) fn best_host(ctx: &Ctx, members: &[u32]) -> (u32, bool) {
    let need = ctx.groups_for(members.iter().map(|&i| ctx.teachers[i as usize]).sum());
    let travel = |h: u32| -> f64 {
        members
            .iter()
            .map(|&i| ctx.km(i, h) * ctx.teachers[i as usize] as f64)
            .sum()
    };
    let fit = members
        .iter()
        .copied()
        .filter(|&h| ctx.schools[h as usize].classrooms >= need)
        .map(|h| (travel(h), h))
        .min_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| {
                ctx.schools[b.1 as usize]
                    .classrooms
                    .cmp(&ctx.schools[a.1 as usize].classrooms)
                    .then(a.1.cmp(&b.1))
            })
        });
    match fit {
        Some((_, h)) => (h, true),
        None => {
            let h = members
                .iter()
                .copied()
                .max_by_key(|&h| (ctx.schools[h as usize].classrooms, std::cmp::Reverse(h)))
                .unwrap_or(0);
            (h, false)
        }
    }
}

/// Cost of a candidate cluster with planar distances (same terms and weights as
/// [`crate::cost()`]); a cluster of one level is charged as exceptions.
fn evaluate(actx: &AreaCtx, members: &[u32]) -> Eval {
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
    merge_single_level(actx, units, &mut clusters);
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

fn members_of(units: &[Unit], cluster: &[usize]) -> Vec<u32> {
    cluster
        .iter()
        .flat_map(|&u| units[u].schools.iter().copied())
        .collect()
}

/// Moves single units to one of the nearest clusters while the cost decreases.
fn local_search(actx: &AreaCtx, units: &[Unit], clusters: &mut [Vec<usize>], max: usize) {
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

fn cluster_levels(actx: &AreaCtx, units: &[Unit], cluster: &[usize]) -> u8 {
    cluster
        .iter()
        .flat_map(|&u| units[u].schools.iter())
        .fold(0, |m, &a| m | actx.school(a).level.bit())
}

/// A cluster left with one level joins the nearest cluster (even beyond the size limit:
/// rule 1 comes first).
fn merge_single_level(actx: &AreaCtx, units: &[Unit], clusters: &mut [Vec<usize>]) {
    let centre = |c: &[usize]| geo::centroid(c.iter().map(|&u| units[u].xy));
    loop {
        let bad = (0..clusters.len()).find(|&c| {
            !clusters[c].is_empty() && cluster_levels(actx, units, &clusters[c]).count_ones() < 2
        });
        let Some(a) = bad else { return };
        let ca = centre(&clusters[a]);
        let target = (0..clusters.len())
            .filter(|&b| b != a && !clusters[b].is_empty())
            .map(|b| (planar(ca, centre(&clusters[b])), b))
            .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let Some((_, b)) = target else { return };
        let moved = std::mem::take(&mut clusters[a]);
        clusters[b].extend(moved);
    }
}
