//! What the index knows about one practice.

/// One practice as the search index sees it. `body` is all of the record's text concatenated
/// (context, problem, objective, steps, results, learnings, tags, authors...);
/// `attachments_text` is the text extracted from its attachments (see [`crate::extract`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeDoc {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub attachments_text: String,
    pub country: String,
    pub region: String,
    pub level: String,
    pub area: String,
    pub stage: String,
    /// Combined review score on the rubric's scale of 1 to 4; `None` before any review.
    pub score: Option<f64>,
    pub network_id: i64,
    pub published: bool,
}

/// The facets a search can filter by and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetKind {
    Country,
    Region,
    Level,
    Area,
    Stage,
    ScoreBand,
}

impl FacetKind {
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Country,
        FacetKind::Region,
        FacetKind::Level,
        FacetKind::Area,
        FacetKind::Stage,
        FacetKind::ScoreBand,
    ];

    /// The index field holding this facet (also the key used in URLs).
    pub fn field_name(self) -> &'static str {
        match self {
            FacetKind::Country => "country",
            FacetKind::Region => "region",
            FacetKind::Level => "level",
            FacetKind::Area => "area",
            FacetKind::Stage => "stage",
            FacetKind::ScoreBand => "score_band",
        }
    }

    pub fn from_field_name(name: &str) -> Option<FacetKind> {
        FacetKind::ALL.into_iter().find(|k| k.field_name() == name)
    }
}

/// Band label of "no review yet".
pub const UNSCORED: &str = "sin puntaje";

/// The score band a combined score falls in, on the rubric's 1–4 scale: "1–2" (below 2),
/// "2–3" (below 3), "3–4" (3 and above); practices without a review are "sin puntaje".
/// Bands rather than the raw number because a facet lists few values a person can pick.
pub fn score_band(score: Option<f64>) -> &'static str {
    match score {
        None => UNSCORED,
        Some(s) if s.is_nan() => UNSCORED,
        Some(s) if s < 2.0 => "1–2",
        Some(s) if s < 3.0 => "2–3",
        Some(_) => "3–4",
    }
}
