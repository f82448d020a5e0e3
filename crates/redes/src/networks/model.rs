//! Network types and the parsing of the network form.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::NetworkId;

/// A school improvement network: RME, teacher network, learning community
/// or encounter cluster, with its charter (the structure of seed 001).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Network {
    pub id: NetworkId,
    pub country: Country,
    pub kind: NetworkKind,
    pub name: String,
    pub region: String,
    pub province: String,
    pub since_year: Option<i64>,
    /// Who forms it.
    pub who_forms: String,
    pub principles_needs: String,
    pub objective: String,
    /// How the members move the objective.
    pub how_members_move: String,
    /// How collaboration shows.
    pub collaboration: String,
    pub learnings_achievements: String,
    pub key_idea: String,
    pub projection_challenges: String,
    pub synthetic: i64,
    pub archived: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub const NETWORK_COLUMNS: &str = "id, country, kind, name, region, province, since_year, who_forms, principles_needs, objective, how_members_move, collaboration, learnings_achievements, key_idea, projection_challenges, synthetic, archived, created_at, updated_at";

/// What kind of network it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    /// Red de Mejoramiento Escolar (Chile, seed 001).
    #[default]
    Rme,
    /// A teachers' network (Colombia, seed 000).
    TeacherNetwork,
    LearningCommunity,
    /// The schools of an "Encuentro entre escuelas" (Mexico, seed 003).
    EncounterCluster,
}

crate::stored_as_text!(NetworkKind);

impl NetworkKind {
    pub const ALL: [NetworkKind; 4] = [
        NetworkKind::Rme,
        NetworkKind::TeacherNetwork,
        NetworkKind::LearningCommunity,
        NetworkKind::EncounterCluster,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NetworkKind::Rme => "rme",
            NetworkKind::TeacherNetwork => "teacher_network",
            NetworkKind::LearningCommunity => "learning_community",
            NetworkKind::EncounterCluster => "encounter_cluster",
        }
    }

    /// Spanish name.
    pub fn label(self) -> &'static str {
        match self {
            NetworkKind::Rme => "networks-red-mejoramiento-escolar",
            NetworkKind::TeacherNetwork => "networks-red-maestros",
            NetworkKind::LearningCommunity => "meetings-comunidad-aprendizaje",
            NetworkKind::EncounterCluster => "encounters-encuentro-entre-escuelas",
        }
    }
}

impl std::str::FromStr for NetworkKind {
    type Err = ();
    fn from_str(code: &str) -> Result<NetworkKind, ()> {
        NetworkKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(())
    }
}

/// Kinds of network as (code, Spanish name), for the forms and filters.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    NetworkKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect()
}

/// The charter sections in the order of seed 001, with their Spanish titles.
pub const CHARTER: [(&str, &str); 8] = [
    ("who_forms", "networks-quienes-conforman"),
    ("principles_needs", "networks-principios-necesidades"),
    ("objective", "practices-objetivo"),
    (
        "how_members_move",
        "networks-como-integrantes-movilizan-objetivo",
    ),
    ("collaboration", "networks-como-refleja-trabajo-colaborativo"),
    (
        "learnings_achievements",
        "networks-principales-aprendizajes-logros",
    ),
    ("key_idea", "networks-idea-clave"),
    ("projection_challenges", "networks-proyeccion-desafios"),
];

/// The network form or API body, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"country": "cl", "kind": "rme", "name": "Red de Mejoramiento Escolar Talca Norte",
    "region": "Maule", "province": "Talca", "since_year": "2016",
    "objective": "Mejorar la comprensión lectora en primer ciclo"}))]
pub struct NetworkInput {
    /// `cl`, `co` or `mx`.
    #[schema(pattern = "^(cl|co|mx)$")]
    pub country: String,
    /// Empty means `rme`.
    #[schema(pattern = "^(rme|teacher_network|learning_community|encounter_cluster)?$")]
    pub kind: String,
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    /// Region, department or state; required.
    #[schema(pattern = "\\S")]
    pub region: String,
    pub province: String,
    /// A year from 1990 to 2100, or empty.
    #[schema(pattern = "^(199[0-9]|20[0-9][0-9]|2100)?$")]
    pub since_year: String,
    pub who_forms: String,
    pub principles_needs: String,
    pub objective: String,
    pub how_members_move: String,
    pub collaboration: String,
    pub learnings_achievements: String,
    pub key_idea: String,
    pub projection_challenges: String,
}

