//! What the plan pages show, computed from the planner's `Plan`.

use std::collections::HashMap;

use redes_planner::{Plan, Role, School, Session};
use serde::Serialize;

fn role_es(role: Role) -> &'static str {
    match role {
        Role::Director => "Director(a)",
        Role::Subdirector => "Subdirector(a)",
        Role::Atp => "ATP",
        Role::Teacher => "Docente",
    }
}

struct Index<'a> {
    schools: HashMap<&'a str, &'a School>,
    /// teacher id → (school, assignment, role)
    teachers: HashMap<&'a str, (&'a School, &'a str, Role)>,
}

fn index(plan: &Plan) -> Index<'_> {
    let schools = plan.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let teachers = plan
        .schools
        .iter()
        .flat_map(|s| {
            s.cte
                .iter()
                .map(move |m| (m.teacher_id.as_str(), (s, m.assignment.as_str(), m.role)))
        })
        .collect();
    Index { schools, teachers }
}

#[derive(Serialize)]
pub struct SummaryView {
    schools: usize,
    clusters: usize,
    groups: usize,
    teachers: usize,
    unplaced: usize,
    by_rule: Vec<(String, usize, usize)>,
}

pub fn summary(plan: &Plan) -> SummaryView {
    let s = plan.summary();
    SummaryView {
        schools: s.schools,
        clusters: s.clusters,
        groups: s.groups,
        teachers: s.teachers,
        unplaced: s.unplaced_schools,
        by_rule: s
            .exceptions_by_rule
            .iter()
            .map(|(rule, (n, schools))| (rule.label_es().to_string(), *n, *schools))
            .collect(),
    }
}

#[derive(Serialize)]
struct Coordinator {
    name: String,
    school: String,
    role: &'static str,
}

#[derive(Serialize)]
struct GroupView {
    number: usize,
    size: usize,
    by_school: Vec<(String, usize)>,
    coordinators: Vec<Coordinator>,
}

#[derive(Serialize)]
struct SchoolRow {
    code: String,
    name: String,
    level: &'static str,
    shift: String,
    teachers: usize,
    host: bool,
    /// The school's supervision zone; empty for none.
    zone: String,
}

#[derive(Serialize)]
pub struct ClusterView {
    id: usize,
    afternoon: bool,
    host_name: String,
    host_classrooms: u32,
    /// The supervision zones of the cluster's schools: their supervisors
    /// agree the plan together (seed 003).
    zones: Vec<String>,
    schools: Vec<SchoolRow>,
    groups: Vec<GroupView>,
}

fn coordinator(ix: &Index, teacher: &str) -> Coordinator {
    match ix.teachers.get(teacher) {
        Some((school, _, role)) => Coordinator {
            name: teacher.to_string(),
            school: school.name.clone(),
            role: role_es(*role),
        },
        None => Coordinator {
            name: teacher.to_string(),
            school: String::new(),
            role: "",
        },
    }
}

