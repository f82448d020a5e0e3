//! Moving a school by hand (the supervisor's decision). The move is never refused for
//! breaking a rule: the caller runs [`crate::validate`] to show what it breaks.

use rustc_hash::FxHashMap as HashMap;

use crate::error::ReassignError;
use crate::geo;
use crate::grouping::make_groups;
use crate::model::{Cluster, Exception, Plan, Rule, School};
use crate::text::Text;

/// Moves `school_code` (from its cluster, or from the unplaced exceptions) into the cluster
/// whose id is `target_cluster`; regroups, re-coordinates and re-picks the host of both
/// affected clusters. A cluster left empty is removed.
pub fn reassign(
    plan: &mut Plan,
    school_code: &str,
    target_cluster: usize,
) -> Result<(), ReassignError> {
    if !plan.schools.iter().any(|s| s.code == school_code) {
        return Err(ReassignError::UnknownSchool(school_code.to_string()));
    }
    let target = plan
        .clusters
        .iter()
        .position(|c| c.id == target_cluster)
        .ok_or(ReassignError::UnknownCluster(target_cluster))?;
    let source = plan
        .clusters
        .iter()
        .position(|c| c.schools.iter().any(|s| s == school_code));
    if source == Some(target) {
        return Ok(());
    }
    for e in plan.exceptions.iter_mut().filter(|e| e.unplaced) {
        e.schools.retain(|s| s != school_code);
    }
    plan.exceptions.retain(|e| !e.schools.is_empty());
    plan.clusters[target].schools.push(school_code.to_string());
    let mut touched = vec![target];
    if let Some(s) = source {
        plan.clusters[s].schools.retain(|c| c != school_code);
        touched.push(s);
    }
    for &c in &touched {
        rebuild(plan, c);
    }
    plan.clusters.retain(|c| !c.schools.is_empty());
    Ok(())
}

/// Regroups one cluster and re-picks its host, refreshing its rule 6 exception.
fn rebuild(plan: &mut Plan, c: usize) {
    let by_code: HashMap<&str, &School> =
        plan.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let members: Vec<&School> = plan.clusters[c]
        .schools
        .iter()
        .filter_map(|code| by_code.get(code.as_str()).copied())
        .collect();
    let groups = make_groups(&members, plan.options.max_group_size);
    let (host, ok) = pick_host(plan, &members, groups.len());
    let codes: Vec<String> = members.iter().map(|s| s.code.clone()).collect();
    let zones = crate::model::zones_of(members.iter().copied());
    let exception = (!ok && !members.is_empty()).then(|| Exception {
        rule: Rule::Host,
        schools: codes.clone(),
        reason: Text::new("planner-host-short-after-move").arg("need", groups.len()),
        suggestion: Text::new("planner-suggest-bigger-host-or-move"),
        unplaced: false,
    });
    let cluster: &mut Cluster = &mut plan.clusters[c];
    cluster.groups = groups;
    cluster.host = host;
    cluster.zones = zones;
    plan.exceptions
        .retain(|e| !(e.rule == Rule::Host && e.schools.iter().any(|s| codes.contains(s))));
    plan.exceptions.extend(exception);
}

/// Host with enough classrooms minimising teacher-km, else the one with most classrooms.
fn pick_host(plan: &Plan, members: &[&School], groups: usize) -> (String, bool) {
    let centroid = |loc: &str| {
        geo::centroid(
            plan.schools
                .iter()
                .filter(|s| s.locality == loc)
                .map(|s| s.coords()),
        )
    };
    let pos: Vec<Option<(f64, f64)>> = members
        .iter()
        .map(|s| s.coords().or_else(|| centroid(&s.locality)))
        .collect();
    let travel = |h: usize| -> f64 {
        (0..members.len())
            .map(|i| geo::dist(pos[i], pos[h]).unwrap_or(0.0) * members[i].cte.len() as f64)
            .sum()
    };
    let fit = (0..members.len())
        .filter(|&h| members[h].classrooms as usize >= groups)
        .min_by(|&a, &b| travel(a).total_cmp(&travel(b)));
    match fit {
        Some(h) => (members[h].code.clone(), true),
        None => (
            members
                .iter()
                .max_by_key(|s| s.classrooms)
                .map(|s| s.code.clone())
                .unwrap_or_default(),
            false,
        ),
    }
}
