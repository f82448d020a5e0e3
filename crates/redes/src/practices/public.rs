//! Good practices for everyone (issue 12, publication): the published ones
//! listed without signing in, and each practice as a printable page and as
//! a PDF. Signed out, only published and replicated practices exist here;
//! signed in, a practice prints for whoever may read it.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};
use serde::Deserialize;

use super::model::{Named, Practice, PracticeFilter, Stage, RECORD_SECTIONS};
use super::pdf::{self, Block};
use super::store::{self, PAGE_SIZE};
use super::review_pages;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::ids::PracticeId;
use crate::layout::Lang;
use crate::text;
use crate::web::urlencode;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/buenas-practicas", get(list))
        .route("/buenas-practicas/{id}", get(page))
        .route("/buenas-practicas/{id}/pdf", get(pdf_file))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    etapa: String,
    area: String,
    pagina: Option<i64>,
}

/// The published practices of every network, newest change first: what a
/// ministry, a school or a family can read without an account.
async fn list(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = PracticeFilter {
        etapa: q.etapa.clone(),
        area: q.area.clone(),
        publicadas: "1".into(),
        ..PracticeFilter::default()
    };
    filter.check()?;
    let page = crate::limits::page(q.pagina);
    let (practices, total) = store::list(&state.db, None, &filter, page).await?;
    let base = format!(
        "/buenas-practicas?etapa={}&area={}",
        urlencode(&q.etapa),
        urlencode(&q.area)
    );
    let practices: Vec<Value> = practices.iter().map(super::pages::view).collect();
    state.render(
        &ctx,
        "practices/public_list.html",
        context! {
            practices, total, page, pages => (total + PAGE_SIZE - 1) / PAGE_SIZE, base,
            filter => context! { etapa => q.etapa, area => q.area },
            stages => Stage::choices(), areas => store::areas(&state.db).await?,
        },
    )
}

/// Everything a printed or PDF practice shows.
struct Printable {
    practice: Practice,
    schools: Vec<String>,
    authors: Vec<String>,
    combined: Option<String>,
    replications: usize,
}

async fn printable(state: &AppState, ctx: &Ctx, id: PracticeId) -> Result<Printable, AppError> {
    let (practice, _) = store::viewable(&state.db, ctx.principal.as_ref(), id).await?;
    let names = |named: Vec<Named>| named.into_iter().map(|n| n.name).collect();
    let reviews = store::reviews::reviews(&state.db, id).await?;
    Ok(Printable {
        schools: names(store::schools(&state.db, id).await?),
        authors: names(store::authors(&state.db, id).await?),
        combined: review_pages::score_label(super::model::reviews::combined(&reviews)),
        replications: store::replications::list(&state.db, id).await?.len(),
        practice,
    })
}

/// The practice on one printable page (the browser prints it; the page
/// links to its PDF).
async fn page(
    ctx: Ctx,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Response, AppError> {
    let p = printable(&state, &ctx, id).await?;
    let schools: Vec<Value> = p.schools.iter().map(|name| context! { name }).collect();
    let authors: Vec<Value> = p.authors.iter().map(|name| context! { name }).collect();
    state.render(
        &ctx,
        "practices/print.html",
        context! {
            practice => super::pages::view(&p.practice), schools, authors,
            combined => p.combined, replications => p.replications,
            signed_in => ctx.principal.is_some(),
            sections => RECORD_SECTIONS,
        },
    )
}

fn section_text<'a>(practice: &'a Practice, field: &str) -> &'a str {
    match field {
        "context" => &practice.context,
        "problem" => &practice.problem,
        "objective" => &practice.objective,
        "steps" => &practice.steps,
        "results" => &practice.results,
        "learnings" => &practice.learnings,
        "pei_link" => &practice.pei_link,
        "plan_link" => &practice.plan_link,
        _ => &practice.policy_link,
    }
}

/// The practice as PDF blocks in the reader's language (the record itself
/// stays as its authors wrote it).
fn blocks(p: &Printable, lang: Lang) -> Vec<Block> {
    let t = |id: &str| text::text(lang, id);
    let practice = &p.practice;
    let mut blocks = vec![
        Block::Title(practice.title.clone()),
        Block::Meta(format!(
            "{}: {} ({}) · {}: {} · {}: {}",
            t("practices-red"),
            practice.network_name,
            practice.region,
            t("practices-etapa"),
            t(practice.stage.label()),
            t("common-estado"),
            t(practice.status.label()),
        )),
        Block::Meta(format!("{}: {}", t("common-escuelas-2"), p.schools.join("; "))),
        Block::Meta(format!("{}: {}", t("practices-autores"), p.authors.join("; "))),
    ];
    let mut facts = Vec::new();
    if !practice.level.is_empty() {
        facts.push(format!("{}: {}", t("common-nivel"), t(&practice.level)));
    }
    if !practice.area.is_empty() {
        facts.push(format!("{}: {}", t("practices-area"), practice.area));
    }
    if let Some(score) = &p.combined {
        facts.push(format!("{}: {score}", t("practices-puntaje-revision")));
    }
    if p.replications > 0 {
        facts.push(text::count(lang, "practices-count-escuelas-adoptaron", p.replications as i64));
    }
    if !facts.is_empty() {
        blocks.push(Block::Meta(facts.join(" · ")));
    }
    for (field, title) in RECORD_SECTIONS {
        let body = section_text(practice, field).trim();
        if !body.is_empty() {
            blocks.push(Block::Heading(t(title)));
            blocks.push(Block::Paragraph(body.to_string()));
        }
    }
    blocks
}

async fn pdf_file(
    ctx: Ctx,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Response, AppError> {
    let p = printable(&state, &ctx, id).await?;
    let footer = format!("Redes · {}", text::text(ctx.lang, "practices-buenas-practicas"));
    let bytes = pdf::render(&p.practice.title, &blocks(&p, ctx.lang), &footer);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    let disposition = format!("inline; filename=\"practica-{}.pdf\"", id.0);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
