//! Steps 1 and 2 of the module docs: localities split by session, single-level localities
//! joined to a neighbour, and the areas that result.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::union_find::UnionFind;
use super::{Area, Ctx};
use crate::geo::{self, Grid};
use crate::model::{Exception, Level, Rule, Session};
use crate::text::Text;

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
        let id = if known {
            "planner-no-coordinates-centre"
        } else {
            "planner-no-coordinates-anywhere"
        };
        let reason = Text::new(id).arg("locality", ctx.loc_names[l]);
        out.push(Exception {
            rule: Rule::MissingCoordinates,
            schools: missing,
            reason,
            suggestion: Text::new("planner-suggest-capture-coordinates"),
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

/// The levels of `mask` by their names, which the application's data labels translate.
fn level_names(mask: u8) -> Vec<Text> {
    Level::ALL
        .iter()
        .filter(|l| mask & l.bit() != 0)
        .map(|l| Text::new(l.name_es()))
        .collect()
}

pub(super) fn codes(ctx: &Ctx, members: &[u32]) -> Vec<String> {
    members
        .iter()
        .map(|&i| ctx.schools[i as usize].code.clone())
        .collect()
}

/// Splits localities by session, merges single-level localities and returns the areas.
pub(crate) fn areas(ctx: &Ctx) -> (Vec<Area>, Vec<Exception>) {
    let nloc = ctx.loc_names.len();
    let mut exceptions = context_notices(ctx);
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
                    reason: Text::new("planner-afternoon-alone")
                        .arg("locality", ctx.loc_names[l])
                        .arg("km", km),
                    suggestion: Text::new("planner-suggest-confirm-morning"),
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

/// Rule 3 sends rural and indigenous afternoon schools to the morning. The rural flag is
/// often derived rather than observed (see [`crate::queretaro`]), and a wrong guess moves a
/// whole staff to another time of day, so every such school is named for the supervisor.
fn context_notices(ctx: &Ctx) -> Vec<Exception> {
    let mut out = Vec::new();
    for (l, members) in ctx.loc_schools.iter().enumerate() {
        let moved = |indigenous: bool| -> Vec<u32> {
            members
                .iter()
                .copied()
                .filter(|&i| {
                    let s = &ctx.schools[i as usize];
                    s.shift.is_afternoon()
                        && s.session() == Session::Morning
                        && s.is_indigenous() == indigenous
                })
                .collect()
        };
        let (rural, indigenous) = (moved(false), moved(true));
        if !rural.is_empty() {
            out.push(Exception {
                rule: Rule::Shift,
                schools: codes(ctx, &rural),
                reason: Text::new("planner-afternoon-rural")
                    .arg("locality", ctx.loc_names[l])
                    .arg("n", members.len()),
                suggestion: Text::new("planner-suggest-confirm-morning-or-fix-rural"),
                unplaced: false,
            });
        }
        if !indigenous.is_empty() {
            out.push(Exception {
                rule: Rule::Shift,
                schools: codes(ctx, &indigenous),
                reason: Text::new("planner-afternoon-indigenous").arg("locality", ctx.loc_names[l]),
                suggestion: Text::new("planner-suggest-confirm-morning"),
                unplaced: false,
            });
        }
    }
    out
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
            // The nearest locality with room for these schools in one venue, else the
            // nearest: joining a locality that already fills a venue makes a cluster over
            // the size limit that nothing can split without splitting a whole locality.
            let max = ctx.opts.max_schools_per_cluster;
            let nearest = || {
                let c = ctx.loc_centroid[l]?;
                let near: Vec<(bool, f64, usize)> = grid
                    .near(c)
                    .map(|t| t as usize)
                    .filter(|&t| joins(t))
                    .filter_map(|t| {
                        let d = geo::haversine_km(c, ctx.loc_centroid[t]?);
                        let full = morning[t].len() + morning[l].len() > max;
                        (d <= radius_km).then_some((full, d, t))
                    })
                    .collect();
                near.into_iter()
                    .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)))
                    .map(|(_, _, t)| t)
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
    let (rule, id) = if ctx.loc_centroid[l].is_none() {
        (Rule::Levels, "planner-isolated-no-coordinates")
    } else if all_multigrade {
        (Rule::Multigrade, "planner-isolated-multigrade")
    } else {
        (Rule::Levels, "planner-isolated")
    };
    let reason = Text::new(id)
        .arg("locality", ctx.loc_names[l])
        .list("levels", level_names(mask))
        .arg("km", km);
    Exception {
        rule,
        schools: codes(ctx, members),
        reason,
        suggestion: Text::new("planner-suggest-supervisor-decides"),
        unplaced: true,
    }
}
