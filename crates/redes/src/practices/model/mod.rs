//! Practice types, the lifecycle's rules (which step follows which, and
//! what each stage needs), and the parsing of the practice and transition
//! forms (the same bodies as the API's).

pub mod replications;
pub mod reviews;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::policy::PracticeStep;
use crate::error::{AppError, FieldErrors};
use crate::ids::{NetworkId, PersonId, PracticeFileId, PracticeId, SchoolId};

/// Declares a text-coded enum with its codes, Spanish labels and parsing.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        crate::stored_as_text!($name);

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            /// Spanish name.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// (code, Spanish name) of every value, for forms and filters.
            pub fn choices() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|s| (s.code(), s.label())).collect()
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(code: &str) -> Result<$name, ()> {
                Self::ALL.iter().copied().find(|s| s.code() == code).ok_or(())
            }
        }
    };
}

coded!(
    /// Where the practice itself stands in the school (seed 001, Magallanes).
    Stage {
        Starting = "starting", "practices-iniciandose";
        InProgress = "in_progress", "practices-proceso";
        Finished = "finished", "practices-terminada";
        Evaluated = "evaluated", "practices-evaluada";
    }
);

coded!(
    /// Where the practice stands in the management cycle (seed 002), in
    /// order: each status is reached from the one before.
    PracticeStatus {
        Identified = "identified", "practices-identificada";
        Documented = "documented", "practices-documentada";
        Systematized = "systematized", "practices-sistematizada";
        UnderReview = "under_review", "practices-revision";
        Published = "published", "practices-publicada";
        Replicated = "replicated", "practices-replicada";
    }
);

impl PracticeStatus {
    /// Published (or replicated, which comes after): readable by anyone.
    pub fn is_public(self) -> bool {
        self >= PracticeStatus::Published
    }

    /// The text and evidence change only before the review.
    pub fn is_editable(self) -> bool {
        self < PracticeStatus::UnderReview
    }

    /// The moves a person may ask for from here, and whose step each is.
    /// Replicated is reached by recording a replication, not by asking.
    pub fn moves(self) -> Vec<(PracticeStatus, PracticeStep)> {
        use PracticeStatus::*;
        match self {
            Identified => vec![(Documented, PracticeStep::Document)],
            Documented => vec![(Systematized, PracticeStep::Document)],
            Systematized => vec![(UnderReview, PracticeStep::SendToReview)],
            UnderReview => vec![
                (Published, PracticeStep::Decide),
                (Systematized, PracticeStep::Decide),
            ],
            Published | Replicated => vec![],
        }
    }
}

/// A practice with its network's name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Practice {
    pub id: PracticeId,
    pub network_id: NetworkId,
    pub network_name: String,
    /// The network's country, region and province.
    pub country: String,
    pub region: String,
    pub province: String,
    pub title: String,
    pub level: String,
    pub area: String,
    pub context: String,
    /// The problem or need it answers.
    pub problem: String,
    pub objective: String,
    /// What was done.
    pub steps: String,
    /// Results, with figures as text.
    pub results: String,
    pub learnings: String,
    /// How it is linked to the school's PEI, its improvement plan (PME,
    /// PMI, PEMC) and to policy.
    pub pei_link: String,
    pub plan_link: String,
    pub policy_link: String,
    /// Comma-separated.
    pub tags: String,
    pub stage: Stage,
    pub status: PracticeStatus,
    pub published_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The columns of `Practice`, over `practices p` joined with `networks n`.
pub const PRACTICE_SELECT: &str = "SELECT p.id, p.network_id, n.name AS network_name, p.country, p.region, p.province,
        p.title, p.level, p.area, p.context, p.problem, p.objective, p.steps, p.results, p.learnings,
        p.pei_link, p.plan_link, p.policy_link, p.tags, p.stage, p.status, p.published_at, p.created_at, p.updated_at
    FROM practices p JOIN networks n ON n.id = p.network_id";

impl Practice {
    pub fn tag_list(&self) -> Vec<String> {
        split_tags(&self.tags)
    }
}

fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// A school or a person named on a practice.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A file of evidence (its content is downloaded separately).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Attachment {
    pub id: PracticeFileId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: String,
    pub created_at: String,
}

/// One move of the lifecycle.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Transition {
    pub status_before: PracticeStatus,
    pub status_after: PracticeStatus,
    pub comment: String,
    pub changed_by_name: String,
    pub changed_at: String,
}

/// The practice form or API body, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"network_id": "1", "title": "Acompañamiento al aula entre pares", "level": "Básica",
    "area": "Lenguaje", "stage": "in_progress", "school_ids": [3], "author_ids": [5]}))]
