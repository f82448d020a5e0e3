//! The practice pages: the list (filters, pages), the new and edit forms,
//! the practice's page (its record, evidence, lifecycle with history and
//! what each next step still needs), and the evidence's upload, download
//! and removal.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};

use super::model::{missing, PracticeInput, PracticeStatus, Stage, TransitionInput};
use super::model::replications::ReplicationInput;
use super::model::PracticeFilter;
use super::store::{self, PAGE_SIZE};
use crate::auth::policy::Principal;
use super::search::{self as full_text, SearchInput};
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{PracticeFileId, PracticeId};
use crate::web::urlencode;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practicas", get(list).post(create))
        .route("/practicas/nueva", get(new_form))
        .route("/practicas/buscar", get(search))
        .route("/practicas/{id}", get(detail))
        .route("/practicas/{id}/editar", get(edit_form).post(edit))
        .route("/practicas/{id}/estado", post(transition))
        .route("/practicas/{id}/replicas", post(super::replicas::record))
        .route("/practicas/{id}/archivos", post(upload))
        .route("/practicas/{id}/archivos/{file_id}", get(download))
        .route("/practicas/{id}/archivos/{file_id}/eliminar", post(remove_file))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    #[serde(flatten)]
    filter: PracticeFilter,
    pagina: Option<i64>,
}

/// A practice for a template, with the names of its stage and status.
pub fn view(p: &super::model::Practice) -> Value {
    context! {
        stage_label => p.stage.label(), status_label => p.status.label(), public => p.status.is_public(),
        tag_list => p.tag_list(), ..Value::from_serialize(p)
    }
}

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    q.filter.check()?;
    let page = crate::limits::page(q.pagina);
    let (practices, total) =
        store::list(&state.db, Some(&p.visibility()), &q.filter, page).await?;
    let f = &q.filter;
    let base = format!(
        "/practicas?estado={}&etapa={}&area={}&red={}&publicadas={}",
        urlencode(&f.estado),
        urlencode(&f.etapa),
        urlencode(&f.area),
        urlencode(&f.red),
        urlencode(&f.publicadas)
    );
    let practices: Vec<Value> = practices.iter().map(view).collect();
    state.render(
        &ctx,
        "practices/list.html",
        context! {
            practices, total, page, pages => (total + PAGE_SIZE - 1) / PAGE_SIZE, base, filter => f,
            statuses => PracticeStatus::choices(), stages => Stage::choices(),
            areas => store::areas(&state.db).await?,
            may_create => Principal::may_document_practices(Some(&p)),
        },
    )
}

/// The facets of the search page, with their titles.
const FACET_TITLES: [(redes_search::FacetKind, &str); 6] = [
    (redes_search::FacetKind::Country, "common-pais"),
    (redes_search::FacetKind::Region, "common-region"),
    (redes_search::FacetKind::Level, "common-nivel"),
    (redes_search::FacetKind::Area, "practices-area"),
    (redes_search::FacetKind::Stage, "practices-etapa"),
    (redes_search::FacetKind::ScoreBand, "practices-puntaje-revision"),
];

