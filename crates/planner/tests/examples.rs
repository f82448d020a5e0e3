//! The two worked examples of seed 003.
mod common;
use common::*;
use redes_planner::*;

fn counts(plan: &Plan, code: &str) -> Vec<usize> {
    let mut c: Vec<usize> = plan.clusters[0]
        .groups
        .iter()
        .map(|g| g.members.iter().filter(|m| m.school == code).count())
        .collect();
    c.sort();
    c
}

#[test]
fn example_1_three_groups_of_thirty_spread_like_the_seed() {
    let plan = plan(example1(), &Options::default()).unwrap();
    assert_eq!(plan.clusters.len(), 1);
    let c = &plan.clusters[0];
    let sizes: Vec<usize> = c.groups.iter().map(|g| g.members.len()).collect();
    assert_eq!(sizes, vec![30, 30, 30]);
    // The seed's table, per CTE, up to the order of the groups.
    assert_eq!(counts(&plan, "INI"), vec![0, 0, 1]);
    assert_eq!(counts(&plan, "PIN"), vec![0, 1, 1]);
    assert_eq!(counts(&plan, "PRE"), vec![1, 2, 2]);
    assert_eq!(counts(&plan, "CAM"), vec![3, 3, 4]);
    assert_eq!(counts(&plan, "PR1"), vec![4, 4, 4]);
    assert_eq!(counts(&plan, "PR2"), vec![5, 5, 6]);
    assert_eq!(counts(&plan, "SEC"), vec![14, 15, 15]);
    assert!(plan.exceptions.is_empty(), "{:?}", plan.exceptions);
    assert_valid(&plan);
}

#[test]
fn example_1_groups_mix_grades() {
    let plan = plan(example1(), &Options::default()).unwrap();
    let schools = &plan.schools;
    let sec = schools.iter().find(|s| s.code == "SEC").unwrap();
    for g in &plan.clusters[0].groups {
        let subjects: std::collections::HashSet<&str> = g
            .members
            .iter()
            .filter(|m| m.school == "SEC")
            .filter_map(|m| sec.cte.iter().find(|t| t.teacher_id == m.teacher))
            .map(|t| t.assignment.as_str())
            .collect();
        assert!(subjects.len() >= 10, "{subjects:?}");
    }
}

#[test]
fn example_1_directors_coordinate_three_groups() {
    let plan = plan(example1(), &Options::default()).unwrap();
    for g in &plan.clusters[0].groups {
        let id = &g.coordinators[0];
        assert!(id.ends_with("-D1"), "{id}");
        assert!(g.members.iter().any(|m| &m.teacher == id));
    }
}

#[test]
fn example_2_one_group_of_25_with_rotation() {
    let plan = plan(example2(), &Options::default()).unwrap();
    assert_eq!(plan.clusters.len(), 1);
    let c = &plan.clusters[0];
    assert_eq!(c.groups.len(), 1);
    assert_eq!(c.groups[0].members.len(), 25);
    assert_eq!(
        c.groups[0].coordinators,
        ["TEL-D1", "PMG-D1", "PIN-D1"].map(String::from)
    );
    assert_valid(&plan);
}