pub struct PracticeInput {
    /// The network (only when creating; a practice never changes network).
    #[schema(pattern = "^[0-9]*$")]
    pub network_id: String,
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 40)]
    pub level: String,
    #[schema(max_length = 120)]
    pub area: String,
    #[schema(max_length = 5000)]
    pub context: String,
    #[schema(max_length = 5000)]
    pub problem: String,
    #[schema(max_length = 5000)]
    pub objective: String,
    #[schema(max_length = 10000)]
    pub steps: String,
    #[schema(max_length = 10000)]
    pub results: String,
    #[schema(max_length = 5000)]
    pub learnings: String,
    #[schema(max_length = 1000)]
    pub pei_link: String,
    #[schema(max_length = 1000)]
    pub plan_link: String,
    #[schema(max_length = 1000)]
    pub policy_link: String,
    /// Comma-separated, at most 300 characters.
    #[schema(max_length = 300)]
    pub tags: String,
    #[schema(pattern = "^(starting|in_progress|finished|evaluated)$")]
    pub stage: String,
    /// Member schools of the network where it happens.
    pub school_ids: Vec<i64>,
    /// People of the network who wrote it.
    pub author_ids: Vec<i64>,
}

/// A checked practice, ready to be written (schools and authors still to
/// be checked against the network).
#[derive(Debug, Clone)]
pub struct NewPractice {
    pub title: String,
    pub level: String,
    pub area: String,
    pub context: String,
    pub problem: String,
    pub objective: String,
    pub steps: String,
    pub results: String,
    pub learnings: String,
    pub pei_link: String,
    pub plan_link: String,
    pub policy_link: String,
    pub tags: String,
    pub stage: Stage,
    pub school_ids: Vec<SchoolId>,
    pub author_ids: Vec<PersonId>,
}

impl PracticeInput {
    pub fn parse(&self) -> Result<NewPractice, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let t = |s: &String| s.trim().to_string();
        let title = t(&self.title);
        if title.is_empty() {
            errors.insert("title".into(), "practices-escriba-titulo-practica".into());
        }
        let stage = self.stage.trim().parse::<Stage>().ok();
        if stage.is_none() {
            errors.insert(
                "stage".into(),
                "practices-elija-etapa-iniciandose-proceso-terminada-evaluada".into(),
            );
        }
        let mut school_ids: Vec<SchoolId> = Vec::new();
        for id in &self.school_ids {
            if !school_ids.contains(&SchoolId(*id)) {
                school_ids.push(SchoolId(*id));
            }
        }
        if school_ids.is_empty() {
            errors.insert("school_ids".into(), "practices-elija-menos-escuela".into());
        }
        let mut author_ids: Vec<PersonId> = Vec::new();
        for id in &self.author_ids {
            if !author_ids.contains(&PersonId(*id)) {
                author_ids.push(PersonId(*id));
            }
        }
        if author_ids.is_empty() {
            errors.insert("author_ids".into(), "practices-elija-menos-autor".into());
        }
        if school_ids.len() > 50 {
            errors.insert("school_ids".into(), "practices-no-mas-50-escuelas".into());
        }
        if author_ids.len() > 50 {
            errors.insert("author_ids".into(), "practices-no-mas-50-autores".into());
        }
        match stage {
            Some(stage) if errors.is_empty() => Ok(NewPractice {
                title,
                level: t(&self.level),
                area: t(&self.area),
                context: t(&self.context),
                problem: t(&self.problem),
                objective: t(&self.objective),
                steps: t(&self.steps),
                results: t(&self.results),
                learnings: t(&self.learnings),
                pei_link: t(&self.pei_link),
                plan_link: t(&self.plan_link),
                policy_link: t(&self.policy_link),
                tags: split_tags(&self.tags).join(", "),
                stage,
                school_ids,
                author_ids,
            }),
            _ => Err(errors),
        }
    }

    /// The form filled with a practice, to edit it.
    pub fn of(p: &Practice, schools: &[Named], authors: &[Named]) -> PracticeInput {
        PracticeInput {
            network_id: p.network_id.to_string(),
            title: p.title.clone(),
            level: p.level.clone(),
            area: p.area.clone(),
            context: p.context.clone(),
            problem: p.problem.clone(),
            objective: p.objective.clone(),
            steps: p.steps.clone(),
            results: p.results.clone(),
            learnings: p.learnings.clone(),
            pei_link: p.pei_link.clone(),
            plan_link: p.plan_link.clone(),
            policy_link: p.policy_link.clone(),
            tags: p.tags.clone(),
            stage: p.stage.code().to_string(),
            school_ids: schools.iter().map(|s| s.id).collect(),
            author_ids: authors.iter().map(|a| a.id).collect(),
        }
    }
}

