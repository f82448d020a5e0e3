//! Independent validator: checks a plan (also one edited by hand) against every rule without
//! reusing the planner's code. Violations acknowledged by an exception of the same rule that
//! names the school (afternoon schools in the morning, hosts without enough classrooms,
//! multigrade schools) are not reported again.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

mod community;
mod coordinators;

use crate::model::{Cluster, Level, Plan, Role, Rule, School, Session};
use crate::text::Text;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub rule: Rule,
    /// Cluster id, when the violation is inside a cluster.
    pub cluster: Option<usize>,
    /// Group index (0-based) inside the cluster.
    pub group: Option<usize>,
    pub schools: Vec<String>,
    pub message: Text,
}

struct Index<'p> {
    plan: &'p Plan,
    school: HashMap<&'p str, &'p School>,
    /// teacher id → (school code, role)
    teacher: HashMap<&'p str, (&'p str, Role)>,
    /// (rule, school code) pairs acknowledged by exceptions.
    acknowledged: HashSet<(Rule, &'p str)>,
    /// school code → session of the cluster it is placed in.
    placed_session: HashMap<&'p str, Session>,
    /// locality → its schools.
    by_locality: HashMap<&'p str, Vec<&'p School>>,
}

/// Checks every rule; an empty result means the plan is valid.
pub fn validate(plan: &Plan) -> Vec<Violation> {
    let idx = index(plan);
    let mut out = Vec::new();
    completeness(&idx, &mut out);
    community::check(&idx, &mut out);
    let mut ids = HashSet::default();
    for c in &plan.clusters {
        if !ids.insert(c.id) {
            out.push(v(
                Rule::Completeness,
                Some(c.id),
                None,
                vec![],
                Text::new("planner-v-repeated-cluster-id").arg("cluster", c.id),
            ));
        }
    }
    // Clusters are checked independently of each other.
    let per_cluster: Vec<Vec<Violation>> = plan
        .clusters
        .par_iter()
        .map(|c| {
            let mut out = Vec::new();
            let schools: Vec<&School> = c
                .schools
                .iter()
                .filter_map(|code| idx.school.get(code.as_str()).copied())
                .collect();
            levels(c, &schools, &mut out);
            shifts(&idx, c, &schools, &mut out);
            multigrade(&idx, c, &schools, &mut out);
            cam(&idx, c, &schools, &mut out);
            host(&idx, c, &mut out);
            groups(&idx, c, &schools, &mut out);
            coordinators::check(&idx, c, &mut out);
            out
        })
        .collect();
    out.extend(per_cluster.into_iter().flatten());
    out
}

fn v(
    rule: Rule,
    cluster: Option<usize>,
    group: Option<usize>,
    schools: Vec<String>,
    message: Text,
) -> Violation {
    Violation {
        rule,
        cluster,
        group,
        schools,
        message,
    }
}

fn index(plan: &Plan) -> Index<'_> {
    let school = plan.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teacher = plan
        .schools
        .iter()
        .flat_map(|s| {
            s.cte
                .iter()
                .map(move |m| (m.teacher_id.as_str(), (s.code.as_str(), m.role)))
        })
        .collect();
    let acknowledged = plan
        .exceptions
        .iter()
        .flat_map(|e| e.schools.iter().map(move |s| (e.rule, s.as_str())))
        .collect();
    let placed_session = plan
        .clusters
        .iter()
        .flat_map(|c| c.schools.iter().map(move |s| (s.as_str(), c.session)))
        .collect();
    let mut by_locality: HashMap<&str, Vec<&School>> = HashMap::default();
    for s in &plan.schools {
        by_locality.entry(s.locality.as_str()).or_default().push(s);
    }
    Index {
        by_locality,
        plan,
        school,
        teacher,
        acknowledged,
        placed_session,
    }
}

