//! The full-text search of good practices (issue 12 item 5): the Spanish
//! tantivy index of `redes-search`, kept in step with the database.
//!
//! Every write of a practice queues it in its own transaction
//! (`store::search::enqueue`). Before answering, a search rewrites the
//! queued entries from the database (the text of PDF and DOCX evidence
//! included) and only then removes them from the queue, so it never misses
//! a committed change and a crash between the two only re-indexes. The
//! index is opened at start (`open`, from `redes serve`) or at the first
//! search, and rebuilt from the database when its directory is missing, of
//! another `SCHEMA_VERSION`, or holds another number of practices than the
//! database (a database restored or replaced under it).
//!
//! No SQL here: the queue, the documents and who sees which network are
//! the store's (`store::search`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use redes_search::{FacetKind, Index, PracticeDoc, Query, Results, Visibility};
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, OnceCell};
use utoipa::{IntoParams, ToSchema};

use super::model::{PracticeStatus, SearchDocument, Stage};
use super::store;
use crate::auth::policy::Principal;
use crate::country::Country;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::{NetworkId, PracticeId};
use crate::AppState;

/// Results per page.
pub const PAGE_SIZE: usize = 20;

/// The index of one application: where it lives, opened once.
pub struct Search {
    dir: PathBuf,
    index: OnceCell<Arc<Index>>,
    /// One drain at a time: two drains of the same practice could otherwise
    /// write an older read of it last.
    drain: Mutex<()>,
}

impl Search {
    pub fn new(dir: PathBuf) -> Search {
        Search {
            dir,
            index: OnceCell::new(),
            drain: Mutex::new(()),
        }
    }
}

fn index_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("search index: {e}"))
}

/// Opens the index now (rebuilding it if needed) rather than at the first
/// search.
pub async fn open(state: &AppState) -> Result<(), AppError> {
    index(state).await.map(|_| ())
}

async fn index(state: &AppState) -> Result<Arc<Index>, AppError> {
    let search = &state.search;
    let index = search
        .index
        .get_or_try_init(|| open_index(&state.db, search.dir.clone()))
        .await?;
    Ok(index.clone())
}

async fn open_index(db: &Db, dir: PathBuf) -> Result<Arc<Index>, AppError> {
    let started = Instant::now();
    let opened = dir.clone();
    let index = tokio::task::spawn_blocking(move || Index::open_or_create(&opened))
        .await
        .map_err(index_error)?
        .map_err(index_error)?;
    let index = Arc::new(index);
    // The queue as it is now: a rebuild reads every practice afterwards, so
    // these rows are answered by it (rows queued later stay for a drain).
    let queued = store::search::queued(db, None).await?;
    let ids = store::search::all_ids(db).await?;
    if index.needs_rebuild() || index.len() != ids.len() as u64 {
        let mut docs = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(doc) = store::search::document(db, id).await? {
                docs.push(doc);
            }
        }
        let count = docs.len();
        let writing = index.clone();
        tokio::task::spawn_blocking(move || {
            let docs: Vec<PracticeDoc> = docs.into_iter().map(practice_doc).collect();
            writing.replace_all(&docs)
        })
        .await
        .map_err(index_error)?
        .map_err(index_error)?;
        tracing::info!(
            dir = %dir.display(),
            practices = count,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index rebuilt from the database"
        );
    } else {
        tracing::info!(dir = %dir.display(), practices = index.len(), "search index opened");
    }
    let rows: Vec<i64> = queued.iter().map(|(row, _)| *row).collect();
    for chunk in rows.chunks(500) {
        store::search::dequeue(db, chunk).await?;
    }
    Ok(index)
}

/// Rewrites the entries of the queued practices from the database, then
/// removes those queue rows.
async fn drain(state: &AppState, index: &Arc<Index>) -> Result<(), AppError> {
    let _turn = state.search.drain.lock().await;
    loop {
        let rows = store::search::queued(&state.db, Some(store::search::QUEUE_BATCH)).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<PracticeId> = rows.iter().map(|(_, id)| *id).collect();
        ids.sort();
        ids.dedup();
        let mut docs = Vec::with_capacity(ids.len());
        let mut gone = Vec::new();
        for id in ids {
            match store::search::document(&state.db, id).await? {
                Some(doc) => docs.push(doc),
                None => gone.push(id),
            }
        }
        let writing = index.clone();
        // Extracting the text of evidence and committing are blocking work.
        tokio::task::spawn_blocking(move || {
            let docs: Vec<PracticeDoc> = docs.into_iter().map(practice_doc).collect();
            writing.upsert_many(&docs)?;
            gone.iter().try_for_each(|id| writing.delete(id.0))
        })
        .await
        .map_err(index_error)?
        .map_err(index_error)?;
        let done: Vec<i64> = rows.iter().map(|(row, _)| *row).collect();
        store::search::dequeue(&state.db, &done).await?;
        if (rows.len() as i64) < store::search::QUEUE_BATCH {
            return Ok(());
        }
    }
}

