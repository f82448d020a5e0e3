//! Rule 2 and the planner's options, checked from the plan alone (no planner code).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{v, Index, Violation};
use crate::model::{stages, Cluster, Level, Rule, School, Session};
use crate::text::Text;

/// The schools of one locality inside one cluster.
type Part<'p> = (&'p Cluster, Vec<&'p School>);

/// Rule 2 and the planner's options, from the plan alone: a locality that fits one venue
/// is not split; a single-level locality meets with another level of a locality within the
/// distance option (or of the school it feeds); each part of a split locality spans the
/// stages the locality has in that session; no cluster exceeds `max_schools_per_cluster`.
/// A departure is accepted when a rule 2 exception names a school concerned. "Within the
/// distance option" rather than "the nearest": joins chain and big areas are split, so the
/// nearest locality can legitimately be in the next cluster.
pub(super) fn check(idx: &Index, out: &mut Vec<Violation>) {
    let plan = idx.plan;
    let o = &plan.options;
    let named = |codes: &mut dyn Iterator<Item = &str>| {
        let mut found = false;
        for s in codes {
            found |= idx.acknowledged.contains(&(Rule::Community, s));
        }
        found
    };
    let stage = |s: &School| match s.level {
        Level::Inicial | Level::Preescolar => 1u8,
        Level::Primaria => 2,
        Level::Secundaria => 4,
        Level::Cam => 0,
    };
    // Locality centre: mean of its schools' coordinates.
    let centre: HashMap<&str, (f64, f64)> = idx
        .by_locality
        .iter()
        .filter_map(|(l, v)| {
            let pts: Vec<(f64, f64)> = v.iter().filter_map(|s| s.coords()).collect();
            (!pts.is_empty()).then(|| {
                let n = pts.len() as f64;
                let (a, b) = pts.iter().fold((0.0, 0.0), |m, p| (m.0 + p.0, m.1 + p.1));
                (*l, (a / n, b / n))
            })
        })
        .collect();
    let km = |a: &str, b: &str| match (centre.get(a), centre.get(b)) {
        (Some(&p), Some(&q)) => crate::geo::haversine_km(p, q),
        _ => 0.0,
    };
    let mut parts: HashMap<(&str, Session), Vec<Part>> = HashMap::default();
    for c in &plan.clusters {
        let members: Vec<&School> = c
            .schools
            .iter()
            .filter_map(|code| idx.school.get(code.as_str()).copied())
            .collect();
        if members.len() > o.max_schools_per_cluster
            && !named(&mut c.schools.iter().map(|s| s.as_str()))
        {
            out.push(v(
                Rule::Community,
                Some(c.id),
                None,
                c.schools.clone(),
                Text::new("planner-v-cluster-too-big")
                    .arg("cluster", c.id)
                    .arg("n", members.len())
                    .arg("max", o.max_schools_per_cluster),
            ));
        }
        let mut by_loc: HashMap<&str, Vec<&School>> = HashMap::default();
        for s in &members {
            by_loc.entry(s.locality.as_str()).or_default().push(s);
        }
        for (l, v) in by_loc {
            parts.entry((l, c.session)).or_default().push((c, v));
        }
    }
    let mut keys: Vec<&(&str, Session)> = parts.keys().collect();
    keys.sort_by_key(|(l, s)| (*l, *s == Session::Afternoon));
    for key in keys {
        let (loc, session) = *key;
        let ps = &parts[key];
        let all: Vec<&School> = ps.iter().flat_map(|(_, v)| v.iter().copied()).collect();
        let codes = |v: &[&School]| v.iter().map(|s| s.code.clone()).collect::<Vec<_>>();
        let turno = if session == Session::Morning {
            "matutino"
        } else {
            "vespertino"
        };
        if ps.len() > 1 && all.len() <= o.max_schools_per_cluster {
            let teachers: usize = all.iter().map(|s| s.cte.len()).sum();
            let need = teachers.div_ceil(o.max_group_size.max(1) as usize);
            let venue = all.iter().any(|s| s.classrooms as usize >= need);
            if venue && !named(&mut all.iter().map(|s| s.code.as_str())) {
                out.push(v(
                    Rule::Community,
                    None,
                    None,
                    codes(&all),
                    Text::new("planner-v-locality-split")
                        .arg("locality", loc)
                        .arg("n", all.len())
                        .arg("shift", turno)
                        .arg("parts", ps.len()),
                ));
            }
        }
        let levels: HashSet<Level> = all.iter().map(|s| s.level).collect();
        if levels.len() == 1 {
            let limit = match session {
                Session::Morning => o.max_distance_km,
                Session::Afternoon => o.afternoon_distance_km,
            };
            for (c, mine) in ps {
                let ok = c
                    .schools
                    .iter()
                    .filter_map(|x| idx.school.get(x.as_str()))
                    .any(|t| {
                        t.level != mine[0].level
                            && (km(loc, &t.locality) <= limit + 1e-6
                                || mine
                                    .iter()
                                    .any(|s| s.feeds.as_deref() == Some(t.code.as_str())))
                    });
                if !ok && !named(&mut mine.iter().map(|s| s.code.as_str())) {
                    out.push(v(
                        Rule::Community,
                        Some(c.id),
                        None,
                        codes(mine),
                        Text::new("planner-v-single-level-alone")
                            .arg("locality", loc)
                            .arg("level", mine[0].level.name_es())
                            .arg("cluster", c.id)
                            .arg("km", limit),
                    ));
                }
            }
        }
        if ps.len() > 1 {
            let want = all.iter().fold(0u8, |m, s| m | stage(s));
            for (c, mine) in ps {
                let have = c
                    .schools
                    .iter()
                    .filter_map(|x| idx.school.get(x.as_str()))
                    .fold(0u8, |m, s| m | stage(s));
                let missing = want & !have & 0b111;
                if missing != 0 && !named(&mut mine.iter().map(|s| s.code.as_str())) {
                    out.push(v(
                        Rule::Community,
                        Some(c.id),
                        None,
                        codes(mine),
                        Text::new("planner-v-part-missing-stages")
                            .arg("locality", loc)
                            .arg("cluster", c.id)
                            .text("missing", stages(missing))
                            .arg("shift", turno),
                    ));
                }
            }
        }
    }
}
