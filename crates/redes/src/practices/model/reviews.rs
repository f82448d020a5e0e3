//! Peer review of good practices (issue 12, item 3): the rubric (criteria
//! with four levels each, and how many reviews publication needs), the
//! reviews with their scores, and the parsing of the rubric, assignment,
//! review and reply forms (the same bodies as the API's, the forms'
//! `score_N` and `name_N` fields read into them).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::{PersonId, PracticeId, ReviewId, RubricId};
use crate::limits::problem;

/// The criteria of a good practice in seed 002 (Colombia's Ministry of
/// Education): relevant, innovative, systematic, documented, tested, gives
/// results, sustainable, serves as a reference. Name, what it means, and
/// what each level (1 to 4) looks like.
pub const SEED_002: [(&str, &str, [&str; 4]); 8] = [
    (
        "Pertinente",
        "Responde a una necesidad real de sus escuelas y de su territorio.",
        [
            "No se ve a qué necesidad de las escuelas o del territorio responde.",
            "Nombra una necesidad, pero no muestra cómo la atiende.",
            "Responde a una necesidad identificada de sus escuelas y lo muestra.",
            "Responde a una necesidad priorizada del territorio, vinculada al PEI, al plan de mejoramiento o a la política.",
        ],
    ),
    (
        "Innovadora",
        "Su enfoque es nuevo o creativo en el contexto donde se aplica.",
        [
            "Repite lo que ya se hacía.",
            "Introduce cambios menores en lo que ya se hacía.",
            "Propone una forma nueva de abordar el problema en su contexto.",
            "Propone un enfoque nuevo que cambia la forma de trabajar y puede inspirar a otros.",
        ],
    ),
    (
        "Sistemática",
        "Sigue un proceso ordenado, con pasos, responsables y tiempos.",
        [
            "Son acciones aisladas, sin un orden reconocible.",
            "Tiene pasos, pero sin responsables ni tiempos claros.",
            "Sigue pasos ordenados, con responsables y tiempos.",
            "Sigue un proceso ordenado que se revisa y ajusta en ciclos.",
        ],
    ),
    (
        "Documentada",
        "Está registrada de modo que otros la conozcan: contexto, pasos y evidencias.",
        [
            "No hay registro más allá de una descripción.",
            "El registro es parcial: faltan pasos o evidencias.",
            "Registra el contexto, los pasos y las evidencias.",
            "Registra todo e incluye materiales para que otros la apliquen (pautas, instrumentos).",
        ],
    ),
    (
        "Experimentada",
        "Se ha puesto a prueba en la realidad, no solo planificado.",
        [
            "Solo está planificada.",
            "Se aplicó una vez o con un grupo pequeño.",
            "Se aplicó durante al menos un ciclo completo.",
            "Se aplicó en varios ciclos o escuelas y se ajustó con lo aprendido.",
        ],
    ),
    (
        "Produce resultados",
        "Muestra resultados, con evidencia, en los aprendizajes o en la gestión.",
        [
            "No informa resultados.",
            "Informa resultados sin evidencia.",
            "Muestra resultados con evidencia (cifras, registros).",
            "Muestra resultados sostenidos, con evidencia comparada con la situación inicial.",
        ],
    ),
    (
        "Sostenible",
        "Puede mantenerse en el tiempo con los recursos y actores con que cuenta.",
        [
            "Depende de una persona o de recursos que se acaban.",
            "Se mantiene solo con apoyo externo.",
            "Forma parte de la organización de la escuela o de la red.",
            "Está institucionalizada (PEI, plan de mejoramiento) y asocia a actores públicos, privados y de la sociedad civil.",
        ],
    ),
    (
        "Sirve de referencia",
        "Otras escuelas, redes o territorios pueden replicarla o adaptarla.",
        [
            "Solo tiene sentido en su escuela.",
            "Podría adaptarse, pero no dice cómo.",
            "Indica qué se necesita para aplicarla en otro contexto.",
            "Ya fue adaptada por otros o incluye una guía para replicarla.",
        ],
    ),
];

/// Finished reviews publication needs where no rubric says otherwise.
pub const DEFAULT_REVIEWS_NEEDED: i64 = 2;
/// The most reviews a rubric may ask for, and the most criteria it has.
pub const MAX_REVIEWS_NEEDED: i64 = 5;
pub const MAX_CRITERIA: usize = 12;

/// A criterion of a rubric: its name, what it means, and a descriptor for
/// each level from 1 to 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    pub name: String,
    pub meaning: String,
    /// Four descriptors: level 1 first.
    pub levels: Vec<String>,
}

