//! What the plan pages show, computed from the planner's `Plan` and the
//! names the registry knows (`Names`).

use std::collections::HashMap;

use redes_planner::{Arg, Plan, Role, School, Session, Text};
use serde::Serialize;

/// A planner's sentence (an exception's reason, a violation) as the
/// message `t()` shows in the reader's language and `text::es` in Spanish.
pub fn message(text: &Text) -> String {
    let args: Vec<(&str, String)> = text
        .args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Word(word) => word.clone(),
                Arg::Text(text) => message(text),
                Arg::List(items) => {
                    crate::text::list(&items.iter().map(message).collect::<Vec<_>>())
                }
            };
            (name.as_str(), value)
        })
        .collect();
    let args: Vec<(&str, &dyn std::fmt::Display)> = args
        .iter()
        .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
        .collect();
    crate::text::message(&text.id, &args)
}

/// Who holds a CTE seat, where the registry knows it: the seat's teacher
/// id (`22DPR0001B-D1`, `22DPR0001B-T03`) → the person's name.
pub type Names = HashMap<String, String>;

/// A person with a role at a school of the plan, as the store reads them
/// (`store::school_people`), in the order they take the school's seats.
pub struct KnownPerson {
    pub school_code: String,
    pub role: crate::auth::policy::Role,
    pub full_name: String,
}

/// Seats each school's people in its CTE: the n-th director (ordered by
/// name) takes seat `D{n}`, the n-th technical head (a subdirector in
/// Mexico) `S{n}`, adviser (ATP) `A{n}`, teacher `T{nn}`. Seats nobody in
/// the registry holds keep no name; the pages then show the seat.
pub fn names(people: &[KnownPerson]) -> Names {
    use crate::auth::policy::Role as R;
    let mut taken: HashMap<(&str, &str), usize> = HashMap::new();
    let mut out = Names::new();
    for p in people {
        let tag = match p.role {
            R::Director => "D",
            R::TechnicalHead => "S",
            R::Adviser => "A",
            R::Teacher => "T",
            _ => continue,
        };
        let n = taken.entry((p.school_code.as_str(), tag)).or_insert(0);
        *n += 1;
        let seat = match tag {
            "T" => format!("{}-T{:02}", p.school_code, n),
            _ => format!("{}-{tag}{n}", p.school_code),
        };
        out.insert(seat, p.full_name.clone());
    }
    out
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
            .map(|(rule, (n, schools))| (rule.text_id().to_string(), *n, *schools))
            .collect(),
    }
}

#[derive(Serialize)]
struct Coordinator {
    /// The seat (teacher id).
    name: String,
    /// The person holding it, where the registry knows them; empty if not.
    person: String,
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

fn coordinator(ix: &Index, names: &Names, teacher: &str) -> Coordinator {
    let person = names.get(teacher).cloned().unwrap_or_default();
    match ix.teachers.get(teacher) {
        Some((school, _, role)) => Coordinator {
            name: teacher.to_string(),
            person,
            school: school.name.clone(),
            role: super::model::seat_label(*role),
        },
        None => Coordinator {
            name: teacher.to_string(),
            person,
            school: String::new(),
            role: "",
        },
    }
}

pub fn clusters(plan: &Plan, names: &Names) -> Vec<ClusterView> {
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
                        coordinators: g
                            .coordinators
                            .iter()
                            .map(|t| coordinator(&ix, names, t))
                            .collect(),
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
            rule: e.rule.text_id(),
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
            reason: message(&e.reason),
            suggestion: message(&e.suggestion),
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
            rule: v.rule.text_id(),
            cluster: v.cluster,
            message: message(&v.message),
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
    /// The person's name where the registry knows them, else empty.
    name: String,
    /// The seat (teacher id), shown when the name is unknown.
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
pub fn rosters(plan: &Plan, names: &Names) -> Vec<Roster> {
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
                    coordinators: g
                        .coordinators
                        .iter()
                        .map(|t| coordinator(&ix, names, t))
                        .collect(),
                    lines: g
                        .members
                        .iter()
                        .map(|m| match ix.teachers.get(m.teacher.as_str()) {
                            Some((school, assignment, role)) => RosterLine {
                                name: names.get(&m.teacher).cloned().unwrap_or_default(),
                                teacher: m.teacher.clone(),
                                school: school.name.clone(),
                                assignment: assignment.to_string(),
                                role: super::model::seat_label(*role),
                            },
                            None => RosterLine {
                                name: names.get(&m.teacher).cloned().unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::Role;

    fn person(code: &str, role: Role, name: &str) -> KnownPerson {
        KnownPerson {
            school_code: code.into(),
            role,
            full_name: name.into(),
        }
    }

    #[test]
    fn each_school_s_people_take_its_seats_in_order() {
        let names = names(&[
            person("22DPR0001B", Role::Director, "Rosa Elena Ugalde"),
            person("22DPR0001B", Role::Teacher, "Ana Pérez"),
            person("22DPR0001B", Role::Teacher, "Beto Ruiz"),
            person("22DPR0001B", Role::TechnicalHead, "Irma Soto"),
            person("22DJN0001A", Role::Teacher, "Carla Díaz"),
            person("22DJN0001A", Role::Observer, "Nadie"),
        ]);
        assert_eq!(names["22DPR0001B-D1"], "Rosa Elena Ugalde");
        assert_eq!(names["22DPR0001B-S1"], "Irma Soto");
        assert_eq!(names["22DPR0001B-T01"], "Ana Pérez");
        assert_eq!(names["22DPR0001B-T02"], "Beto Ruiz");
        assert_eq!(names["22DJN0001A-T01"], "Carla Díaz");
        assert_eq!(names.len(), 5, "{names:?}");
    }
}