/// Every school exactly once (a cluster or an unplaced exception); every teacher of a placed
/// school exactly once, in a group of its school's cluster.
fn completeness(idx: &Index, out: &mut Vec<Violation>) {
    let plan = idx.plan;
    let mut seen: HashMap<&str, usize> = HashMap::default();
    for c in &plan.clusters {
        for code in &c.schools {
            *seen.entry(code).or_default() += 1;
            if !idx.school.contains_key(code.as_str()) {
                out.push(v(
                    Rule::Completeness,
                    Some(c.id),
                    None,
                    vec![code.clone()],
                    Text::new("planner-v-unknown-school").arg("school", code),
                ));
            }
        }
    }
    for e in plan.exceptions.iter().filter(|e| e.unplaced) {
        for code in &e.schools {
            *seen.entry(code).or_default() += 1;
        }
    }
    for s in &plan.schools {
        let n = seen.get(s.code.as_str()).copied().unwrap_or(0);
        if n != 1 {
            let id = if n == 0 {
                "planner-v-school-nowhere"
            } else {
                "planner-v-school-repeated"
            };
            let msg = Text::new(id).arg("school", &s.code).arg("n", n);
            out.push(v(Rule::Completeness, None, None, vec![s.code.clone()], msg));
        }
    }
    let mut teacher_seen: HashMap<&str, usize> = HashMap::default();
    for c in &plan.clusters {
        let in_cluster: HashSet<&str> = c.schools.iter().map(|s| s.as_str()).collect();
        for (gi, g) in c.groups.iter().enumerate() {
            for m in &g.members {
                *teacher_seen.entry(m.teacher.as_str()).or_default() += 1;
                match idx.teacher.get(m.teacher.as_str()) {
                    Some((school, _)) if *school == m.school && in_cluster.contains(school) => {}
                    Some((school, _)) => out.push(v(
                        Rule::Completeness,
                        Some(c.id),
                        Some(gi),
                        vec![school.to_string()],
                        Text::new("planner-v-teacher-elsewhere")
                            .arg("teacher", &m.teacher)
                            .arg("school", school)
                            .arg("given", &m.school),
                    )),
                    None => out.push(v(
                        Rule::Completeness,
                        Some(c.id),
                        Some(gi),
                        vec![m.school.clone()],
                        Text::new("planner-v-teacher-unknown").arg("teacher", &m.teacher),
                    )),
                }
            }
        }
    }
    for c in &plan.clusters {
        for code in &c.schools {
            let Some(s) = idx.school.get(code.as_str()) else {
                continue;
            };
            for t in &s.cte {
                let n = teacher_seen
                    .get(t.teacher_id.as_str())
                    .copied()
                    .unwrap_or(0);
                if n != 1 {
                    out.push(v(
                        Rule::Completeness,
                        Some(c.id),
                        None,
                        vec![code.clone()],
                        Text::new("planner-v-teacher-repeated")
                            .arg("teacher", &t.teacher_id)
                            .arg("school", code)
                            .arg("n", n),
                    ));
                }
            }
        }
    }
}

fn levels(c: &Cluster, schools: &[&School], out: &mut Vec<Violation>) {
    let distinct: HashSet<Level> = schools.iter().map(|s| s.level).collect();
    if distinct.len() < 2 {
        out.push(v(
            Rule::Levels,
            Some(c.id),
            None,
            c.schools.clone(),
            Text::new("planner-v-one-level").arg("cluster", c.id),
        ));
    }
}

fn meets_in_afternoon(s: &School) -> bool {
    s.shift == crate::model::Shift::Vespertino
        && !s.rural
        && s.modality != crate::model::Modality::Indigena
}

fn shifts(idx: &Index, c: &Cluster, schools: &[&School], out: &mut Vec<Violation>) {
    for s in schools {
        match c.session {
            Session::Afternoon if !meets_in_afternoon(s) => {
                let id = if s.rural || s.modality == crate::model::Modality::Indigena {
                    "planner-v-rural-in-afternoon"
                } else {
                    "planner-v-morning-in-afternoon"
                };
                out.push(v(
                    Rule::Shift,
                    Some(c.id),
                    None,
                    vec![s.code.clone()],
                    Text::new(id).arg("school", &s.code),
                ));
            }
            // Rural and indigenous afternoon schools belong in the morning, but the move must
            // still be named: the context is often derived, and a supervisor confirms it.
            Session::Morning
                if s.shift == crate::model::Shift::Vespertino
                    && !idx.acknowledged.contains(&(Rule::Shift, s.code.as_str())) =>
            {
                let id = if meets_in_afternoon(s) {
                    "planner-v-afternoon-in-morning"
                } else {
                    "planner-v-rural-afternoon-in-morning"
                };
                out.push(v(
                    Rule::Shift,
                    Some(c.id),
                    None,
                    vec![s.code.clone()],
                    Text::new(id).arg("school", &s.code),
                ));
            }
            _ => {}
        }
    }
}