/// The rubric a practice is reviewed with: its region's, else its
/// country's, else seed 002's (`id` none).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rubric {
    pub id: Option<RubricId>,
    pub country: Country,
    /// Empty: the whole country.
    pub region: String,
    pub reviews_needed: i64,
    pub criteria: Vec<Criterion>,
    pub updated_at: Option<String>,
}

impl Rubric {
    /// Seed 002's rubric, as in force in a territory without its own.
    pub fn seed(country: Country, region: &str) -> Rubric {
        Rubric {
            id: None,
            country,
            region: region.to_string(),
            reviews_needed: DEFAULT_REVIEWS_NEEDED,
            criteria: SEED_002
                .iter()
                .map(|(name, meaning, levels)| Criterion {
                    name: name.to_string(),
                    meaning: meaning.to_string(),
                    levels: levels.iter().map(|l| l.to_string()).collect(),
                })
                .collect(),
            updated_at: None,
        }
    }
}

/// A rubric of the list: where it applies and how many reviews it asks.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct RubricSummary {
    pub id: RubricId,
    pub country: Country,
    pub region: String,
    pub reviews_needed: i64,
    pub criteria: i64,
    pub updated_at: String,
}

/// The rubric form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"reviews_needed": 2, "criteria": [{"name": "Pertinente",
    "meaning": "Responde a una necesidad real.", "levels": ["No se ve.", "La nombra.", "La atiende.", "La prioriza."]}]}))]
pub struct RubricInput {
    /// From 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub reviews_needed: i64,
    /// From 1 to 12, in order; a criterion left wholly empty is dropped.
    /// Names at most 120 characters, meanings 1,000, descriptors 500.
    pub criteria: Vec<Criterion>,
}

impl RubricInput {
    /// The rubric form: `reviews_needed`, and per row N `name_N`,
    /// `meaning_N`, `level_N_1` to `level_N_4`.
    pub fn from_form(form: &HashMap<String, String>) -> RubricInput {
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        let criteria = (1..=MAX_CRITERIA + 1)
            .filter(|n| form.contains_key(&format!("name_{n}")))
            .map(|n| Criterion {
                name: get(&format!("name_{n}")),
                meaning: get(&format!("meaning_{n}")),
                levels: (1..=4).map(|l| get(&format!("level_{n}_{l}"))).collect(),
            })
            .collect();
        RubricInput {
            reviews_needed: get("reviews_needed").trim().parse().unwrap_or(0),
            criteria,
        }
    }

    /// The form filled with a rubric, to edit it.
    pub fn of(r: &Rubric) -> RubricInput {
        RubricInput {
            reviews_needed: r.reviews_needed,
            criteria: r.criteria.clone(),
        }
    }

    /// The number of reviews and the criteria, trimmed; errors name the
    /// row's field (`name_3`, `level_3_2`).
    pub fn parse(&self) -> Result<(i64, Vec<Criterion>), FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=MAX_REVIEWS_NEEDED).contains(&self.reviews_needed) {
            errors.insert(
                "reviews_needed".into(),
                crate::text::message("practices-elija-entre-1-revisiones", &[("MAX_REVIEWS_NEEDED", &MAX_REVIEWS_NEEDED)]),
            );
        }
        let mut criteria = Vec::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let n = i + 1;
            let blank = |s: &String| s.trim().is_empty();
            if blank(&c.name) && blank(&c.meaning) && c.levels.iter().all(blank) {
                continue;
            }
            let check = |errors: &mut FieldErrors, field: String, kind: &str, text: &str, empty: Option<&str>| {
                if let Some(p) = problem(kind, text) {
                    errors.insert(field, p);
                } else if let (Some(message), true) = (empty, text.trim().is_empty()) {
                    errors.insert(field, message.to_string());
                }
            };
            check(&mut errors, format!("name_{n}"), "criterion", &c.name, Some("practices-escriba-nombre-criterio"));
            check(&mut errors, format!("meaning_{n}"), "meaning", &c.meaning, None);
            if c.levels.len() != 4 {
                errors.insert(format!("level_{n}_1"), "practices-describa-cuatro-niveles-1-4".into());
            }
            for (l, text) in c.levels.iter().enumerate().take(4) {
                let message = crate::text::message("practices-describa-nivel", &[("arg1", &(l + 1))]);
                check(&mut errors, format!("level_{n}_{}", l + 1), "descriptor", text, Some(&message));
            }
            criteria.push(Criterion {
                name: c.name.trim().to_string(),
                meaning: c.meaning.trim().to_string(),
                levels: c.levels.iter().map(|l| l.trim().to_string()).collect(),
            });
        }
        if criteria.is_empty() {
            errors.insert("criteria".into(), "practices-rubrica-necesita-menos-criterio".into());
        }
        if criteria.len() > MAX_CRITERIA {
            errors.insert("criteria".into(), crate::text::message("practices-no-mas-criterios", &[("MAX_CRITERIA", &MAX_CRITERIA)]));
        }
        match errors.is_empty() {
            true => Ok((self.reviews_needed, criteria)),
            false => Err(errors),
        }
    }
}

