//! CSV input, input errors, the Querétaro importer and the CSV output.
mod common;
use common::*;
use redes_planner::*;

const HEADER: &str = "code,name,level,modality,shift,rural,state,municipality,locality,colonia,lat,lon,classrooms,cte_size,directors,subdirectors,atps,feeds";

#[test]
fn parses_the_documented_format() {
    let text = format!(
        "{HEADER}\n\
         22DJN0001A,Jardín Uno,Preescolar,general,matutino,no,Querétaro,Querétaro,22-014-0001,Centro,20.59,-100.39,3,4,1,0,0,22DPR0001B\n\
         22DPR0001B,Primaria Uno,primaria,,Matutino,sí,Querétaro,Querétaro,22-014-0001,,20.60,-100.38,,14,1,1,1,\n\
         22DES0001C,Secundaria Uno,SECUNDARIA,técnica,vespertino,0,Querétaro,Querétaro,22-014-0001,,,,12,30,1,1,1,\n"
    );
    let schools = parse_schools_csv(&text).unwrap();
    assert_eq!(schools.len(), 3);
    assert_eq!(schools[0].feeds.as_deref(), Some("22DPR0001B"));
    assert_eq!(schools[0].colonia.as_deref(), Some("Centro"));
    assert_eq!(schools[1].classrooms, 14);
    assert!(schools[1].rural);
    assert_eq!(schools[1].cte.len(), 14);
    assert_eq!(
        schools[1]
            .cte
            .iter()
            .filter(|m| m.role == Role::Director)
            .count(),
        1
    );
    assert_eq!(schools[2].modality, Modality::Tecnica);
    assert_eq!(schools[2].shift, Shift::Vespertino);
    assert_eq!(schools[2].lat, None);
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
}

#[test]
fn bad_rows_name_row_and_field_and_nothing_is_planned() {
    let text = format!(
        "{HEADER}\n\
         A1,x,kinder,,matutino,no,,,L1,,,,3,4,1,0,0,\n\
         A2,x,primaria,,nocturno,no,,,L1,,,,3,4,1,0,0,\n\
         A3,x,primaria,,matutino,no,,,L1,,,,3,-2,1,0,0,\n\
         A4,x,primaria,,matutino,no,,,L1,,,,3,,1,0,0,\n\
         A5,x,primaria,,matutino,no,,,L1,,,,3,muchos,1,0,0,\n\
         A1,x,primaria,,matutino,no,,,L1,,,,3,4,1,0,0,\n\
         A7,x,primaria,,matutino,no,,,L1,,abc,,3,4,1,0,0,\n"
    );
    let err = parse_schools_csv(&text).unwrap_err();
    let got: Vec<(usize, &str)> = err
        .errors
        .iter()
        .map(|e| (e.row, e.field.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "level"),
            (3, "shift"),
            (4, "cte_size"),
            (5, "cte_size"),
            (6, "cte_size"),
            (7, "code"),
            (8, "lat")
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("fila 4, campo cte_size: no puede ser negativo"),
        "{text}"
    );
    assert!(
        text.contains("fila 5, campo cte_size: falta el tamaño del CTE"),
        "{text}"
    );
    assert!(
        text.contains("fila 7, campo code: código duplicado (ya está en la fila 2)"),
        "{text}"
    );
    assert!(
        text.contains("fila 2, campo level: nivel desconocido"),
        "{text}"
    );
}

#[test]
fn missing_columns_are_reported() {
    let err = parse_schools_csv("code,name,level\nA,b,primaria\n").unwrap_err();
    let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["shift", "locality", "cte_size"]);
    assert!(err.errors.iter().all(|e| e.row == 1));
}

#[test]
fn plan_rejects_duplicate_codes() {
    let mut schools = example1();
    schools[1].code = "INI".into();
    assert_eq!(
        plan(schools, &Options::default()).unwrap_err(),
        InputError::DuplicateCode("INI".into())
    );
}

#[test]
fn plan_to_csv_has_one_row_per_teacher() {
    let p = plan(example1(), &Options::default()).unwrap();
    let csv = plan_to_csv(&p);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 90);
    assert!(lines[0].starts_with("cluster,session,host,group,school"));
    let coordinators = lines.iter().filter(|l| l.ends_with("si,si,si")).count();
    assert_eq!(coordinators, 3);
}

