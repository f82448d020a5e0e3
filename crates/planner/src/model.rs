//! Input and output types. Everything derives serde so that a plan is a self-contained JSON
//! document that can be stored, edited by hand and validated alone.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// Educational level of a school (CAM counts as its own level, as in the seed's example 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Inicial,
    Preescolar,
    Primaria,
    Secundaria,
    Cam,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Inicial,
        Level::Preescolar,
        Level::Primaria,
        Level::Secundaria,
        Level::Cam,
    ];

    /// Spanish name for messages.
    pub fn name_es(self) -> &'static str {
        match self {
            Level::Inicial => "inicial",
            Level::Preescolar => "preescolar",
            Level::Primaria => "primaria",
            Level::Secundaria => "secundaria",
            Level::Cam => "CAM",
        }
    }

    /// Stage along the children's path (inicial/preescolar → primaria → secundaria).
    /// CAM is not a stage: it may meet with any level (rule 5).
    pub fn stage(self) -> Option<Stage> {
        match self {
            Level::Inicial | Level::Preescolar => Some(Stage::Early),
            Level::Primaria => Some(Stage::Primaria),
            Level::Secundaria => Some(Stage::Secundaria),
            Level::Cam => None,
        }
    }

    /// Order used by the single-group rotation ("the highest level" coordinates session 1).
    /// CAM ranks lowest so that it only leads session 1 when no other level is present.
    pub fn height(self) -> u8 {
        match self {
            Level::Cam => 0,
            Level::Inicial => 1,
            Level::Preescolar => 2,
            Level::Primaria => 3,
            Level::Secundaria => 4,
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Stages of the children's path through basic education, used by the cost function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Early,
    Primaria,
    Secundaria,
}

impl Stage {
    pub(crate) fn bit(self) -> u8 {
        match self {
            Stage::Early => 1,
            Stage::Primaria => 2,
            Stage::Secundaria => 4,
        }
    }
}

/// The stages of `mask` (bits of [`Stage::bit`], not empty) as one sentence part:
/// "primaria", "inicial o preescolar ni secundaria".
pub(crate) fn stages(mask: u8) -> Text {
    const IDS: [&str; 7] = [
        "planner-stages-1",
        "planner-stages-2",
        "planner-stages-3",
        "planner-stages-4",
        "planner-stages-5",
        "planner-stages-6",
        "planner-stages-7",
    ];
    Text::new(IDS[(mask.clamp(1, 7) - 1) as usize])
}

/// Type of service (SEP "servicio"). Comunitario (CONAFE) schools are multigrade by nature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    General,
    Indigena,
    Tecnica,
    Telesecundaria,
    Multigrado,
    Comunitario,
}

/// Working shift. Completo, discontinuo and continuo schools work in the morning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    Matutino,
    Vespertino,
    Completo,
    Discontinuo,
}

impl Shift {
    pub fn is_afternoon(self) -> bool {
        self == Shift::Vespertino
    }
}

/// When a cluster meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Session {
    Morning,
    Afternoon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Director,
    Subdirector,
    Atp,
    Teacher,
}

impl Role {
    /// Lower is preferred as coordinator (rule 8: directors first, then deputies and ATPs).
    pub(crate) fn coordinator_rank(self) -> u8 {
        match self {
            Role::Director => 0,
            Role::Subdirector | Role::Atp => 1,
            Role::Teacher => 2,
        }
    }
}

/// One member of a school's CTE (consejo técnico escolar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CteMember {
    pub teacher_id: String,
    /// Grade or subject ("1°", "Matemáticas", "Dirección", ...).
    pub assignment: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct School {
    /// Official code (CCT).
    pub code: String,
    pub name: String,
    pub level: Level,
    pub modality: Modality,
    pub shift: Shift,
    pub rural: bool,
    pub state: String,
    pub municipality: String,
    /// Locality key, unique across the country (e.g. "22-014-0001").
    pub locality: String,
    #[serde(default)]
    pub colonia: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    pub classrooms: u32,
    pub cte: Vec<CteMember>,
    /// Code of the school this one sends most of its pupils to.
    #[serde(default)]
    pub feeds: Option<String>,
    /// Supervision zone (SEP `SUPERVISION_CV_CCT`), when known. Plans made before this field
    /// existed deserialize with `None`.
    #[serde(default)]
    pub zone: Option<String>,
}

impl School {
    pub fn is_indigenous(&self) -> bool {
        self.modality == Modality::Indigena
    }