/// Where a new rubric applies (form or API body).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"country": "co", "region": "Bolívar"}))]
pub struct RubricPlaceInput {
    #[schema(pattern = "^(cl|co|mx)$")]
    pub country: String,
    /// Empty: the whole country. At most 120 characters.
    #[schema(max_length = 120)]
    pub region: String,
}

impl RubricPlaceInput {
    pub fn parse(&self) -> Result<(Country, String), FieldErrors> {
        let mut errors = crate::limits::check(self);
        let country = Country::parse(&self.country);
        if country.is_none() {
            errors.insert("country".into(), "practices-elija-pais".into());
        }
        match country {
            Some(c) if errors.is_empty() => Ok((c, self.region.trim().to_string())),
            _ => Err(errors),
        }
    }
}

/// A review of a practice: who was assigned, and once sent, their scores.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
// `PracticeReview` in the OpenAPI document: the agreements' `Review` (what
// a meeting said of an agreement) has the plain name.
#[schema(as = PracticeReview)]
pub struct Review {
    pub id: ReviewId,
    pub practice_id: PracticeId,
    pub reviewer_id: PersonId,
    pub reviewer_name: String,
    pub assigned_by_name: String,
    pub assigned_at: String,
    /// None while the reviewer has not sent it.
    pub submitted_at: Option<String>,
    /// The reviewer's general comment.
    pub comment: String,
    /// The authors' reply (empty: none yet).
    pub reply: String,
    pub replied_by_name: Option<String>,
    pub replied_at: Option<String>,
    #[sqlx(skip)]
    pub scores: Vec<Score>,
    /// The mean of its scores, once sent.
    #[sqlx(skip)]
    pub score: Option<f64>,
}

/// A criterion's score in a review (the criterion's name as it was).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Score {
    pub review_id: ReviewId,
    pub position: i64,
    pub criterion: String,
    /// From 1 to 4.
    pub score: i64,
    pub comment: String,
}

/// The mean of some scores, None for none.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The combined score of a practice: the mean of its sent reviews' scores.
pub fn combined(reviews: &[Review]) -> Option<f64> {
    mean(reviews.iter().filter_map(|r| r.score))
}

/// Choosing a reviewer (form or API body).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"reviewer_id": "12"}))]
pub struct AssignInput {
    /// A person with an account, never an author of the practice.
    #[schema(pattern = "^[0-9]+$", max_length = 12)]
    pub reviewer_id: String,
}

impl AssignInput {
    pub fn parse(&self) -> Result<PersonId, FieldErrors> {
        let mut errors = crate::limits::check(self);
        match self.reviewer_id.trim().parse::<i64>() {
            Ok(id) if errors.is_empty() => Ok(PersonId(id)),
            _ => {
                errors
                    .entry("reviewer_id".into())
                    .or_insert_with(|| "practices-elija-persona-revisa".into());
                Err(errors)
            }
        }
    }
}

/// One criterion's score as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ScoreInput {
    /// The criterion's place in the rubric, from 1.
    pub criterion: i64,
    /// From 1 to 4.
    pub score: i64,
    /// At most 2,000 characters.
    #[schema(max_length = 2000)]
    pub comment: String,
}

/// A review as sent (form or API body).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(as = PracticeReviewInput, example = json!({"comment": "Una práctica sólida; falta evidencia de resultados.",
    "scores": [{"criterion": 1, "score": 4, "comment": "Vinculada al PME."}]}))]
pub struct ReviewInput {
    /// For the authors: required, at most 2,000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub comment: String,
    /// One per criterion of the rubric.
    pub scores: Vec<ScoreInput>,
}

impl ReviewInput {
    /// The review form: `comment`, and per criterion N `score_N` and `comment_N`.
    pub fn from_form(form: &HashMap<String, String>, criteria: usize) -> ReviewInput {
        let get = |k: &str| form.get(k).cloned().unwrap_or_default();
        ReviewInput {
            comment: get("comment"),
            scores: (1..=criteria)
                .map(|n| ScoreInput {
                    criterion: n as i64,
                    score: get(&format!("score_{n}")).trim().parse().unwrap_or(0),
                    comment: get(&format!("comment_{n}")),
                })
                .collect(),
        }
    }