/// Rule 4: a multigrade school meets with another-level school of its locality when one
/// meets in the same session; otherwise with the school it feeds, if given.
fn multigrade(idx: &Index, c: &Cluster, schools: &[&School], out: &mut Vec<Violation>) {
    for m in schools.iter().filter(|s| {
        matches!(
            s.modality,
            crate::model::Modality::Multigrado | crate::model::Modality::Comunitario
        )
    }) {
        if idx
            .acknowledged
            .contains(&(Rule::Multigrade, m.code.as_str()))
        {
            continue;
        }
        let local_other = idx.by_locality[m.locality.as_str()].iter().any(|s| {
            s.locality == m.locality
                && s.level != m.level
                && idx.placed_session.get(s.code.as_str()) == Some(&c.session)
        });
        if local_other {
            let ok = schools
                .iter()
                .any(|s| s.locality == m.locality && s.level != m.level);
            if !ok {
                out.push(v(
                    Rule::Multigrade,
                    Some(c.id),
                    None,
                    vec![m.code.clone()],
                    Text::new("planner-v-multigrade-apart").arg("school", &m.code),
                ));
            }
        } else if let Some(f) = m.feeds.as_deref() {
            if idx.school.contains_key(f)
                && !c.schools.iter().any(|s| s == f)
                && idx.placed_session.contains_key(f)
            {
                out.push(v(
                    Rule::Multigrade,
                    Some(c.id),
                    None,
                    vec![m.code.clone()],
                    Text::new("planner-v-multigrade-apart-from-feeder")
                        .arg("school", &m.code)
                        .arg("feeds", f),
                ));
            }
        }
    }
}

/// Rule 5: a CAM meets with schools of its own locality when any meets in the same session.
fn cam(idx: &Index, c: &Cluster, schools: &[&School], out: &mut Vec<Violation>) {
    for m in schools.iter().filter(|s| s.level == Level::Cam) {
        if idx.acknowledged.contains(&(Rule::Cam, m.code.as_str())) {
            continue;
        }
        let neighbours = idx.by_locality[m.locality.as_str()].iter().any(|s| {
            s.code != m.code && idx.placed_session.get(s.code.as_str()) == Some(&c.session)
        });
        let together = schools
            .iter()
            .any(|s| s.code != m.code && s.locality == m.locality);
        if neighbours && !together {
            out.push(v(
                Rule::Cam,
                Some(c.id),
                None,
                vec![m.code.clone()],
                Text::new("planner-v-cam-apart").arg("school", &m.code),
            ));
        }
    }
}

fn host(idx: &Index, c: &Cluster, out: &mut Vec<Violation>) {
    if !c.schools.contains(&c.host) {
        out.push(v(
            Rule::Host,
            Some(c.id),
            None,
            vec![c.host.clone()],
            Text::new("planner-v-host-outside")
                .arg("school", &c.host)
                .arg("cluster", c.id),
        ));
        return;
    }
    let Some(h) = idx.school.get(c.host.as_str()) else {
        return;
    };
    if (h.classrooms as usize) < c.groups.len()
        && !idx.acknowledged.contains(&(Rule::Host, h.code.as_str()))
    {
        out.push(v(
            Rule::Host,
            Some(c.id),
            None,
            vec![h.code.clone()],
            Text::new("planner-v-host-short")
                .arg("school", &h.code)
                .arg("classrooms", h.classrooms)
                .arg("groups", c.groups.len()),
        ));
    }
}

fn groups(idx: &Index, c: &Cluster, schools: &[&School], out: &mut Vec<Violation>) {
    let max = idx.plan.options.max_group_size.max(1) as usize;
    let total: usize = schools.iter().map(|s| s.cte.len()).sum();
    let want = total.div_ceil(max);
    if c.groups.len() != want {
        out.push(v(
            Rule::Groups,
            Some(c.id),
            None,
            vec![],
            Text::new("planner-v-group-count")
                .arg("teachers", total)
                .arg("want", want)
                .arg("max", max)
                .arg("groups", c.groups.len()),
        ));
    }
    for (gi, g) in c.groups.iter().enumerate() {
        if g.members.len() > max {
            out.push(v(
                Rule::Groups,
                Some(c.id),
                Some(gi),
                vec![],
                Text::new("planner-v-group-too-big")
                    .arg("group", gi + 1)
                    .arg("n", g.members.len())
                    .arg("max", max),
            ));
        }
    }
    let mut per_school: HashMap<&str, Vec<usize>> = HashMap::default();
    for (gi, g) in c.groups.iter().enumerate() {
        for m in &g.members {
            per_school
                .entry(m.school.as_str())
                .or_insert_with(|| vec![0; c.groups.len()])[gi] += 1;
        }
    }
    for s in schools {
        let counts = per_school
            .get(s.code.as_str())
            .cloned()
            .unwrap_or_else(|| vec![0; c.groups.len()]);
        let (lo, hi) = (counts.iter().min(), counts.iter().max());
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if hi - lo > 1 {
                out.push(v(
                    Rule::Groups,
                    Some(c.id),
                    None,
                    vec![s.code.clone()],
                    Text::new("planner-v-uneven").arg("school", &s.code).arg(
                        "counts",
                        counts
                            .iter()
                            .map(|n| n.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ));
            }
        }
    }
}
