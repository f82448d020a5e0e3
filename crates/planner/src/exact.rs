//! Dev-only exact clustering (feature `exact`), to measure the planner's optimality gap.
//!
//! It uses the planner's rule-driven steps unchanged (input checks, afternoon fallback,
//! single-level localities joining their neighbour, units that keep small localities whole,
//! groups and coordinators) and replaces only the optimisation — how each area is split
//! into clusters and which school hosts each — by an integer programme solved to optimality
//! with `good_lp` + `microlp` (pure Rust):
//!
//! * `x[u][h]` ∈ {0,1}: unit `u` meets at host `h`; `y[h]` ∈ {0,1}: `h` hosts a cluster.
//! * every unit has one host; `x[u][h] ≤ y[h]`; a host belongs to its own cluster;
//! * at most `max_schools_per_cluster` schools; teachers ≤ `max_group_size` × classrooms of
//!   the host (rule 6); the cluster has a school of another level than the host (rule 1);
//! * span deficit per cluster and stage `s`: `a[h][s] ≥ x[u][h]` for units of localities
//!   with stage `s`, `c[h][s] ≤ Σ x[u][h]` over units having `s`, `c[h][s] ≤ y[h]`;
//! * minimise `W_SPAN·Σ(a − c) + Σ travel[u][h]·x[u][h] + W_VENUE·Σ y` — the same terms and
//!   weights as [`crate::cost()`] (exceptions are fixed by the rule-driven steps).

use good_lp::{microlp, variable, variables, Expression, Solution, SolverModel, Variable};

use crate::cluster::{self, AreaCtx, Ctx, Outcome, Unit};
use crate::cost::{W_SPAN, W_TRAVEL, W_VENUE};
use crate::geo;
use crate::model::{Options, Plan, School, Stage};
use crate::InputError;

/// Plans like [`crate::plan`] but clusters every area optimally (slow; small inputs only).
pub fn solve(schools: Vec<School>, options: &Options) -> Result<Plan, InputError> {
    crate::check_input(&schools, options)?;
    let outcome = {
        let ctx = Ctx::new(&schools, options);
        let mut exceptions = cluster::missing_coordinate_notices(&ctx);
        let (areas, mut more) = cluster::areas(&ctx);
        exceptions.append(&mut more);
        let mut drafts = Vec::new();
        for area in &areas {
            let actx = cluster::area_ctx(&ctx, area);
            let units = cluster::units(&actx);
            let all: Vec<u32> = (0..area.schools.len() as u32).collect();
            let local = if units.len() == 1 {
                vec![all]
            } else {
                solve_area(&actx, &units).unwrap_or_else(|| vec![all])
            };
            let global = local.iter().map(|c| actx.global(c)).collect();
            let (mut d, mut e) = cluster::finish(&ctx, area.session, global);
            drafts.append(&mut d);
            exceptions.append(&mut e);
        }
        Outcome { drafts, exceptions }
    };
    Ok(crate::assemble(schools, options, outcome))
}

const STAGES: [Stage; 3] = [Stage::Early, Stage::Primaria, Stage::Secundaria];

