//! The validator finds violations in hand-broken plans (one test per broken rule), and
//! `reassign` + `validate` reports what a hand move breaks.
mod common;
use common::*;
use redes_planner::*;

fn has(plan: &Plan, rule: Rule) -> bool {
    validate(plan).iter().any(|v| v.rule == rule)
}

fn example1_plan() -> Plan {
    let p = plan(example1(), &Options::default()).unwrap();
    assert_valid(&p);
    p
}

#[test]
fn group_of_31() {
    let mut p = example1_plan();
    let m = p.clusters[0].groups[1].members.pop().unwrap();
    p.clusters[0].groups[0].members.push(m);
    assert_eq!(p.clusters[0].groups[0].members.len(), 31);
    assert!(has(&p, Rule::Groups));
}

#[test]
fn uneven_spread_of_a_cte() {
    let mut p = example1_plan();
    // Move two secundaria teachers from group 2 to group 3 and two others back: sizes stay
    // 30 but the secundaria is spread 15/13/16.
    let c = &mut p.clusters[0];
    let take = |g: &mut Group, school: &str| {
        let i = g
            .members
            .iter()
            .position(|m| m.school == school && !g.coordinators.contains(&m.teacher))
            .unwrap();
        g.members.remove(i)
    };
    for _ in 0..2 {
        let a = take(&mut c.groups[1], "SEC");
        c.groups[2].members.push(a);
        let b = take(&mut c.groups[2], "PR1");
        c.groups[1].members.push(b);
    }
    assert!(has(&p, Rule::Groups));
}

#[test]
fn too_many_groups() {
    let mut p = example1_plan();
    let extra: Vec<Member> = p.clusters[0]
        .groups
        .iter_mut()
        .map(|g| g.members.pop().unwrap())
        .collect();
    let coordinator = extra[0].teacher.clone();
    p.clusters[0].groups.push(Group {
        members: extra,
        coordinators: [coordinator.clone(), coordinator.clone(), coordinator],
    });
    assert!(has(&p, Rule::Groups));
}