/// What a practice has, as the lifecycle's rules need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Completeness {
    pub schools: usize,
    pub authors: usize,
    pub files: usize,
    /// Reviews finished, and how many publication needs (step 3).
    pub reviews: usize,
    pub reviews_needed: usize,
}

/// What the practice still lacks to reach `to`, in Spanish, in the order
/// of the form; empty when nothing. Each stage needs what the ones before
/// it need.
pub fn missing(p: &Practice, has: Completeness, to: PracticeStatus) -> Vec<String> {
    use PracticeStatus::*;
    let mut out: Vec<String> = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            out.push(what.to_string());
        }
    };
    if to >= Documented && to != Replicated {
        need(!p.context.is_empty(), "practices-contexto-2");
        need(!p.problem.is_empty(), "practices-problema-necesidad-2");
        need(!p.objective.is_empty(), "practices-objetivo-2");
        need(!p.steps.is_empty(), "practices-falta-hizo");
        need(has.schools > 0, "practices-menos-escuela");
        need(has.authors > 0, "practices-menos-autor");
    }
    if to >= Systematized && to != Replicated {
        need(!p.results.is_empty(), "practices-resultados");
        need(!p.learnings.is_empty(), "practices-aprendizajes-2");
        need(
            !(p.pei_link.is_empty() && p.plan_link.is_empty() && p.policy_link.is_empty()),
            "practices-vinculo-con-pei-plan-mejoramiento-politica",
        );
    }
    if to >= UnderReview && to != Replicated {
        need(has.files > 0, "practices-evidencia-adjunta-menos-archivo");
    }
    if to == Published && has.reviews < has.reviews_needed {
        out.push(crate::text::message("practices-revisiones-pares-terminadas-tiene", &[("reviews_needed", &has.reviews_needed), ("reviews", &has.reviews)]));
    }
    out
}

/// The transition form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"to": "documented", "comment": "Completamos el registro en la sesión de red."}))]
pub struct TransitionInput {
    #[schema(pattern = "^(documented|systematized|under_review|published)$")]
    pub to: String,
    /// Required when a practice under review is sent back; at most 2,000 characters.
    #[schema(max_length = 2000)]
    pub comment: String,
}

impl TransitionInput {
    /// The status asked for and the comment, checked as text.
    pub fn parse(&self) -> Result<(PracticeStatus, String), FieldErrors> {
        let mut errors = crate::limits::check(self);
        let to = self.to.trim().parse::<PracticeStatus>().ok();
        if to.is_none() {
            errors.insert("to".into(), "practices-elija-paso-siguiente".into());
        }
        match to {
            Some(to) if errors.is_empty() => Ok((to, self.comment.trim().to_string())),
            _ => Err(errors),
        }
    }
}

/// The filters of a list (page and API), as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PracticeFilter {
    /// A lifecycle status code.
    #[param(pattern = "^(identified|documented|systematized|under_review|published|replicated)?$", max_length = 20)]
    pub estado: String,
    /// A stage code.
    #[param(pattern = "^(starting|in_progress|finished|evaluated)?$", max_length = 20)]
    pub etapa: String,
    /// An area, as written on the practices.
    #[param(max_length = 120)]
    pub area: String,
    /// A network's id.
    #[param(pattern = "^[0-9]*$", max_length = 12)]
    pub red: String,
    /// Only published (and replicated) practices.
    #[param(pattern = "^(1)?$", max_length = 1)]
    pub publicadas: String,
}

impl PracticeFilter {
    /// Refuses what is not a filter, naming the parameter.
    pub fn check(&self) -> Result<(), AppError> {
        for (name, text) in [
            ("estado", &self.estado),
            ("etapa", &self.etapa),
            ("area", &self.area),
            ("red", &self.red),
        ] {
            crate::limits::search(name, text)?;
        }
        let bad = |name: &str, what: &str| Err(AppError::field(name, what.to_string()));
        if !self.estado.is_empty() && self.estado.parse::<PracticeStatus>().is_err() {
            return bad("estado", "estado desconocido");
        }
        if !self.etapa.is_empty() && self.etapa.parse::<super::model::Stage>().is_err() {
            return bad("etapa", "etapa desconocida");
        }
        if !self.red.is_empty() && self.red.parse::<i64>().is_err() {
            return bad("red", "red desconocida");
        }
        Ok(())
    }
}

