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

mod area;
mod areas;
mod context;
mod evaluate;
mod host;
mod kmeans;
mod path;
mod search;
mod union_find;
mod units;

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::{Exception, Options, School, Session};

pub(crate) use areas::{areas, missing_coordinate_notices};
pub(crate) use context::{area_ctx, AreaCtx, Ctx};
pub(crate) use host::finish;
pub(crate) use units::{units, Unit};

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
            let r = area::plan_area(&ctx, a);
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
