//! # Encounter planner (seed 003, "Encuentro entre escuelas")
//!
//! Pure library, no I/O: schools in, a [`Plan`] out, and an independent [`validate()`].
//!
//! ## Rules (DESIGN.md, "The encounter planner")
//! 1. A cluster has CTEs of at least two levels (CAM counts as a level).
//! 2. Clusters follow the community: all schools of a locality meet together; big localities
//!    are split by colonia and proximity, each part still spanning levels; a locality of one
//!    level joins the nearest locality with another level.
//! 3. Urban afternoon (vespertino) schools meet with afternoon schools of other levels; when
//!    their locality has none, with the morning schools (reported as an exception). Rural and
//!    indigenous schools meet in the morning.
//! 4. Multigrade schools meet with another-level school of their locality, else with the
//!    school they feed (`feeds`), else the nearest locality with another level.
//! 5. CAM meets with any level.
//! 6. The host has a classroom per group.
//! 7. Groups of at most `max_group_size`, as few as possible, every CTE spread evenly.
//! 8. Directors coordinate, then deputies and ATPs; a single group rotates its coordinator.
//!
//! ## Context (rural, urban, afternoon)
//! Rule 3 depends on the context, which is input: `School::rural` and the indigenous service
//! ([`Modality::Indigena`]). The SEP catalogue has no rural flag, so [`queretaro::parse`]
//! derives it from what the file says: a locality with fewer than
//! [`queretaro::URBAN_MIN_SCHOOLS`] (8) public basic-education schools is rural, and so is a
//! CONAFE community school; every other school is urban, municipal seat or not. Because the
//! flag may be derived, every afternoon school that meets in the morning (rural, indigenous,
//! or with no afternoon school of another level near) is named in a rule 3 exception with
//! its reason, and the validator reports one that is not.
//!
//! ## Rule 2 and the options, as the validator checks them
//! A locality that fits one venue is not split; a single-level locality meets with another
//! level of a locality within `max_distance_km` (`afternoon_distance_km` in the afternoon)
//! or with the school it feeds; each part of a split locality spans the stages the locality
//! has; no cluster has more than `max_schools_per_cluster` schools. The planner reports each
//! departure (a part without secundaria, say, because the city has fewer secundarias than
//! parts) in a rule 2 exception with its reason.
//!
//! ## Algorithm
//! * **Areas** ([`cluster`] module docs): localities split by session; urban afternoon
//!   schools of one level join the nearest afternoon schools of another level within
//!   `afternoon_distance_km`, else the morning schools of their locality (rule 3 exception);
//!   single-level morning localities are joined (union-find) to the locality their pupils go
//!   to (`feeds`), else the nearest locality with another level within `max_distance_km`
//!   (grid index, O(n)). Isolated ones become unplaced exceptions with a suggestion for the
//!   supervisor.
//! * **Clusters**: every area is independent and processed in parallel (rayon). An area that
//!   fits one venue (≤ `max_schools_per_cluster` schools and a host with enough classrooms)
//!   is one cluster. Bigger areas keep small localities whole and cut big ones into units
//!   (same colonia, feeder pairs, multigrade or CAM + another level of the locality, a lone
//!   multigrade school + the school it feeds); units are assigned by
//!   capacitated k-means from seeds spread over the area (secundarias first), improved by a
//!   local search that moves units to nearby clusters and swaps units between neighbouring
//!   clusters while [`cost()`] decreases; a path pass then hands a unit with a missing stage
//!   (typically a secundaria) from a nearby part that keeps that stage, moving or swapping;
//!   a cluster left with one level takes a unit of another level a neighbour can spare, or
//!   else is merged with its nearest neighbour (reported if that exceeds the size limit). Where a size limit keeps a multigrade school or a CAM away from
//!   its locality, a rule 4/5 notice says so.
//! * **Hosts**: the school with enough classrooms minimising teacher-km; otherwise the one with
//!   most classrooms and a rule 6 exception.
//! * **Groups** ([`grouping`]): `g = ceil(T / 30)`; each CTE gives `floor(n/g)` to every group
//!   and its remainder to the currently smallest groups (largest remainders first), so sizes
//!   differ by at most one; directors are matched to groups (bipartite matching), then
//!   deputies/ATPs; the rest are dealt round-robin by grade or subject.
//!
//! ## Cost function ([`cost()`])
//! `total = 100 000·exceptions + 5 000·span_deficit + 1·teacher_km + 100·venues`, in this
//! priority: fewest exceptions (schools named in rule exceptions) ≫ clusters spanning the
//! stages (inicial/preescolar → primaria → secundaria) present in the localities they draw
//! from ≫ least teacher travel to the host (haversine; locality centroid when coordinates
//! are missing) ≫ fewer, fuller venues. Travel alone is never minimised: the locality rules
//! are constraints, and the span term outweighs any realistic travel saving.
//!
//! ## Quality and scale
//! On small instances (30–60 schools) the planner's cost is within a few percent of the
//! optimum of an exact integer programme (`examples/exact_gap.rs`, feature `exact`; median
//! gap 0 %). All of Mexico (≈230 000 schools, 1.3 M teachers) takes about 1.4 CPU-seconds
//! (two threads) and 330 MiB of heap including the input; see `benches/plan.rs` and
//! `README.md`.