/// What the search index holds of a practice: its text, its schools' and
/// authors' names, its network and territory, its status, its files of
/// evidence (name and content: their text is the indexer's to extract) and
/// its combined review score.
#[derive(Debug, Clone)]
pub struct SearchDocument {
    pub practice: Practice,
    pub schools: Vec<String>,
    pub authors: Vec<String>,
    pub files: Vec<(String, Vec<u8>)>,
    pub score: Option<f64>,
}

/// Why a person may not take a step of the lifecycle.
pub fn refusal(step: PracticeStep) -> &'static str {
    match step {
        PracticeStep::Document => {
            "practices-solo-autores-coordinacion-red-documentan-sistematizan"
        }
        PracticeStep::SendToReview => "practices-solo-coordinacion-red-envia-revision",
        PracticeStep::Decide => {
            "practices-solo-ministerio-autoridad-regional-secretaria-territorio"
        }
    }
}

/// The sections of a practice's record, in the form's order: (field,
/// title id). Its page, its printable page and its PDF show them.
pub const RECORD_SECTIONS: [(&str, &str); 9] = [
    ("context", "practices-contexto"),
    ("problem", "practices-problema-necesidad"),
    ("objective", "practices-objetivo"),
    ("steps", "practices-hizo"),
    ("results", "practices-resultados-evidencia"),
    ("learnings", "practices-aprendizajes"),
    ("pei_link", "practices-vinculo-pei"),
    ("plan_link", "practices-vinculo-plan-mejoramiento"),
    ("policy_link", "practices-vinculo-politica"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn practice() -> Practice {
        Practice {
            id: PracticeId(1),
            network_id: NetworkId(1),
            network_name: "Red".into(),
            country: "cl".into(),
            region: "Biobío".into(),
            province: "Concepción".into(),
            title: "Acompañamiento".into(),
            level: String::new(),
            area: String::new(),
            context: "c".into(),
            problem: "p".into(),
            objective: "o".into(),
            steps: "s".into(),
            results: String::new(),
            learnings: String::new(),
            pei_link: String::new(),
            plan_link: String::new(),
            policy_link: String::new(),
            tags: String::new(),
            stage: Stage::Finished,
            status: PracticeStatus::Documented,
            published_at: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn each_stage_needs_what_the_ones_before_need() {
        let mut p = practice();
        let has = Completeness {
            schools: 1,
            authors: 1,
            ..Completeness::default()
        };
        assert!(missing(&p, has, PracticeStatus::Documented).is_empty());
        let lacks = missing(&p, has, PracticeStatus::UnderReview);
        assert_eq!(lacks.len(), 4, "{lacks:?}");
        assert!(crate::text::es(lacks.last().unwrap()).contains("evidencia"));
        p.results = "80 % de los cursos".into();
        p.learnings = "a".into();
        p.plan_link = "Acción 3 del PME".into();
        let lacks = missing(&p, has, PracticeStatus::UnderReview);
        let lacks: Vec<String> = lacks.iter().map(|l| crate::text::es(l)).collect();
        assert_eq!(lacks, vec!["evidencia adjunta (al menos un archivo)"]);
        p.context.clear();
        let lacks = missing(&p, Completeness::default(), PracticeStatus::Documented);
        assert_eq!(lacks.len(), 3, "{lacks:?}");
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let errors = PracticeInput {
            title: " ".into(),
            stage: "pronto".into(),
            context: "x".repeat(5_001),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        for field in ["title", "stage", "context", "school_ids", "author_ids"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let ok = PracticeInput {
            title: " Pasantías ".into(),
            stage: "finished".into(),
            tags: "pasantías, PME,  pme ,".into(),
            school_ids: vec![3, 3, 4],
            author_ids: vec![5],
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.title, "Pasantías");
        assert_eq!(ok.tags, "pasantías, PME");
        assert_eq!(ok.school_ids, vec![SchoolId(3), SchoolId(4)]);
    }

    #[test]
    fn the_lifecycle_goes_one_step_at_a_time() {
        use PracticeStatus::*;
        assert_eq!(
            Identified.moves(),
            vec![(Documented, PracticeStep::Document)]
        );
        assert!(Published.moves().is_empty());
        assert!(UnderReview.moves().iter().any(|(to, _)| *to == Systematized));
        assert!(Published.is_public() && Replicated.is_public() && !UnderReview.is_public());
        assert!(Systematized.is_editable() && !UnderReview.is_editable());
    }
}
