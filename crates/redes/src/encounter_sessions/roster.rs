//! From an approved plan to the rosters of its sessions: each planned
//! member of a group (the planner's CTE of each school) becomes a roster
//! line, carrying the person of the registry who holds that place when the
//! school's people are registered (its director for the planned director,
//! its other people for the other places, in order); registered people
//! beyond the planned places join the group of their school's first member.
//! No SQL here: `store.rs` reads the registry and writes the result.

use std::collections::HashMap;

use redes_planner::{Plan, Role as PlanRole, Session as PlanSession};

use crate::encounters::model::seat_label;
use crate::ids::PersonId;

/// A person of the registry at a school of the plan.
#[derive(Debug, Clone)]
pub struct Known {
    pub person_id: PersonId,
    pub director: bool,
    /// Their role's label, for a line beyond the planned places.
    pub role_label: String,
}

/// A roster line to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub school_code: String,
    pub plan_member: String,
    pub role_label: String,
    pub person: Option<PersonId>,
}

/// A session to write: one per cluster, group and session number.
#[derive(Debug, Clone)]
pub struct Planned {
    pub cluster: usize,
    /// 1-based.
    pub group: usize,
    pub host_code: String,
    pub afternoon: bool,
    /// The planner's coordinator of each session (1, 2, 3).
    pub coordinators: [String; 3],
    pub lines: Vec<Line>,
}

/// The groups of a plan with their roster lines; `known` holds the
/// registry's people of each school, by official code.
pub fn groups(plan: &Plan, known: &HashMap<String, Vec<Known>>) -> Vec<Planned> {
    // Where each planned member sits: (index in `out`).
    let mut out: Vec<Planned> = Vec::new();
    let mut seat: HashMap<&str, usize> = HashMap::new();
    for c in &plan.clusters {
        for (g, group) in c.groups.iter().enumerate() {
            for m in &group.members {
                seat.insert(m.teacher.as_str(), out.len());
            }
            out.push(Planned {
                cluster: c.id,
                group: g + 1,
                host_code: c.host.clone(),
                afternoon: c.session == PlanSession::Afternoon,
                coordinators: group.coordinators.clone(),
                lines: Vec::new(),
            });
        }
    }
    for school in &plan.schools {
        let people = known.get(&school.code).map(Vec::as_slice).unwrap_or(&[]);
        let mut directors = people.iter().filter(|k| k.director);
        let mut others = people.iter().filter(|k| !k.director);
        let mut first_seat = None;
        for member in &school.cte {
            let Some(&at) = seat.get(member.teacher_id.as_str()) else {
                continue;
            };
            first_seat.get_or_insert(at);
            let person = if member.role == PlanRole::Director {
                directors.next()
            } else {
                others.next()
            };
            let role_label = if member.assignment.is_empty() || member.role == PlanRole::Director {
                seat_label(member.role).to_string()
            } else {
                format!("{} · {}", seat_label(member.role), member.assignment)
            };
            out[at].lines.push(Line {
                school_code: school.code.clone(),
                plan_member: member.teacher_id.clone(),
                role_label,
                person: person.map(|k| k.person_id),
            });
        }
        // Registered people beyond the planned places still attend.
        if let Some(at) = first_seat {
            for k in directors.chain(others) {
                out[at].lines.push(Line {
                    school_code: school.code.clone(),
                    plan_member: String::new(),
                    role_label: k.role_label.clone(),
                    person: Some(k.person_id),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use redes_planner::{Cluster, CteMember, Group, Member};

    fn plan_json() -> Plan {
        let member = |id: &str, role| CteMember {
            teacher_id: id.into(),
            assignment: if role == PlanRole::Director {
                "Dirección".into()
            } else {
                "3°".into()
            },
            role,
        };
        let school: redes_planner::School = serde_json::from_value(serde_json::json!({
            "code": "22DPR0001B", "name": "Primaria", "level": "primaria", "modality": "general",
            "shift": "matutino", "rural": false, "state": "Querétaro", "municipality": "Tequisquiapan",
            "locality": "T", "classrooms": 8, "cte": []
        }))
        .unwrap();
        let school = redes_planner::School {
            cte: vec![
                member("P-D1", PlanRole::Director),
                member("P-T01", PlanRole::Teacher),
                member("P-T02", PlanRole::Teacher),
            ],
            ..school
        };
        let m = |t: &str| Member {
            school: "22DPR0001B".into(),
            teacher: t.into(),
        };
        Plan {
            options: Default::default(),
            schools: vec![school],
            clusters: vec![Cluster {
                id: 4,
                session: PlanSession::Morning,
                schools: vec!["22DPR0001B".into()],
                host: "22DPR0001B".into(),
                groups: vec![
                    Group {
                        members: vec![m("P-D1"), m("P-T01")],
                        coordinators: ["P-D1".into(), "P-T01".into(), "P-D1".into()],
                    },
                    Group {
                        members: vec![m("P-T02")],
                        coordinators: ["P-T02".into(), "P-T02".into(), "P-T02".into()],
                    },
                ],
                zones: vec![],
            }],
            exceptions: vec![],
        }
    }

    fn known(id: i64, director: bool) -> Known {
        Known {
            person_id: PersonId(id),
            director,
            role_label: if director { "Director(a)" } else { "Docente" }.into(),
        }
    }

    #[test]
    fn registered_people_take_the_planned_places_of_their_school() {
        let plan = plan_json();
        let none = groups(&plan, &HashMap::new());
        assert_eq!(none.len(), 2);
        assert_eq!((none[0].cluster, none[0].group, none[1].group), (4, 1, 2));
        assert_eq!(none[0].lines.len(), 2);
        assert_eq!(none[0].lines[1].role_label, "Docente · 3°");
        assert!(none.iter().flat_map(|g| &g.lines).all(|l| l.person.is_none()));

        let people = HashMap::from([(
            "22DPR0001B".to_string(),
            vec![known(7, false), known(5, true), known(8, false), known(9, false)],
        )]);
        let with = groups(&plan, &people);
        assert_eq!(with[0].lines[0].person, Some(PersonId(5)), "the director");
        assert_eq!(with[0].lines[1].person, Some(PersonId(7)));
        assert_eq!(with[1].lines[0].person, Some(PersonId(8)));
        // The fourth person has no planned place: they join the first group.
        assert_eq!(with[0].lines.len(), 3);
        assert_eq!(with[0].lines[2].person, Some(PersonId(9)));
        assert_eq!(with[0].lines[2].plan_member, "");
    }
}