/// What the index holds of a practice: every text of its record in `body`,
/// the text of its PDF and DOCX evidence (with every file's name) apart, so
/// a snippet can say where the words were found.
pub fn practice_doc(d: SearchDocument) -> PracticeDoc {
    let p = &d.practice;
    let body = [
        p.context.as_str(),
        &p.problem,
        &p.objective,
        &p.steps,
        &p.results,
        &p.learnings,
        &p.pei_link,
        &p.plan_link,
        &p.policy_link,
        &p.tags,
        &p.level,
        &p.area,
        &p.network_name,
        &d.schools.join(", "),
        &d.authors.join(", "),
    ]
    .iter()
    .filter(|t| !t.trim().is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("\n");
    let mut attachments = Vec::new();
    for (name, content) in &d.files {
        attachments.push(name.clone());
        // A file whose text cannot be read (an image, a broken PDF) is
        // found by its name only.
        if let Ok(text) = redes_search::extract::extract_text(content) {
            attachments.push(text);
        }
    }
    PracticeDoc {
        id: p.id.0,
        title: p.title.clone(),
        body,
        attachments_text: attachments.join("\n"),
        country: p.country.clone(),
        region: p.region.clone(),
        level: p.level.clone(),
        area: p.area.clone(),
        stage: p.stage.code().to_string(),
        score: d.score,
        network_id: p.network_id.0,
        published: p.status.is_public(),
    }
}

/// A search as typed (page and API share the parameters).
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchInput {
    /// Words to find (accents and plurals do not matter), "a phrase" in
    /// double quotes, -word to leave out. Only the first 200 characters are
    /// read; anything else typed is ignored, never an error.
    pub q: String,
    /// A country code.
    #[param(pattern = "^(cl|co|mx)?$", max_length = 2)]
    pub country: String,
    /// A region, as written on the practices.
    #[param(max_length = 120)]
    pub region: String,
    /// A level, as written on the practices.
    #[param(max_length = 40)]
    pub level: String,
    /// An area, as written on the practices.
    #[param(max_length = 120)]
    pub area: String,
    /// A stage code.
    #[param(pattern = "^(starting|in_progress|finished|evaluated)?$", max_length = 20)]
    pub stage: String,
    /// A band of the combined review score.
    #[param(pattern = "^(1–2|2–3|3–4|sin puntaje)?$", max_length = 20)]
    pub score: String,
    /// From 1; past the last page, no results.
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

/// The score bands a filter may name.
const SCORE_BANDS: [&str; 4] = ["1–2", "2–3", "3–4", redes_search::UNSCORED];

impl SearchInput {
    /// The facet filters, by their parameter's name.
    fn filters(&self) -> [(FacetKind, &'static str, &str); 6] {
        [
            (FacetKind::Country, "country", self.country.trim()),
            (FacetKind::Region, "region", self.region.trim()),
            (FacetKind::Level, "level", self.level.trim()),
            (FacetKind::Area, "area", self.area.trim()),
            (FacetKind::Stage, "stage", self.stage.trim()),
            (FacetKind::ScoreBand, "score", self.score.trim()),
        ]
    }

    /// The value chosen for the facet whose parameter is `name` (`""`: none).
    pub fn chosen(&self, name: &str) -> &str {
        self.filters()
            .into_iter()
            .find(|(_, key, _)| *key == name)
            .map_or("", |(_, _, value)| value)
    }

    /// The text as read: its first characters only (a longer text is cut,
    /// not refused), without control characters.
    pub fn text(&self) -> String {
        self.q
            .chars()
            .filter(|c| !c.is_control())
            .take(redes_search::MAX_QUERY_CHARS)
            .collect()
    }

    /// Refuses a filter that is not one, naming the parameter.
    pub fn check(&self) -> Result<(), AppError> {
        for (_, name, value) in self.filters() {
            crate::limits::search(name, value)?;
        }
        if !self.country.trim().is_empty() && Country::parse(&self.country).is_none() {
            return Err(AppError::field("country", "practices-pais-desconocido"));
        }
        if !self.stage.trim().is_empty() && self.stage.trim().parse::<Stage>().is_err() {
            return Err(AppError::field("stage", "practices-etapa-desconocida"));
        }
        if !self.score.trim().is_empty() && !SCORE_BANDS.contains(&self.score.trim()) {
            return Err(AppError::field("score", "practices-tramo-puntaje-desconocido"));
        }
        Ok(())
    }

    /// The query string of this search with `name` set to `value` (`""`
    /// removes it) and the page left out, for the facets' links.
    pub fn with(&self, name: &str, value: &str) -> String {
        let mut pairs = vec![("q", self.text())];
        for (_, key, current) in self.filters() {
            let v = if key == name { value } else { current };
            if !v.is_empty() {
                pairs.push((key, v.to_string()));
            }
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::web::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One practice found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub id: PracticeId,
    pub title: String,
    /// The title as HTML: escaped, the words found in `<mark>`.
    pub title_html: String,
    /// A passage of the record (or of its evidence when only that matches)
    /// as HTML: escaped, the words found in `<mark>`.
    pub snippet: String,
    /// Relevance (higher first); comparable within one search only.
    pub score: f32,
    pub network_id: NetworkId,
    pub network_name: String,
    pub status: PracticeStatus,
    pub facets: HitFacets,
}

/// The facet values of a practice found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitFacets {
    pub country: String,
    pub region: String,
    pub level: String,
    pub area: String,
    pub stage: Stage,
    /// Band of the combined review score (`1–2`, `2–3`, `3–4`, `sin puntaje`).
    pub score: String,
}

/// A value of a facet among the practices found, and how many have it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    /// Its Spanish name (a country's or a stage's; otherwise the value).
    pub label: String,
    pub count: u64,
}

/// A page of results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// The text searched, as read (at most 200 characters).
    pub q: String,
    /// Practices found, on every page.
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub hits: Vec<SearchHit>,
    /// For each facet (`country`, `region`, `level`, `area`, `stage`,
    /// `score`), its values among the practices found, the most frequent first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// The parameter's name of a facet.
pub fn param(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::ScoreBand => "score",
        other => other.field_name(),
    }
}

/// The Spanish name of a facet's value.
pub fn label(kind: FacetKind, value: &str) -> String {
    match kind {
        FacetKind::Country => Country::parse(value).map_or(value.to_string(), |c| c.profile().name.to_string()),
        FacetKind::Stage => value.parse::<Stage>().map_or(value.to_string(), |s| s.label().to_string()),
        FacetKind::ScoreBand if value == redes_search::UNSCORED => "practices-sin-puntaje".to_string(),
        _ => value.to_string(),
    }
}

/// Searches what the person (`None`: signed out) may read: published
/// practices, and the others of the networks the practices list shows them.
pub async fn search(
    state: &AppState,
    p: Option<&Principal>,
    input: &SearchInput,
) -> Result<SearchResults, AppError> {
    input.check()?;
    let index = index(state).await?;
    drain(state, &index).await?;
    let visibility = match p {
        None => Visibility::PublishedOrNetworks(Vec::new()),
        Some(p) => match store::search::visible_networks(&state.db, &p.visibility()).await? {
            None => Visibility::All,
            Some(ids) => Visibility::PublishedOrNetworks(ids),
        },
    };
    let text = input.text();
    let query = Query {
        // One character more than is read: `sanitize` then knows whether
        // the cut falls inside a word, and leaves that half word out.
        text: input
            .q
            .chars()
            .filter(|c| !c.is_control())
            .take(redes_search::MAX_QUERY_CHARS + 1)
            .collect(),
        filters: input
            .filters()
            .into_iter()
            .filter(|(_, _, v)| !v.is_empty())
            .map(|(kind, _, v)| (kind, v.to_string()))
            .collect(),
        visibility,
        page: input.page.unwrap_or(1).clamp(1, redes_search::MAX_PAGE as i64) as usize,
        per_page: PAGE_SIZE,
        with_facets: true,
    };
    let searching = index.clone();
    let found: Results = tokio::task::spawn_blocking(move || searching.search(&query))
        .await
        .map_err(index_error)?
        .map_err(index_error)?;
    let ids: Vec<PracticeId> = found.hits.iter().map(|h| PracticeId(h.id)).collect();
    let practices = store::search::practices(&state.db, &ids).await?;
    let hits = found
        .hits
        .iter()
        .filter_map(|h| {
            // Gone since it was indexed: left out until the next drain.
            let p = practices.iter().find(|p| p.id.0 == h.id)?;
            Some(SearchHit {
                id: p.id,
                title: p.title.clone(),
                title_html: h.title_html.clone(),
                snippet: h.body_html.clone(),
                score: h.score,
                network_id: p.network_id,
                network_name: p.network_name.clone(),
                status: p.status,
                facets: HitFacets {
                    country: p.country.clone(),
                    region: p.region.clone(),
                    level: p.level.clone(),
                    area: p.area.clone(),
                    stage: p.stage,
                    score: redes_search::score_band(h.review_score).to_string(),
                },
            })
        })
        .collect();
    let facets = found
        .facets
        .iter()
        .map(|(kind, values)| {
            let counts = values
                .iter()
                .map(|(value, count)| FacetCount {
                    value: value.clone(),
                    label: label(*kind, value),
                    count: *count,
                })
                .collect();
            (param(*kind).to_string(), counts)
        })
        .collect();
    Ok(SearchResults {
        q: text,
        total: found.total,
        page: found.page,
        page_size: found.per_page,
        hits,
        facets,
    })
}