#[test]
fn cluster_of_one_level() {
    let mut p = plan(
        vec![
            school("P1", Level::Primaria, Modality::General, 8, "L"),
            school("K1", Level::Preescolar, Modality::General, 3, "L"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    // Hand edit of the data: the preescolar is recorded as a primaria.
    p.schools[1].level = Level::Primaria;
    assert!(has(&p, Rule::Levels));
}

#[test]
fn missing_teacher() {
    let mut p = example1_plan();
    p.clusters[0].groups[2]
        .members
        .retain(|m| m.teacher != "SEC-T05");
    assert!(has(&p, Rule::Completeness));
}

#[test]
fn duplicated_school() {
    let mut p = plan(
        vec![
            school("P1", Level::Primaria, Modality::General, 8, "L"),
            school("K1", Level::Preescolar, Modality::General, 3, "L"),
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 9, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    assert_eq!(p.clusters.len(), 2);
    let code = p.clusters[0].schools[0].clone();
    p.clusters[1].schools.push(code);
    let v = validate(&p);
    assert!(
        v.iter().any(|v| v.rule == Rule::Completeness
            && v.message.id == "planner-v-school-repeated"
            && v.message.word("n") == Some("2")),
        "{v:?}"
    );
}

#[test]
fn school_missing_from_plan() {
    let mut p = example1_plan();
    p.clusters[0].schools.retain(|s| s != "INI");
    assert!(has(&p, Rule::Completeness));
}

#[test]
fn host_without_classrooms() {
    let mut p = example1_plan();
    let host = p.clusters[0].host.clone();
    p.schools
        .iter_mut()
        .find(|s| s.code == host)
        .unwrap()
        .classrooms = 2;
    assert!(has(&p, Rule::Host));
}

#[test]
fn host_outside_the_cluster() {
    let mut p = example1_plan();
    p.clusters[0].host = "NOPE".into();
    assert!(has(&p, Rule::Host));
}

fn afternoon_pair() -> Vec<School> {
    let mut a = school("PV", Level::Primaria, Modality::General, 10, "C");
    let mut b = school("SV", Level::Secundaria, Modality::General, 12, "C");
    a.shift = Shift::Vespertino;
    b.shift = Shift::Vespertino;
    let c = school("PM", Level::Primaria, Modality::General, 10, "C");
    let d = school("KM", Level::Preescolar, Modality::General, 4, "C");
    vec![a, b, c, d]
}

#[test]
fn vespertino_with_matutino() {
    let mut p = plan(afternoon_pair(), &Options::default()).unwrap();
    assert_valid(&p);
    let afternoon = p
        .clusters
        .iter()
        .position(|c| c.session == Session::Afternoon)
        .unwrap();
    assert_eq!(p.clusters[afternoon].schools.len(), 2);
    // A morning school written into the afternoon cluster by hand.
    p.schools.iter_mut().find(|s| s.code == "SV").unwrap().shift = Shift::Matutino;
    assert!(has(&p, Rule::Shift));
}

#[test]
fn rural_school_in_the_afternoon() {
    let mut p = plan(afternoon_pair(), &Options::default()).unwrap();
    p.schools.iter_mut().find(|s| s.code == "PV").unwrap().rural = true;
    assert!(has(&p, Rule::Shift));
}

#[test]
fn wrong_rotation() {
    let mut p = plan(example2(), &Options::default()).unwrap();
    assert_valid(&p);
    p.clusters[0].groups[0].coordinators.swap(0, 1);
    let v = validate(&p);
    assert!(v.iter().any(|v| v.rule == Rule::Coordinators), "{v:?}");
}

#[test]
fn teacher_coordinating_while_a_director_is_free() {
    let mut p = example1_plan();
    let g = &mut p.clusters[0].groups[0];
    let teacher = g
        .members
        .iter()
        .find(|m| m.teacher.contains("-T"))
        .unwrap()
        .teacher
        .clone();
    g.coordinators = [teacher.clone(), teacher.clone(), teacher];
    assert!(has(&p, Rule::Coordinators));
}

#[test]
fn multigrade_away_from_its_locality() {
    let mut p = plan(
        vec![
            school("MG", Level::Primaria, Modality::Multigrado, 2, "R"),
            school("KR", Level::Preescolar, Modality::General, 2, "R"),
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 9, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    let target = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"S2".to_string()))
        .unwrap()
        .id;
    reassign(&mut p, "MG", target).unwrap();
    let v = validate(&p);
    assert!(v.iter().any(|v| v.rule == Rule::Multigrade), "{v:?}");
    // The lone preescolar left behind is a one-level cluster.
    assert!(v.iter().any(|v| v.rule == Rule::Levels), "{v:?}");
}

#[test]
fn reassign_keeps_teachers_and_reports_broken_rules() {
    let mut p = plan(
        vec![
            school("P1", Level::Primaria, Modality::General, 8, "L"),
            school("K1", Level::Preescolar, Modality::General, 3, "L"),
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 25, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    let to = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"S2".to_string()))
        .unwrap()
        .id;
    reassign(&mut p, "K1", to).unwrap();
    let v = validate(&p);
    // The lone primaria left in L is a one-level cluster, and L (two schools, one venue) is
    // now split (rule 2).
    assert!(v.iter().any(|v| v.rule == Rule::Levels), "{v:?}");
    assert!(
        v.iter()
            .all(|v| matches!(v.rule, Rule::Levels | Rule::Community)),
        "{v:?}"
    );
    let target = p.clusters.iter().find(|c| c.id == to).unwrap();
    assert_eq!(target.groups.len(), 2);
    assert_eq!(
        target.groups.iter().map(|g| g.members.len()).sum::<usize>(),
        3 + 8 + 25
    );
    // Moving it back restores a valid plan.
    let back = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"P1".to_string()))
        .unwrap()
        .id;
    reassign(&mut p, "K1", back).unwrap();
    assert_valid(&p);
    assert_eq!(
        reassign(&mut p, "NOPE", back),
        Err(ReassignError::UnknownSchool("NOPE".into()))
    );
    assert_eq!(
        reassign(&mut p, "K1", 999),
        Err(ReassignError::UnknownCluster(999))
    );
}

#[test]
fn reassign_vespertino_into_the_morning_is_reported() {
    let mut p = plan(afternoon_pair(), &Options::default()).unwrap();
    let morning = p
        .clusters
        .iter()
        .find(|c| c.session == Session::Morning)
        .unwrap()
        .id;
    reassign(&mut p, "PV", morning).unwrap();
    let v = validate(&p);
    assert!(v.iter().any(|v| v.rule == Rule::Shift), "{v:?}");
}

#[test]
fn cam_away_from_its_locality() {
    let mut p = plan(
        vec![
            school("CM", Level::Cam, Modality::General, 10, "L"),
            school("P1", Level::Primaria, Modality::General, 8, "L"),
            school("K1", Level::Preescolar, Modality::General, 3, "L"),
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 9, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    let target = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"S2".to_string()))
        .unwrap()
        .id;
    reassign(&mut p, "CM", target).unwrap();
    assert!(has(&p, Rule::Cam));
}

/// A rural afternoon school meets in the morning (rule 3), and the plan names it.
#[test]
fn rural_afternoon_school_in_the_morning_without_notice() {
    let mut pv = school("PV", Level::Primaria, Modality::General, 10, "R");
    pv.shift = Shift::Vespertino;
    pv.rural = true;
    let mut kr = school("KR", Level::Preescolar, Modality::General, 3, "R");
    kr.rural = true;
    let mut p = plan(vec![pv, kr], &Options::default()).unwrap();
    assert_valid(&p);
    assert_eq!(p.clusters[0].session, Session::Morning);
    let notice = p.exceptions.iter().find(|e| e.rule == Rule::Shift).unwrap();
    assert_eq!(notice.schools, ["PV"]);
    assert_eq!(
        notice.reason.id, "planner-afternoon-rural",
        "{:?}",
        notice.reason
    );
    assert_eq!(notice.reason.word("locality"), Some("R"));
    assert!(!notice.unplaced);
    // The notice deleted by hand: the morning placement is silent again.
    p.exceptions.retain(|e| e.rule != Rule::Shift);
    assert!(has(&p, Rule::Shift));
}

/// A violation of `rule` says `id` with these words among its arguments.
fn has_msg(plan: &Plan, rule: Rule, id: &str, words: &[(&str, &str)]) -> bool {
    validate(plan).iter().any(|v| {
        v.rule == rule
            && v.message.id == id
            && words
                .iter()
                .all(|(name, w)| v.message.word(name) == Some(*w))
    })
}

/// Two localities of two schools each: two clusters.
fn two_localities() -> Plan {
    let p = plan(
        vec![
            school("P1", Level::Primaria, Modality::General, 8, "L"),
            school("K1", Level::Preescolar, Modality::General, 3, "L"),
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 9, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    p
}

#[test]
fn locality_that_fits_one_venue_split_in_two() {
    let mut p = two_localities();
    let to = p
        .clusters
        .iter()
        .find(|c| c.schools.contains(&"S2".to_string()))
        .unwrap()
        .id;
    reassign(&mut p, "K1", to).unwrap();
    assert!(has_msg(
        &p,
        Rule::Community,
        "planner-v-locality-split",
        &[]
    ));
}

#[test]
fn single_level_locality_joined_beyond_the_distance_option() {
    let mut k = school("K9", Level::Preescolar, Modality::General, 3, "R");
    k.lat = Some(20.65);
    let mut p = plan(
        vec![
            k,
            school("P2", Level::Primaria, Modality::General, 8, "M"),
            school("S2", Level::Secundaria, Modality::General, 9, "M"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_valid(&p);
    assert_eq!(p.clusters.len(), 1);
    // Hand edit: the preescolar's locality is really 100 km away (more than 25 km).
    p.schools[0].lat = Some(21.5);
    assert!(has_msg(
        &p,
        Rule::Community,
        "planner-v-single-level-alone",
        &[("km", "25")]
    ));
}

#[test]
fn cluster_larger_than_the_option() {
    let mut p = example1_plan();
    p.options.max_schools_per_cluster = 6;
    assert!(has_msg(
        &p,
        Rule::Community,
        "planner-v-cluster-too-big",
        &[("max", "6")]
    ));
}

/// A town of 16 schools on a north–south line, two secundarias at the ends: two parts,
/// each with its secundaria.
fn long_town() -> Vec<School> {
    let levels = [
        Level::Preescolar,
        Level::Primaria,
        Level::Primaria,
        Level::Preescolar,
    ];
    (0..16)
        .map(|i| {
            let level = if i == 0 || i == 15 {
                Level::Secundaria
            } else {
                levels[i % 4]
            };
            let mut s = school(&format!("T{i:02}"), level, Modality::General, 6, "T");
            s.lat = Some(20.6 + 0.005 * i as f64);
            s
        })
        .collect()
}

#[test]
fn each_part_of_a_split_town_has_the_whole_path() {
    let p = plan(long_town(), &Options::default()).unwrap();
    assert_valid(&p);
    assert_eq!(p.clusters.len(), 2);
    for c in &p.clusters {
        assert!(c.schools.len() <= 12);
        let levels: Vec<Level> = c
            .schools
            .iter()
            .map(|x| p.schools.iter().find(|s| &s.code == x).unwrap().level)
            .collect();
        for l in [Level::Preescolar, Level::Primaria, Level::Secundaria] {
            assert!(levels.contains(&l), "cluster {} lacks {l:?}", c.id);
        }
    }
}

#[test]
fn part_of_a_split_town_without_secundaria() {
    let mut p = plan(long_town(), &Options::default()).unwrap();
    let (a, b) = (p.clusters[0].id, p.clusters[1].id);
    let sec = |p: &Plan, id: usize| {
        let c = p.clusters.iter().find(|c| c.id == id).unwrap();
        c.schools
            .iter()
            .find(|x| {
                p.schools
                    .iter()
                    .any(|s| &s.code == *x && s.level == Level::Secundaria)
            })
            .unwrap()
            .clone()
    };
    let pre = p
        .clusters
        .iter()
        .find(|c| c.id == b)
        .unwrap()
        .schools
        .iter()
        .find(|x| {
            p.schools
                .iter()
                .any(|s| &s.code == *x && s.level == Level::Preescolar)
        })
        .unwrap()
        .clone();
    // Swap by hand: sizes stay, but part `a` loses its secundaria.
    let s = sec(&p, a);
    reassign(&mut p, &s, b).unwrap();
    reassign(&mut p, &pre, a).unwrap();
    let secundaria = Arg::Text(Text::new("planner-stages-4"));
    assert!(validate(&p).iter().any(|v| v.rule == Rule::Community
        && v.message.id == "planner-v-part-missing-stages"
        && v.message.args.get("missing") == Some(&secundaria)));
}

#[test]
fn planner_reports_a_part_without_secundaria_with_its_reason() {
    // One secundaria for two parts: one part must go without, and says why.
    let mut town = long_town();
    town[15].level = Level::Primaria;
    let p = plan(town, &Options::default()).unwrap();
    assert_valid(&p);
    let notice = p
        .exceptions
        .iter()
        .find(|e| e.rule == Rule::Community)
        .unwrap_or_else(|| {
            panic!(
                "{:#?} {:#?}",
                p.clusters.iter().map(|c| &c.schools).collect::<Vec<_>>(),
                p.exceptions
            )
        });
    // "Grupo de escuelas sin secundaria …: hay 1 escuela de secundaria … para 2 grupos".
    let secundaria = Text::new("planner-stages-4");
    assert_eq!(notice.reason.id, "planner-group-missing-stages");
    assert_eq!(
        notice.reason.args.get("missing"),
        Some(&Arg::Text(secundaria.clone()))
    );
    let Some(Arg::List(reasons)) = notice.reason.args.get("reasons") else {
        panic!("{:?}", notice.reason)
    };
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].id, "planner-stage-too-few");
    assert_eq!(reasons[0].word("n"), Some("1"));
    assert_eq!(reasons[0].args.get("stage"), Some(&Arg::Text(secundaria)));
    assert!(!notice.unplaced);
}