pub fn clusters(plan: &Plan) -> Vec<ClusterView> {
    let ix = index(plan);
    plan.clusters
        .iter()
        .map(|c| {
            let host = ix.schools.get(c.host.as_str());
            let schools = c
                .schools
                .iter()
                .filter_map(|code| ix.schools.get(code.as_str()))
                .map(|s| SchoolRow {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    level: s.level.name_es(),
                    shift: format!("{:?}", s.shift).to_lowercase(),
                    teachers: s.cte.len(),
                    host: s.code == c.host,
                    zone: s.zone.clone().unwrap_or_default(),
                })
                .collect();
            let groups = c
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let mut by_school: Vec<(String, usize)> = Vec::new();
                    for code in &c.schools {
                        let n = g.members.iter().filter(|m| &m.school == code).count();
                        let name = ix
                            .schools
                            .get(code.as_str())
                            .map(|s| s.name.clone())
                            .unwrap_or_else(|| code.clone());
                        by_school.push((name, n));
                    }
                    GroupView {
                        number: i + 1,
                        size: g.members.len(),
                        by_school,
                        coordinators: g.coordinators.iter().map(|t| coordinator(&ix, t)).collect(),
                    }
                })
                .collect();
            ClusterView {
                id: c.id,
                afternoon: c.session == Session::Afternoon,
                host_name: host
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| c.host.clone()),
                host_classrooms: host.map(|s| s.classrooms).unwrap_or(0),
                zones: c.zones.clone(),
                schools,
                groups,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct ExceptionView {
    rule: &'static str,
    schools: Vec<String>,
    reason: String,
    suggestion: String,
    unplaced: bool,
}

pub fn exceptions(plan: &Plan) -> Vec<ExceptionView> {
    let ix = index(plan);
    plan.exceptions
        .iter()
        .map(|e| ExceptionView {
            rule: e.rule.label_es(),
            schools: e
                .schools
                .iter()
                .map(|c| {
                    ix.schools
                        .get(c.as_str())
                        .map(|s| s.name.clone())
                        .unwrap_or_else(|| c.clone())
                })
                .collect(),
            reason: e.reason.clone(),
            suggestion: e.suggestion.clone(),
            unplaced: e.unplaced,
        })
        .collect()
}

#[derive(Serialize)]
pub struct ViolationView {
    rule: &'static str,
    cluster: Option<usize>,
    message: String,
}

pub fn violations(plan: &Plan) -> Vec<ViolationView> {
    redes_planner::validate(plan)
        .into_iter()
        .map(|v| ViolationView {
            rule: v.rule.label_es(),
            cluster: v.cluster,
            message: v.message,
        })
        .collect()
}

#[derive(Serialize)]
pub struct Point {
    code: String,
    name: String,
    lat: f64,
    lon: f64,
    cluster: Option<usize>,
    host: bool,
}

/// Schools with coordinates, for the map.
pub fn points(plan: &Plan) -> Vec<Point> {
    let cluster_of: HashMap<&str, (usize, bool)> = plan
        .clusters
        .iter()
        .flat_map(|c| {
            c.schools
                .iter()
                .map(move |s| (s.as_str(), (c.id, *s == c.host)))
        })
        .collect();
    plan.schools
        .iter()
        .filter_map(|s| {
            let (lat, lon) = (s.lat?, s.lon?);
            let placed = cluster_of.get(s.code.as_str());
            Some(Point {
                code: s.code.clone(),
                name: s.name.clone(),
                lat,
                lon,
                cluster: placed.map(|p| p.0),
                host: placed.is_some_and(|p| p.1),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct RosterLine {
    teacher: String,
    school: String,
    assignment: String,
    role: &'static str,
}

#[derive(Serialize)]
struct RosterGroup {
    number: usize,
    coordinators: Vec<Coordinator>,
    lines: Vec<RosterLine>,
}

#[derive(Serialize)]
pub struct Roster {
    cluster: usize,
    host_name: String,
    host_code: String,
    schools: Vec<String>,
    /// The zones whose supervisors are involved (`Cluster::zones`).
    zones: Vec<String>,
    groups: Vec<RosterGroup>,
}

/// Rosters and attendance lists per host school and group.
pub fn rosters(plan: &Plan) -> Vec<Roster> {
    let ix = index(plan);
    plan.clusters
        .iter()
        .map(|c| Roster {
            cluster: c.id,
            host_name: ix
                .schools
                .get(c.host.as_str())
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            host_code: c.host.clone(),
            schools: c
                .schools
                .iter()
                .filter_map(|code| ix.schools.get(code.as_str()).map(|s| s.name.clone()))
                .collect(),
            zones: c.zones.clone(),
            groups: c
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| RosterGroup {
                    number: i + 1,
                    coordinators: g.coordinators.iter().map(|t| coordinator(&ix, t)).collect(),
                    lines: g
                        .members
                        .iter()
                        .map(|m| match ix.teachers.get(m.teacher.as_str()) {
                            Some((school, assignment, role)) => RosterLine {
                                teacher: m.teacher.clone(),
                                school: school.name.clone(),
                                assignment: assignment.to_string(),
                                role: role_es(*role),
                            },
                            None => RosterLine {
                                teacher: m.teacher.clone(),
                                school: m.school.clone(),
                                assignment: String::new(),
                                role: "",
                            },
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