    /// The general comment and, per criterion in order, its score and
    /// comment; errors name `score_N` and `comment_N`.
    pub fn parse(&self, criteria: usize) -> Result<(String, Vec<(i64, String)>), FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(p) = problem("comment", &self.comment) {
            errors.insert("comment".into(), p);
        } else if self.comment.trim().is_empty() {
            errors.insert("comment".into(), "practices-escriba-comentario-general-para-autores".into());
        }
        for s in &self.scores {
            if s.criterion < 1 || s.criterion as usize > criteria {
                errors.insert(
                    "scores".into(),
                    crate::text::message("practices-rubrica-tiene-criterios-recibio", &[("criteria", &criteria), ("criterion", &s.criterion)]),
                );
            }
        }
        let mut out = Vec::new();
        for n in 1..=criteria {
            let Some(s) = self.scores.iter().find(|s| s.criterion == n as i64) else {
                errors.insert(format!("score_{n}"), "practices-elija-nivel-1-4".into());
                continue;
            };
            if !(1..=4).contains(&s.score) {
                let message = match s.score {
                    0 => "practices-elija-nivel-1-4".to_string(),
                    other => crate::text::message("practices-nivel-va-1-4-recibio", &[("other", &other)]),
                };
                errors.insert(format!("score_{n}"), message);
            }
            if let Some(p) = problem("comment", &s.comment) {
                errors.insert(format!("comment_{n}"), p);
            }
            out.push((s.score, s.comment.trim().to_string()));
        }
        match errors.is_empty() {
            true => Ok((self.comment.trim().to_string(), out)),
            false => Err(errors),
        }
    }
}

/// The authors' reply to a review (form or API body).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"reply": "Agregamos las pautas aplicadas como evidencia."}))]
pub struct ReplyInput {
    /// Required, at most 2,000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub reply: String,
}

impl ReplyInput {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = crate::limits::check(self);
        if errors.is_empty() && self.reply.trim().is_empty() {
            errors.insert("reply".into(), "practices-escriba-respuesta".into());
        }
        match errors.is_empty() {
            true => Ok(self.reply.trim().to_string()),
            false => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_002_gives_eight_criteria_with_four_levels() {
        let r = Rubric::seed(Country::Co, "Bolívar");
        assert_eq!(r.criteria.len(), 8);
        assert!(r.criteria.iter().all(|c| c.levels.len() == 4));
        assert_eq!(r.reviews_needed, DEFAULT_REVIEWS_NEEDED);
        // Seed 002's rubric is a valid rubric as it stands.
        assert!(RubricInput::of(&r).parse().is_ok());
    }

    #[test]
    fn scores_outside_one_to_four_are_named() {
        let input = ReviewInput {
            comment: "Bien".into(),
            scores: vec![
                ScoreInput { criterion: 1, score: 4, comment: String::new() },
                ScoreInput { criterion: 2, score: 7, comment: String::new() },
            ],
        };
        let errors = input.parse(3).unwrap_err();
        assert_eq!(crate::text::es(&errors["score_2"]), "El nivel va de 1 a 4 (recibió 7)");
        assert_eq!(crate::text::es(&errors["score_3"]), "Elija un nivel de 1 a 4");
        assert!(!errors.contains_key("score_1"));
        let mut form = HashMap::new();
        for (k, v) in [("comment", "Ok"), ("score_1", "3"), ("score_2", "2")] {
            form.insert(k.to_string(), v.to_string());
        }
        let (comment, scores) = ReviewInput::from_form(&form, 2).parse(2).unwrap();
        assert_eq!(comment, "Ok");
        assert_eq!(scores, vec![(3, String::new()), (2, String::new())]);
    }

    #[test]
    fn the_rubric_form_names_each_bad_field() {
        let mut form = HashMap::new();
        for (k, v) in [
            ("reviews_needed", "9"),
            ("name_1", "Pertinente"),
            ("level_1_1", "a"),
            ("level_1_2", "b"),
            ("level_1_3", ""),
            ("level_1_4", "d"),
            ("name_2", ""),
            ("meaning_2", "x"),
            ("name_3", ""),
        ] {
            form.insert(k.to_string(), v.to_string());
        }
        let errors = RubricInput::from_form(&form).parse().unwrap_err();
        for field in ["reviews_needed", "level_1_3", "name_2"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        assert!(!errors.contains_key("name_3"), "an empty row is dropped");
    }

    #[test]
    fn the_combined_score_is_the_mean_of_the_reviews() {
        assert_eq!(mean([4.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(mean(Vec::<f64>::new()), None);
    }
}