/// The search of practices, open to anyone: signed out, the published
/// ones; signed in, also the others the practices list shows them. Each
/// facet's values narrow the search (a link each, with its count); a
/// chosen one is shown with a link that removes it.
async fn search(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(input): Query<SearchInput>,
) -> Result<Response, AppError> {
    let results = full_text::search(&state, ctx.principal.as_ref(), &input).await?;
    // Query strings only: the template writes the path, so the links read
    // `/practicas/buscar?...` whatever the escaping of values.
    let href = |name: &str, value: &str| input.with(name, value);
    let mut facets = Vec::new();
    let mut active = Vec::new();
    for (kind, title) in FACET_TITLES {
        let name = full_text::param(kind);
        let chosen = input.chosen(name);
        if !chosen.is_empty() {
            active.push(context! {
                name, title, value => chosen, label => full_text::label(kind, chosen), clear => href(name, ""),
            });
        }
        let values: Vec<Value> = results
            .facets
            .get(name)
            .into_iter()
            .flatten()
            .map(|f| {
                context! {
                    label => f.label, count => f.count, query => href(name, &f.value), chosen => f.value == chosen,
                }
            })
            .collect();
        if !values.is_empty() {
            facets.push(context! { name, title, values });
        }
    }
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            context! {
                stage_label => h.facets.stage.label(), status_label => h.status.label(),
                ..Value::from_serialize(h)
            }
        })
        .collect();
    let pages = results.total.div_ceil(results.page_size).min(redes_search::MAX_PAGE);
    let page_href = |n: usize| format!("{}&page={n}", href("", ""));
    state.render(
        &ctx,
        "practices/search.html",
        context! {
            q => results.q, total => results.total, page => results.page, pages, hits, facets, active,
            first => (results.page - 1) * results.page_size + 1,
            searched => !results.q.trim().is_empty(),
            prev => (results.page > 1).then(|| page_href(results.page - 1)),
            next => (results.page < pages).then(|| page_href(results.page + 1)),
        },
    )
}