    /// Multigrade organisation (rule 4). CONAFE community schools are multigrade.
    pub fn is_multigrade(&self) -> bool {
        matches!(self.modality, Modality::Multigrado | Modality::Comunitario)
    }

    /// Rule 3: urban, non-indigenous afternoon schools meet in the afternoon; rural and
    /// indigenous contexts meet in the morning whatever their shift.
    pub fn session(&self) -> Session {
        if self.shift.is_afternoon() && !self.rural && !self.is_indigenous() {
            Session::Afternoon
        } else {
            Session::Morning
        }
    }

    pub fn coords(&self) -> Option<(f64, f64)> {
        match (self.lat, self.lon) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Some((a, b)),
            _ => None,
        }
    }
}

/// Planner options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Rule 7: at most this many teachers per group.
    pub max_group_size: u32,
    /// A single-level locality joins another locality only within this distance.
    pub max_distance_km: f64,
    /// A cluster holds at most this many schools; bigger localities are split.
    pub max_schools_per_cluster: usize,
    /// Afternoon schools of one level look this far for afternoon schools of another level
    /// before falling back to the morning session (rule 3).
    pub afternoon_distance_km: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_group_size: 30,
            max_distance_km: 25.0,
            max_schools_per_cluster: 12,
            afternoon_distance_km: 10.0,
        }
    }
}

/// One teacher placed in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub school: String,
    pub teacher: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub members: Vec<Member>,
    /// Coordinator (teacher id) for sessions 1, 2 and 3.
    pub coordinators: [String; 3],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Stable id, unique in the plan (not necessarily contiguous after hand edits).
    pub id: usize,
    pub session: Session,
    pub schools: Vec<String>,
    pub host: String,
    pub groups: Vec<Group>,
    /// Supervision zones of the cluster's schools, sorted, without repeats (empty when the
    /// input has no zones, or in plans made before this field existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
}

/// The supervision zones of `schools`, sorted and without repeats.
pub fn zones_of<'s>(schools: impl IntoIterator<Item = &'s School>) -> Vec<String> {
    let mut z: Vec<String> = schools.into_iter().filter_map(|s| s.zone.clone()).collect();
    z.sort();
    z.dedup();
    z
}

/// Which rule an exception or violation is about. Rules 1–8 are numbered as in DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// 1: at least two levels per cluster.
    Levels,
    /// 2: clusters follow the community.
    Community,
    /// 3: afternoon with afternoon; rural and indigenous in the morning.
    Shift,
    /// 4: multigrade schools.
    Multigrade,
    /// 5: CAM.
    Cam,
    /// 6: host with enough classrooms.
    Host,
    /// 7: groups of at most 30, fewest groups, CTEs spread evenly.
    Groups,
    /// 8: coordinators.
    Coordinators,
    /// Input: coordinates missing, locality centroid used.
    MissingCoordinates,
    /// Plan structure: every school and every teacher exactly once.
    Completeness,
}

impl Rule {
    /// DESIGN.md rule number (0 for input or structure kinds).
    pub fn number(self) -> u8 {
        match self {
            Rule::Levels => 1,
            Rule::Community => 2,
            Rule::Shift => 3,
            Rule::Multigrade => 4,
            Rule::Cam => 5,
            Rule::Host => 6,
            Rule::Groups => 7,
            Rule::Coordinators => 8,
            Rule::MissingCoordinates | Rule::Completeness => 0,
        }
    }

    /// The message id of the rule's name ([`crate::text`]).
    pub fn text_id(self) -> &'static str {
        match self {
            Rule::Levels => "planner-rule-levels",
            Rule::Community => "planner-rule-community",
            Rule::Shift => "planner-rule-shift",
            Rule::Multigrade => "planner-rule-multigrade",
            Rule::Cam => "planner-rule-cam",
            Rule::Host => "planner-rule-host",
            Rule::Groups => "planner-rule-groups",
            Rule::Coordinators => "planner-rule-coordinators",
            Rule::MissingCoordinates => "planner-rule-missing-coordinates",
            Rule::Completeness => "planner-rule-completeness",
        }
    }
}

/// A decision the rules could not make alone, for the supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exception {
    pub rule: Rule,
    pub schools: Vec<String>,
    /// Why, for the supervisor.
    pub reason: Text,
    /// What the supervisor could do.
    pub suggestion: Text,
    /// `true`: the schools could not be placed and appear in no cluster. `false`: a notice
    /// about schools that are in a cluster (or about the input).
    pub unplaced: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub options: Options,
    pub schools: Vec<School>,
    pub clusters: Vec<Cluster>,
    pub exceptions: Vec<Exception>,
}