#[test]
fn queretaro_sample_parses_and_plans() {
    let text = include_str!("fixtures/queretaro_sample.csv");
    let schools = queretaro::parse(text).unwrap();
    // Offices and private schools are skipped.
    assert_eq!(schools.len(), 29);
    assert!(schools.iter().all(|s| !s.cte.is_empty()));
    let placeholder = schools.iter().filter(|s| s.lat.is_none()).count();
    assert!(placeholder >= 2, "{placeholder}");
    assert!(schools.iter().any(|s| s.shift == Shift::Vespertino));
    assert!(schools.iter().all(|s| s.locality.starts_with("22-")));
    // Deterministic derivation.
    assert_eq!(schools, queretaro::parse(text).unwrap());
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
    assert!(p
        .exceptions
        .iter()
        .any(|e| e.rule == Rule::MissingCoordinates));
    assert!(p.clusters.len() >= 4, "{}", p.summary());
}

#[test]
fn plan_rejects_duplicate_teacher_ids() {
    let mut schools = example1();
    schools[6].cte[3].teacher_id = "PR1-T02".into();
    match plan(schools, &Options::default()).unwrap_err() {
        InputError::DuplicateTeacher { teacher, .. } => assert_eq!(teacher, "PR1-T02"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn queretaro_full_catalogue_plans_validly_when_present() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mexico/cct_queretaro_activos.csv"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let schools = queretaro::parse(&text).unwrap();
    assert_eq!(schools.len(), 3087);
    assert_eq!(schools.iter().filter(|s| s.lat.is_none()).count(), 13);
    let p = plan(schools, &Options::default()).unwrap();
    assert_valid(&p);
}

#[test]
fn queretaro_context_comes_from_the_size_of_the_locality() {
    let schools = queretaro::parse(include_str!("fixtures/queretaro_sample.csv")).unwrap();
    let by = |code: &str| schools.iter().find(|s| s.code == code).unwrap();
    // 22-016-0001 has 13 public basic-education schools in the sample: urban, so its
    // afternoon schools meet in the afternoon.
    assert!(!by("22DES0002Z").rural);
    assert_eq!(by("22DES0002Z").session(), Session::Afternoon);
    // 22-018-0030 has three: rural.
    assert!(by("22DTV0224P").rural);
    // The supervision zone is read; empty means unknown.
    assert_eq!(by("22DTV0224P").zone.as_deref(), Some("22FTV0006Z"));
    assert_eq!(by("22DBA0003C").zone, None);
}

#[test]
fn clusters_list_their_supervision_zones_and_old_plans_still_load() {
    let schools = queretaro::parse(include_str!("fixtures/queretaro_sample.csv")).unwrap();
    let p = plan(schools, &Options::default()).unwrap();
    let c = p
        .clusters
        .iter()
        .find(|c| c.schools.iter().any(|s| s == "22DTV0224P"))
        .unwrap();
    assert_eq!(c.zones, ["22FTV0006Z", "22FZI0201C"]);
    // A plan stored before zones existed has neither `zone` nor `zones`.
    let mut json: serde_json::Value = serde_json::to_value(&p).unwrap();
    for s in json["schools"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("zone");
    }
    for c in json["clusters"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("zones");
    }
    let old: Plan = serde_json::from_value(json).unwrap();
    assert!(old.schools.iter().all(|s| s.zone.is_none()));
    assert!(old.clusters.iter().all(|c| c.zones.is_empty()));
}

#[test]
fn zone_column_of_the_planner_csv() {
    let text = "code,level,shift,locality,cte_size,zone\nP1,primaria,matutino,L,8,Z01\nK1,preescolar,matutino,L,3,\n";
    let schools = parse_schools_csv(text).unwrap();
    assert_eq!(schools[0].zone.as_deref(), Some("Z01"));
    assert_eq!(schools[1].zone, None);
    let p = plan(schools, &Options::default()).unwrap();
    assert_eq!(p.clusters[0].zones, ["Z01"]);
}
