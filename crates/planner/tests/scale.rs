//! Valid plans for synthetic zones, a state and a mid-size instance.
mod common;
use common::*;
use redes_planner::*;

#[test]
fn zone_plans_are_valid() {
    for seed in 1..=5 {
        let schools = synthetic::zone(seed);
        let n = schools.len();
        let p = plan(schools, &Options::default()).unwrap();
        assert_valid(&p);
        let placed: usize = p.clusters.iter().map(|c| c.schools.len()).sum();
        let unplaced: usize = p
            .exceptions
            .iter()
            .filter(|e| e.unplaced)
            .map(|e| e.schools.len())
            .sum();
        assert_eq!(placed + unplaced, n);
    }
}

#[test]
fn mid_size_instance_is_valid_and_deterministic() {
    let p = plan(synthetic::sized(3, 4000), &Options::default()).unwrap();
    assert_valid(&p);
    let again = plan(synthetic::sized(3, 4000), &Options::default()).unwrap();
    assert_eq!(p, again);
    let s = p.summary();
    assert!(s.clusters > 300, "{s:?}");
    assert!(s.unplaced_schools < 40, "{s:?}");
}

#[test]
fn state_plan_is_valid() {
    let schools = synthetic::state(1);
    let teachers: usize = schools.iter().map(|s| s.cte.len()).sum();
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    let s = p.summary();
    let unplaced_teachers: usize = p
        .exceptions
        .iter()
        .filter(|e| e.unplaced)
        .flat_map(|e| &e.schools)
        .map(|c| p.schools.iter().find(|s| &s.code == c).unwrap().cte.len())
        .sum();
    assert_eq!(s.teachers + unplaced_teachers, teachers);
}

#[test]
fn progress_reaches_total() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let last = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    plan_with_progress(synthetic::sized(5, 2000), &Options::default(), &|d, t| {
        last.fetch_max(d, Ordering::Relaxed);
        total.store(t, Ordering::Relaxed);
    })
    .unwrap();
    assert!(total.load(Ordering::Relaxed) > 0);
    assert_eq!(last.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
}

#[test]
fn plan_json_round_trip_validates_alone() {
    let p = plan(synthetic::zone(2), &Options::default()).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    // Coordinates may differ in the last bit after a JSON round trip; the plan may not.
    assert!(back.clusters == p.clusters && back.exceptions == p.exceptions);
    assert_valid(&back);
    assert!((cost(&back).total - cost(&p).total).abs() < 1e-6);
}

#[test]
fn isolated_single_level_locality_is_an_exception_not_dropped() {
    let mut far = school("LONE", Level::Primaria, Modality::Multigrado, 2, "FAR");
    far.lat = Some(25.0);
    far.lon = Some(-105.0);
    let mut schools = example2();
    schools.push(far);
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    let e = p.exceptions.iter().find(|e| e.schools == ["LONE"]).unwrap();
    assert!(e.unplaced);
    assert_eq!(e.rule, Rule::Multigrade);
    assert_eq!(e.reason.id, "planner-isolated-multigrade", "{:?}", e.reason);
    assert_eq!(e.reason.word("km"), Some("25"));
    assert_eq!(e.suggestion.id, "planner-suggest-supervisor-decides");
}

#[test]
fn single_level_locality_joins_the_nearest_with_other_levels() {
    let mut lone = school("K9", Level::Preescolar, Modality::General, 3, "NEAR");
    lone.lat = Some(20.65);
    let mut far = school("P9", Level::Primaria, Modality::General, 6, "FAR");
    far.lat = Some(20.75);
    let mut far2 = school("S9", Level::Secundaria, Modality::General, 6, "FAR");
    far2.lat = Some(20.75);
    let mut schools = example2();
    schools.extend([lone, far, far2]);
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    let c = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"K9".to_string()))
        .unwrap();
    assert!(c.schools.contains(&"TEL".to_string()), "{:?}", c.schools);
}

#[test]
fn missing_coordinates_fall_back_to_locality_and_are_reported() {
    let mut schools = example1();
    schools[3].lat = None;
    schools[3].lon = None;
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    let e = p
        .exceptions
        .iter()
        .find(|e| e.rule == Rule::MissingCoordinates)
        .unwrap();
    assert_eq!(e.schools, ["CAM"]);
    assert!(!e.unplaced);
}

#[test]
fn lone_afternoon_school_joins_a_near_afternoon_school_of_another_level() {
    let mut sv = school("SV", Level::Secundaria, Modality::General, 12, "A");
    sv.shift = Shift::Vespertino;
    let mut pv = school("PV", Level::Primaria, Modality::General, 10, "B");
    pv.shift = Shift::Vespertino;
    pv.lat = Some(20.62);
    let others = [
        school("PA", Level::Primaria, Modality::General, 10, "A"),
        school("KA", Level::Preescolar, Modality::General, 4, "A"),
        {
            let mut k = school("KB", Level::Preescolar, Modality::General, 4, "B");
            k.lat = Some(20.62);
            k
        },
    ];
    let mut schools = vec![sv, pv];
    schools.extend(others);
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    let c = p
        .clusters
        .iter()
        .find(|c| c.session == Session::Afternoon)
        .unwrap();
    let mut got = c.schools.clone();
    got.sort();
    assert_eq!(got, ["PV", "SV"]);
    assert!(p.exceptions.iter().all(|e| e.rule != Rule::Shift));
    // Farther than `afternoon_distance_km`: each falls back to the morning, with a notice.
    let options = Options {
        afternoon_distance_km: 1.0,
        ..Options::default()
    };
    let schools = p.schools.clone();
    let p = plan(schools, &options).unwrap();
    assert_valid(&p);
    assert_eq!(
        p.exceptions
            .iter()
            .filter(|e| e.rule == Rule::Shift)
            .count(),
        2
    );
    assert!(p.clusters.iter().all(|c| c.session == Session::Morning));
}

#[test]
fn other_options_still_give_valid_plans() {
    for options in [
        Options {
            max_group_size: 10,
            max_schools_per_cluster: 5,
            ..Options::default()
        },
        Options {
            max_group_size: 45,
            max_schools_per_cluster: 30,
            max_distance_km: 5.0,
            afternoon_distance_km: 0.0,
        },
    ] {
        let p = plan(synthetic::sized(7, 3000), &options).unwrap();
        assert_valid(&p);
        let biggest = p
            .clusters
            .iter()
            .map(|c| c.groups.iter().map(|g| g.members.len()).max().unwrap_or(0))
            .max()
            .unwrap();
        assert!(biggest <= options.max_group_size as usize);
    }
}

#[test]
fn queretaro_sample_with_small_clusters_is_valid() {
    let schools = queretaro::parse(include_str!("fixtures/queretaro_sample.csv")).unwrap();
    let options = Options {
        max_schools_per_cluster: 3,
        ..Options::default()
    };
    assert_valid(&plan(schools, &options).unwrap());
}