/// The practice form, new (`id` none) or to edit.
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: Option<PracticeId>,
    input: &PracticeInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let networks = store::networks_for(&state.db, p).await?;
    // The schools and people to choose from are the chosen network's (the
    // only one, or the practice's); with several, the network is chosen first.
    let network = input
        .network_id
        .parse::<i64>()
        .ok()
        .or_else(|| (networks.len() == 1).then(|| networks[0].id));
    let (schools, people) = match network.filter(|n| id.is_some() || networks.iter().any(|x| x.id == *n)) {
        Some(n) => (
            store::school_choices(&state.db, crate::ids::NetworkId(n)).await?,
            store::author_choices(&state.db, crate::ids::NetworkId(n)).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let mut input = input.clone();
    if input.author_ids.is_empty() && id.is_none() && errors.is_empty() {
        input.author_ids = vec![p.person_id.0];
    }
    let networks: Vec<(String, String)> = networks
        .iter()
        .map(|n| (n.id.to_string(), n.name.clone()))
        .collect();
    state.render_status(
        status,
        ctx,
        "practices/form.html",
        context! {
            id, input, errors, networks, network, schools, people, stages => Stage::choices(),
        },
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    red: String,
}

async fn new_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    crate::limits::search("red", &q.red)?;
    let input = PracticeInput {
        network_id: q.red.clone(),
        stage: "in_progress".into(),
        ..Default::default()
    };
    form_page(&state, &ctx, &p, None, &input, &FieldErrors::new(), StatusCode::OK).await
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    axum_extra::extract::Form(input): axum_extra::extract::Form<PracticeInput>,
) -> Result<Response, AppError> {
    match store::create(&state.db, &p, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/practicas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            form_page(&state, &ctx, &p, None, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Response, AppError> {
    let (practice, _) = store::editable(&state.db, &p, id).await?;
    let schools = store::schools(&state.db, id).await?;
    let authors = store::authors(&state.db, id).await?;
    let input = PracticeInput::of(&practice, &schools, &authors);
    form_page(&state, &ctx, &p, Some(id), &input, &FieldErrors::new(), StatusCode::OK).await
}

async fn edit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    axum_extra::extract::Form(mut input): axum_extra::extract::Form<PracticeInput>,
) -> Result<Response, AppError> {
    match store::edit(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/practicas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let (practice, _) = store::editable(&state.db, &p, id).await?;
            input.network_id = practice.network_id.to_string();
            form_page(&state, &ctx, &p, Some(id), &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// What the practice's page shows to this person, with a sent form
/// (`form`: "transition", "file" or "replication") as typed and its messages.
pub(super) async fn detail_context(
    state: &AppState,
    p: &Principal,
    id: PracticeId,
    form: &str,
    input: &TransitionInput,
    replication: &ReplicationInput,
    errors: &FieldErrors,
) -> Result<Value, AppError> {
    let db = &state.db;
    let (practice, network) = store::viewable(db, Some(p), id).await?;
    let authors = store::authors(db, id).await?;
    let author_ids: Vec<_> = authors.iter().map(|a| crate::ids::PersonId(a.id)).collect();
    let has = store::completeness(&mut *db.pool.acquire().await?, id).await?;
    let moves: Vec<Value> = practice
        .status
        .moves()
        .into_iter()
        .filter(|(_, step)| p.can_move_practice(&network.policy(), &author_ids, *step))
        .map(|(to, _)| {
            let back = to < practice.status;
            let lacks = if back { Vec::new() } else { missing(&practice, has, to) };
            context! { to => to.code(), label => to.label(), back, lacks }
        })
        .collect();
    let transitions: Vec<Value> = store::transitions(db, id)
        .await?
        .iter()
        .map(|t| {
            context! {
                before_label => t.status_before.label(), after_label => t.status_after.label(),
                ..Value::from_serialize(t)
            }
        })
        .collect();
    let can_edit =
        p.can_edit_practice(&network.policy(), &author_ids) && practice.status.is_editable();
    let replicas = super::replicas::context(state, p, &practice, replication).await?;
    let review = super::review_pages::section(db, p, &practice, &network, &author_ids).await?;
    Ok(context! {
        practice => view(&practice), network, authors, moves, transitions, can_edit, review,
        schools => store::schools(db, id).await?,
        attachments => store::attachments(db, id).await?,
        file_limit => crate::meetings::store::documents::limit_label(),
        lifecycle => PracticeStatus::choices(),
        sections => super::model::RECORD_SECTIONS,
        form, input, errors, ..replicas
    })
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Response, AppError> {
    let none = FieldErrors::new();
    let extra = detail_context(
        &state,
        &p,
        id,
        "",
        &TransitionInput::default(),
        &ReplicationInput::default(),
        &none,
    )
    .await?;
    state.render(&ctx, "practices/detail.html", extra)
}

pub(super) async fn again(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: PracticeId,
    form: &str,
    input: &TransitionInput,
    error: AppError,
) -> Result<Response, AppError> {
    let AppError::Validation(errors) = error else {
        return Err(error);
    };
    let extra =
        detail_context(state, p, id, form, input, &ReplicationInput::default(), &errors).await?;
    state.render_status(StatusCode::UNPROCESSABLE_ENTITY, ctx, "practices/detail.html", extra)
}

async fn transition(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    Form(input): Form<TransitionInput>,
) -> Result<Response, AppError> {
    match store::transition(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/practicas/{id}#ciclo")).into_response()),
        Err(e) => again(&state, &ctx, &p, id, "transition", &input, e).await,
    }
}

async fn upload(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let parts = crate::web::multipart(content_type, &body).ok_or_else(|| {
        AppError::BadRequest("practices-envie-archivo-con-formulario-practica".into())
    })?;
    let file = parts.into_iter().find(|part| part.name == "file");
    let (name, data) = file
        .map(|f| (f.filename.unwrap_or_default(), f.data))
        .unwrap_or_default();
    match store::upload(&state.db, &p, id, &name, &data).await {
        Ok(_) => Ok(Redirect::to(&format!("/practicas/{id}#evidencia")).into_response()),
        Err(e) => again(&state, &ctx, &p, id, "file", &TransitionInput::default(), e).await,
    }
}

/// A file as an attachment, with its stored type and its name (also used
/// by the public pages).
pub fn file_response(name: &str, content_type: &str, content: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencode(name)
    );
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn download(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, file)): Path<(PracticeId, PracticeFileId)>,
) -> Result<Response, AppError> {
    let (name, content_type, content) = store::download(&state.db, Some(&p), id, file).await?;
    Ok(file_response(&name, &content_type, content))
}

async fn remove_file(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, file)): Path<(PracticeId, PracticeFileId)>,
) -> Result<Response, AppError> {
    store::remove_file(&state.db, &p, id, file).await?;
    Ok(Redirect::to(&format!("/practicas/{id}#evidencia")).into_response())
}