/// A checked network, ready to be written: the input trimmed, with its
/// country, kind and year parsed.
#[derive(Debug, Clone)]
pub struct NewNetwork {
    pub input: NetworkInput,
    pub country: Country,
    pub kind: NetworkKind,
    pub since_year: Option<i64>,
}

impl NewNetwork {
    pub fn territory(&self) -> crate::auth::policy::Territory<'_> {
        crate::auth::policy::Territory {
            country: self.country,
            region: &self.input.region,
            province: &self.input.province,
            zone: "",
        }
    }
}

impl From<&Network> for NetworkInput {
    fn from(n: &Network) -> Self {
        NetworkInput {
            country: n.country.code().to_string(),
            kind: n.kind.code().to_string(),
            name: n.name.clone(),
            region: n.region.clone(),
            province: n.province.clone(),
            since_year: n.since_year.map(|y| y.to_string()).unwrap_or_default(),
            who_forms: n.who_forms.clone(),
            principles_needs: n.principles_needs.clone(),
            objective: n.objective.clone(),
            how_members_move: n.how_members_move.clone(),
            collaboration: n.collaboration.clone(),
            learnings_achievements: n.learnings_achievements.clone(),
            key_idea: n.key_idea.clone(),
            projection_challenges: n.projection_challenges.clone(),
        }
    }
}

impl NetworkInput {
    pub fn parse(&self) -> Result<NewNetwork, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let mut input = self.clone();
        input.name = input.name.trim().to_string();
        input.country = input.country.trim().to_lowercase();
        input.region = input.region.trim().to_string();
        input.province = input.province.trim().to_string();
        if input.kind.trim().is_empty() {
            input.kind = "rme".into();
        }
        if input.name.is_empty() {
            errors.insert("name".into(), "networks-nombre-red-es-obligatorio".into());
        } else if input.name.chars().count() > 200 {
            errors.insert(
                "name".into(),
                "networks-nombre-no-puede-superar-200-caracteres".into(),
            );
        }
        let country = Country::parse(&input.country);
        if country.is_none() {
            errors.insert("country".into(), "networks-elija-chile-colombia-mexico".into());
        }
        let kind = input.kind.parse::<NetworkKind>().ok();
        if kind.is_none() {
            errors.insert(
                "kind".into(),
                crate::text::message("networks-tipo-red-desconocido", &[("kind", &input.kind)]),
            );
        }
        if input.region.is_empty() {
            errors.insert(
                "region".into(),
                "networks-region-departamento-estado-es-obligatorio".into(),
            );
        }
        let since = input.since_year.trim();
        let since_year = if since.is_empty() {
            None
        } else {
            match since.parse::<i64>() {
                Ok(y) if (1990..=2100).contains(&y) => Some(y),
                _ => {
                    errors.insert(
                        "since_year".into(),
                        "networks-escriba-ano-entre-1990-2100".into(),
                    );
                    None
                }
            }
        };
        match (country, kind) {
            (Some(country), Some(kind)) if errors.is_empty() => Ok(NewNetwork {
                input,
                country,
                kind,
                since_year,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_needs_a_name_a_known_kind_and_a_sane_year() {
        let input = NetworkInput {
            country: "cl".into(),
            region: "Maule".into(),
            kind: "club".into(),
            since_year: "15".into(),
            ..Default::default()
        };
        let errors = input.parse().unwrap_err();
        assert_eq!(crate::text::es(&errors["name"]), "El nombre de la red es obligatorio");
        assert!(crate::text::es(&errors["kind"]).contains("club"));
        assert!(crate::text::es(&errors["since_year"]).contains("1990"));
        let ok = NetworkInput {
            name: " Red Linares ".into(),
            kind: String::new(),
            since_year: "2016".into(),
            ..input
        };
        let network = ok.parse().unwrap();
        assert_eq!(network.input.name, "Red Linares");
        assert_eq!(network.kind, NetworkKind::Rme);
        assert_eq!(network.since_year, Some(2016));
    }
}

/// One of a person's networks on their home page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OwnNetwork {
    pub id: NetworkId,
    pub name: String,
    pub region: String,
    /// Current member schools.
    pub schools: i64,
}
