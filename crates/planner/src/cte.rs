//! Deterministic CTE rosters from counts, for inputs that only give the council's size
//! (the CSV format, the Querétaro catalogue and the synthetic generator).

use crate::model::{CteMember, Level, Modality, Role};

/// Counts of a CTE by role. `size` includes the leaders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CteCounts {
    pub size: u32,
    pub directors: u32,
    pub subdirectors: u32,
    pub atps: u32,
}

/// Builds `size` members: the leaders first, then teachers whose grades or subjects cycle
/// through those of the level, so that any prefix covers the grades evenly. Teacher ids are
/// `{code}-D1`, `{code}-S1`, `{code}-A1`, `{code}-T01`, ...
pub fn generate(code: &str, level: Level, modality: Modality, counts: CteCounts) -> Vec<CteMember> {
    let mut out = Vec::with_capacity(counts.size as usize);
    let leaders = [
        (Role::Director, counts.directors, "D", "Dirección"),
        (Role::Subdirector, counts.subdirectors, "S", "Subdirección"),
        (Role::Atp, counts.atps, "A", "Asesoría técnico pedagógica"),
    ];
    for (role, n, tag, assignment) in leaders {
        for i in 1..=n {
            if out.len() < counts.size as usize {
                out.push(CteMember {
                    teacher_id: format!("{code}-{tag}{i}"),
                    assignment: assignment.to_string(),
                    role,
                });
            }
        }
    }
    let teachers = counts.size as usize - out.len();
    let cycle = assignments(level, modality, teachers);
    for i in 0..teachers {
        out.push(CteMember {
            teacher_id: format!("{code}-T{:02}", i + 1),
            assignment: cycle[i % cycle.len()].to_string(),
            role: Role::Teacher,
        });
    }
    out
}

/// Grades or subjects of a level, in dealing order; small multigrade staffs get combined
/// grades.
fn assignments(level: Level, modality: Modality, teachers: usize) -> Vec<&'static str> {
    let multigrade = matches!(modality, Modality::Multigrado | Modality::Comunitario);
    match level {
        Level::Inicial => vec!["Lactantes", "Maternal", "Educación inicial"],
        Level::Preescolar if multigrade || teachers <= 1 => vec!["1° a 3°"],
        Level::Preescolar => vec!["1°", "2°", "3°", "Educación física", "Inglés"],
        Level::Primaria if teachers <= 1 => vec!["1° a 6°"],
        Level::Primaria if multigrade || teachers < 6 => vec!["1° y 2°", "3° y 4°", "5° y 6°"],
        Level::Primaria => vec![
            "1°",
            "2°",
            "3°",
            "4°",
            "5°",
            "6°",
            "Educación física",
            "Inglés",
            "USAER",
            "Cómputo",
        ],
        Level::Secundaria if modality == Modality::Telesecundaria || multigrade => {
            vec!["1°", "2°", "3°", "Educación física", "Inglés"]
        }
        Level::Secundaria => vec![
            "Español",
            "Matemáticas",
            "Ciencias",
            "Historia",
            "Geografía",
            "Formación cívica y ética",
            "Inglés",
            "Artes",
            "Educación física",
            "Tecnología",
            "Tutoría",
        ],
        Level::Cam => vec![
            "CAM inicial",
            "CAM preescolar",
            "CAM primaria",
            "CAM secundaria",
            "Formación laboral",
            "Psicología",
            "Terapia de lenguaje",
            "Trabajo social",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_leaders_then_cycling_grades() {
        let m = generate(
            "X",
            Level::Primaria,
            Modality::General,
            CteCounts {
                size: 9,
                directors: 1,
                subdirectors: 1,
                atps: 0,
            },
        );
        assert_eq!(m.len(), 9);
        assert_eq!(m[0].role, Role::Director);
        assert_eq!(m[1].role, Role::Subdirector);
        assert_eq!(m[2].assignment, "1°");
        assert_eq!(m[8].teacher_id, "X-T07");
    }
}