pub mod cluster;
pub mod cost;
mod csv_check;
pub mod csv_io;
pub mod cte;
pub mod error;
pub mod geo;
pub mod grouping;
pub mod model;
pub mod queretaro;
mod reassign;
pub mod summary;
pub mod synthetic;
pub mod text;
pub mod validate;

#[cfg(feature = "exact")]
#[doc(hidden)]
pub mod exact;

use rustc_hash::FxHashSet as HashSet;

use rayon::prelude::*;

pub use cost::{cost, Cost};
pub use csv_io::{parse_schools_csv, plan_to_csv};
pub use error::{FieldError, InputError, InputErrors, ReassignError};
pub use model::*;
pub use reassign::reassign;
pub use summary::Summary;
pub use text::{Arg, Text};
pub use validate::{validate, Violation};

/// Plans the encounters for `schools`. Fails only on malformed input (duplicate codes or
/// teacher ids, invalid options); schools the rules cannot place are reported in
/// [`Plan::exceptions`], never dropped.
pub fn plan(schools: Vec<School>, options: &Options) -> Result<Plan, InputError> {
    plan_with_progress(schools, options, &|_, _| {})
}

/// As [`plan`], calling `progress(done, total)` as areas are planned (an area is a locality,
/// or localities joined because one of them has a single level; the afternoon schools of a
/// locality form their own area). Called from any thread, at least at 0 and at `total`.
pub fn plan_with_progress(
    schools: Vec<School>,
    options: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Plan, InputError> {
    check_input(&schools, options)?;
    let outcome = cluster::build(&schools, options, progress);
    Ok(assemble(schools, options, outcome))
}

/// Groups and coordinators for every drafted cluster (in parallel), and the final plan.
pub(crate) fn assemble(schools: Vec<School>, options: &Options, outcome: cluster::Outcome) -> Plan {
    let clusters: Vec<Cluster> = outcome
        .drafts
        .par_iter()
        .enumerate()
        .map(|(k, d)| cluster_from_draft(&schools, options, k + 1, d))
        .collect();
    Plan {
        options: options.clone(),
        schools,
        clusters,
        exceptions: outcome.exceptions,
    }
}

fn cluster_from_draft(
    schools: &[School],
    options: &Options,
    id: usize,
    d: &cluster::Draft,
) -> Cluster {
    let members: Vec<&School> = d.members.iter().map(|&i| &schools[i]).collect();
    Cluster {
        id,
        session: d.session,
        schools: members.iter().map(|s| s.code.clone()).collect(),
        host: schools[d.host].code.clone(),
        groups: grouping::make_groups(&members, options.max_group_size),
        zones: zones_of(members.iter().copied()),
    }
}

pub(crate) fn check_input(schools: &[School], options: &Options) -> Result<(), InputError> {
    if options.max_group_size == 0 {
        return Err(InputError::InvalidOptions(
            "el tamaño máximo de grupo debe ser al menos 1".into(),
        ));
    }
    if options.max_schools_per_cluster < 2 {
        return Err(InputError::InvalidOptions(
            "un grupo de escuelas debe admitir al menos 2 escuelas".into(),
        ));
    }
    let bad = |d: f64| d.is_nan() || d < 0.0;
    if bad(options.max_distance_km) || bad(options.afternoon_distance_km) {
        return Err(InputError::InvalidOptions(
            "las distancias máximas deben ser números no negativos".into(),
        ));
    }
    let mut codes = HashSet::with_capacity_and_hasher(schools.len(), Default::default());
    for (i, s) in schools.iter().enumerate() {
        if s.code.trim().is_empty() {
            return Err(InputError::EmptyCode(i + 1));
        }
        if !codes.insert(s.code.as_str()) {
            return Err(InputError::DuplicateCode(s.code.clone()));
        }
    }
    // Sorting 64-bit hashes in parallel finds repeated teacher ids much faster than sorting
    // or hashing a million strings; only equal hashes compare the strings.
    let mut hashed: Vec<(u64, u32, u32)> = schools
        .par_iter()
        .enumerate()
        .flat_map_iter(|(si, s)| {
            s.cte.iter().enumerate().map(move |(mi, m)| {
                let mut h = rustc_hash::FxHasher::default();
                std::hash::Hash::hash(m.teacher_id.as_str(), &mut h);
                (std::hash::Hasher::finish(&h), si as u32, mi as u32)
            })
        })
        .collect();
    hashed.par_sort_unstable();
    let id =
        |&(_, si, mi): &(u64, u32, u32)| schools[si as usize].cte[mi as usize].teacher_id.as_str();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        for (i, a) in run.iter().enumerate() {
            if let Some(b) = run[i + 1..].iter().find(|b| id(b) == id(a)) {
                return Err(InputError::DuplicateTeacher {
                    school: schools[b.1 as usize].code.clone(),
                    teacher: id(a).to_string(),
                });
            }
        }
    }
    Ok(())
}
