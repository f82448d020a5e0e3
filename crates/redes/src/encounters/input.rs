//! Turns registry schools into the planner's input. Mexico's catalogue has
//! no teacher counts or classrooms: where the registry lacks them they are
//! derived deterministically from the school code and level, and the plan
//! says so.

use redes_planner::cte::{generate, CteCounts};
use redes_planner::{Level, Modality, School as PlannerSchool, Shift};

use crate::schools::model::School;

/// A registry school that cannot enter the planner, with the reason.
#[derive(Debug, serde::Serialize)]
pub struct Skipped {
    pub code: String,
    pub name: String,
    pub reason: String,
}

pub struct PlannerInput {
    pub schools: Vec<PlannerSchool>,
    pub skipped: Vec<Skipped>,
    /// True when some CTE size or classroom count was derived.
    pub derived: bool,
}

/// FNV-1a: a stable hash so derived sizes never change between runs.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn level_of(levels: &str) -> Option<Level> {
    levels
        .split(',')
        .find_map(|l| match l.trim().to_lowercase().as_str() {
            "inicial" => Some(Level::Inicial),
            "preescolar" => Some(Level::Preescolar),
            "primaria" => Some(Level::Primaria),
            "secundaria" => Some(Level::Secundaria),
            "cam" => Some(Level::Cam),
            _ => None,
        })
}

fn modality_of(modality: &str) -> Modality {
    match modality {
        "indígena" => Modality::Indigena,
        "técnica" => Modality::Tecnica,
        "telesecundaria" => Modality::Telesecundaria,
        "multigrado" => Modality::Multigrado,
        "comunitario" => Modality::Comunitario,
        _ => Modality::General,
    }
}

fn shift_of(shift: &str) -> Shift {
    match shift {
        "matutino" => Shift::Matutino,
        // Night schools meet after the working day, like afternoon ones.
        "vespertino" | "nocturno" => Shift::Vespertino,
        "completo" => Shift::Completo,
        _ => Shift::Discontinuo,
    }
}

/// Typical CTE sizes by level, used only when the registry has no count.
fn derived_size(code: &str, level: Level) -> u32 {
    let (low, spread) = match level {
        Level::Inicial => (2, 5),
        Level::Preescolar => (3, 7),
        Level::Primaria => (6, 15),
        Level::Secundaria => (10, 30),
        Level::Cam => (5, 10),
    };
    low + (stable_hash(code) % spread) as u32
}

/// What a zone's plan takes from the schools of the zone's localities
/// (`store::zone_and_locality_schools`): the zone's own schools, and the
/// schools of the other levels (a zone supervises one level or service;
/// the same level's other zones plan their own schools).
pub fn zone_selection(rows: Vec<School>, zone: &str) -> Vec<School> {
    let zone_levels: Vec<Option<Level>> = rows
        .iter()
        .filter(|s| s.supervision_zone == zone)
        .map(|s| level_of(&s.levels))
        .collect();
    rows.into_iter()
        .filter(|s| {
            s.supervision_zone == zone
                || level_of(&s.levels).is_some_and(|l| !zone_levels.contains(&Some(l)))
        })
        .collect()
}

pub fn from_registry(rows: &[School]) -> PlannerInput {
    let mut schools = Vec::new();
    let mut skipped = Vec::new();
    let mut derived = false;
    for s in rows {
        let Some(level) = level_of(&s.levels) else {
            skipped.push(Skipped {
                code: s.official_code.clone(),
                name: s.name.clone(),
                reason: crate::text::message("encounters-nivel-fuera-educacion-basica", &[("levels", &s.levels)]),
            });
            continue;
        };
        let size = match s.teachers {
            Some(n) if n > 0 => n as u32,
            _ => {
                derived = true;
                derived_size(&s.official_code, level)
            }
        };
        let classrooms = match s.classrooms {
            Some(n) if n >= 0 => n as u32,
            _ => {
                derived = true;
                4 + (stable_hash(&s.name) % 9) as u32
            }
        };
        let counts = CteCounts {
            size,
            directors: 1,
            subdirectors: u32::from(size >= 20),
            atps: u32::from(size >= 30),
        };
        let modality = modality_of(&s.modality);
        schools.push(PlannerSchool {
            code: s.official_code.clone(),
            name: s.name.clone(),
            level,
            modality,
            shift: shift_of(&s.shift),
            rural: s.rural != 0,
            state: s.region.clone(),
            municipality: s.province.clone(),
            locality: s.commune.clone(),
            colonia: Some(s.colonia.clone()).filter(|c| !c.is_empty()),
            lat: s.latitude,
            lon: s.longitude,
            classrooms,
            cte: generate(&s.official_code, level, modality, counts),
            feeds: None,
            zone: Some(s.supervision_zone.clone()).filter(|z| !z.is_empty()),
        });
    }
    PlannerInput {
        schools,
        skipped,
        derived,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_sizes_are_stable_and_within_the_level_range() {
        let a = derived_size("22DPR0001A", Level::Primaria);
        assert_eq!(a, derived_size("22DPR0001A", Level::Primaria));
        assert!((6..21).contains(&a));
        assert!((10..40).contains(&derived_size("22DES0001Z", Level::Secundaria)));
    }

    #[test]
    fn levels_modalities_and_shifts_map_to_the_planner() {
        assert_eq!(level_of("CAM"), Some(Level::Cam));
        assert_eq!(level_of("media HC"), None);
        assert_eq!(modality_of("telesecundaria"), Modality::Telesecundaria);
        assert_eq!(shift_of("vespertino"), Shift::Vespertino);
        assert_eq!(shift_of(""), Shift::Discontinuo);
    }

    fn school(code: &str, levels: &str, zone: &str) -> School {
        School {
            id: crate::ids::SchoolId(0),
            country: crate::country::Country::Mx,
            official_code: code.into(),
            name: code.into(),
            parent_id: None,
            levels: levels.into(),
            dependency: String::new(),
            modality: "general".into(),
            shift: "matutino".into(),
            rural: 0,
            region: "Querétaro".into(),
            province: "Tequisquiapan".into(),
            commune: "Tequisquiapan".into(),
            colonia: String::new(),
            address: String::new(),
            supervision_zone: zone.into(),
            latitude: None,
            longitude: None,
            classrooms: None,
            teachers: None,
            students: None,
            operating: 1,
            synthetic: 0,
            archived: 0,
            review_note: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_zone_takes_its_schools_and_the_other_levels_of_its_localities() {
        let rows = vec![
            school("22DPR0001A", "primaria", "22FIZ0041F"),
            school("22DPR0002A", "primaria", "22FIZ0012K"),
            school("22DJN0001A", "preescolar", "22FZP0038B"),
            school("22DES0001A", "secundaria", ""),
            school("22XXX0001A", "media superior", ""),
        ];
        let kept: Vec<String> = zone_selection(rows, "22FIZ0041F")
            .into_iter()
            .map(|s| s.official_code)
            .collect();
        assert_eq!(kept, ["22DPR0001A", "22DJN0001A", "22DES0001A"]);
        let input = from_registry(&[school("22DPR0001A", "primaria", "22FIZ0041F")]);
        assert_eq!(input.schools[0].zone.as_deref(), Some("22FIZ0041F"));
    }
}