/// Optimal clusters (local indices) of one area, or `None` if the programme is infeasible.
fn solve_area(actx: &AreaCtx, units: &[Unit]) -> Option<Vec<Vec<u32>>> {
    let ctx = actx.ctx;
    let opts = ctx.opts;
    let n = actx.idx.len() as u32;
    let unit_of: Vec<usize> = {
        let mut v = vec![0; n as usize];
        for (u, unit) in units.iter().enumerate() {
            for &a in &unit.schools {
                v[a as usize] = u;
            }
        }
        v
    };
    let teachers = |u: usize| -> u32 { units[u].schools.iter().map(|&a| actx.teachers(a)).sum() };
    let pos = |a: u32| ctx.pos[actx.idx[a as usize] as usize];
    let travel = |u: usize, h: u32| -> f64 {
        units[u]
            .schools
            .iter()
            .map(|&a| geo::dist(pos(a), pos(h)).unwrap_or(0.0) * actx.teachers(a) as f64)
            .sum()
    };
    let levels = |u: usize| {
        units[u]
            .schools
            .iter()
            .fold(0u8, |m, &a| m | actx.school(a).level.bit())
    };
    let stages = |u: usize| {
        units[u].schools.iter().fold(0u8, |m, &a| {
            m | actx.school(a).level.stage().map_or(0, |s| s.bit())
        })
    };
    let area_stages = |u: usize| {
        units[u]
            .schools
            .iter()
            .fold(0u8, |m, &a| m | ctx.loc_stage[actx.loc(a) as usize])
    };
    let cap = |h: u32| opts.max_group_size as u64 * actx.school(h).classrooms as u64;

    let mut vars = variables!();
    let y: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
    let x: Vec<Vec<Option<Variable>>> = (0..units.len())
        .map(|u| {
            (0..n)
                .map(|h| {
                    let fits = teachers(u) as u64 <= cap(h)
                        && units[u].schools.len() <= opts.max_schools_per_cluster;
                    fits.then(|| vars.add(variable().binary()))
                })
                .collect()
        })
        .collect();
    let a: Vec<[Variable; 3]> = (0..n)
        .map(|_| [(); 3].map(|_| vars.add(variable().min(0).max(1))))
        .collect();
    let c: Vec<[Variable; 3]> = (0..n)
        .map(|_| [(); 3].map(|_| vars.add(variable().min(0).max(1))))
        .collect();

    let mut objective = Expression::from(0.0);
    for h in 0..n as usize {
        objective += W_VENUE * y[h];
        for s in 0..3 {
            objective += W_SPAN * a[h][s] - W_SPAN * c[h][s];
        }
    }
    for (u, row) in x.iter().enumerate() {
        for (h, v) in row.iter().enumerate() {
            if let Some(v) = v {
                objective += W_TRAVEL * travel(u, h as u32) * *v;
            }
        }
    }
    let mut model = vars.minimise(objective).using(microlp);
    for row in &x {
        let sum: Expression = row.iter().flatten().map(|&v| Expression::from(v)).sum();
        model = model.with(sum.eq(1.0));
    }
    for h in 0..n as usize {
        let col: Vec<(usize, Variable)> = (0..units.len())
            .filter_map(|u| x[u][h].map(|v| (u, v)))
            .collect();
        for &(_, v) in &col {
            model = model.with(Expression::from(v).leq(y[h]));
        }
        // The host is in its own cluster.
        match x[unit_of[h]][h] {
            Some(own) => model = model.with(Expression::from(y[h]).leq(own)),
            None => model = model.with(Expression::from(y[h]).leq(0.0)),
        }
        let schools: Expression = col
            .iter()
            .map(|&(u, v)| units[u].schools.len() as f64 * v)
            .sum();
        model = model.with(schools.leq(opts.max_schools_per_cluster as f64 * y[h]));
        let load: Expression = col.iter().map(|&(u, v)| teachers(u) as f64 * v).sum();
        model = model.with(load.leq(cap(h as u32) as f64 * y[h]));
        let host_level = actx.school(h as u32).level.bit();
        let other: Expression = col
            .iter()
            .filter(|&&(u, _)| levels(u) & !host_level != 0)
            .map(|&(_, v)| Expression::from(v))
            .sum();
        model = model.with(other.geq(y[h]));
        for (s, stage) in STAGES.iter().enumerate() {
            for &(u, v) in &col {
                if area_stages(u) & stage.bit() != 0 {
                    model = model.with(Expression::from(a[h][s]).geq(v));
                }
            }
            let have: Expression = col
                .iter()
                .filter(|&&(u, _)| stages(u) & stage.bit() != 0)
                .map(|&(_, v)| Expression::from(v))
                .sum();
            model = model.with(Expression::from(c[h][s]).leq(have));
            model = model.with(Expression::from(c[h][s]).leq(y[h]));
        }
    }
    let solution = model.solve().ok()?;
    let mut clusters: Vec<Vec<u32>> = vec![Vec::new(); n as usize];
    for (u, row) in x.iter().enumerate() {
        let h = row
            .iter()
            .enumerate()
            .filter_map(|(h, v)| v.map(|v| (h, solution.value(v))))
            .max_by(|p, q| p.1.total_cmp(&q.1))?
            .0;
        clusters[h].extend(units[u].schools.iter().copied());
    }
    Some(clusters.into_iter().filter(|c| !c.is_empty()).collect())
}
