#![allow(dead_code)]
use redes_planner::cte::{generate, CteCounts};
use redes_planner::*;

pub fn school(code: &str, level: Level, modality: Modality, size: u32, locality: &str) -> School {
    School {
        code: code.into(),
        name: format!("Escuela {code}"),
        level,
        modality,
        shift: Shift::Matutino,
        rural: false,
        state: "Querétaro".into(),
        municipality: "Ejemplo".into(),
        locality: locality.into(),
        colonia: None,
        lat: Some(20.6),
        lon: Some(-100.4),
        classrooms: 6.max(size),
        cte: generate(
            code,
            level,
            modality,
            CteCounts {
                size,
                directors: 1,
                subdirectors: 0,
                atps: 0,
            },
        ),
        feeds: None,
        zone: None,
    }
}

/// Example 1 of seed 003: seven CTEs of one locality.
pub fn example1() -> Vec<School> {
    vec![
        school("INI", Level::Inicial, Modality::General, 1, "L1"),
        school("PIN", Level::Preescolar, Modality::Indigena, 2, "L1"),
        school("PRE", Level::Preescolar, Modality::General, 5, "L1"),
        school("CAM", Level::Cam, Modality::General, 10, "L1"),
        school("PR1", Level::Primaria, Modality::General, 12, "L1"),
        school("PR2", Level::Primaria, Modality::General, 16, "L1"),
        school("SEC", Level::Secundaria, Modality::Tecnica, 44, "L1"),
    ]
}

pub fn example2() -> Vec<School> {
    vec![
        school("PIN", Level::Preescolar, Modality::Indigena, 2, "L2"),
        school("PMG", Level::Primaria, Modality::Multigrado, 15, "L2"),
        school("TEL", Level::Secundaria, Modality::Telesecundaria, 8, "L2"),
    ]
}

pub fn assert_valid(plan: &Plan) {
    let v = validate(plan);
    assert!(
        v.is_empty(),
        "{} violations, first: {:#?}",
        v.len(),
        &v[..v.len().min(5)]
    );
}
