//! The school pages: list with filters and search, detail, the form,
//! archive and restore.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use crate::auth::{Ctx, User};
use crate::country::{Country, COUNTRIES};
use crate::error::{AppError, FieldErrors};
use crate::ids::SchoolId;
use crate::web::urlencode;
use crate::AppState;

use super::model::{SchoolInput, MODALITIES, SHIFTS};
use super::store::{self, SchoolFilter, PAGE_SIZE};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/escuelas", get(list).post(create))
        .route("/escuelas/nueva", get(new_form))
        .route("/escuelas/{id}", get(detail).post(update))
        .route("/escuelas/{id}/editar", get(edit_form))
        .route("/escuelas/{id}/archivar", post(archive))
        .route("/escuelas/{id}/restaurar", post(restore))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    #[serde(flatten)]
    filter: SchoolFilter,
    pagina: Option<i64>,
}

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let v = p.visibility();
    let page = crate::limits::page(q.pagina);
    q.filter.check()?;
    let (schools, total) = store::list(&state.db, &v, &q.filter, page).await?;
    let regions = store::regions(&state.db, &v).await?;
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let f = &q.filter;
    let base = format!(
        "/escuelas?q={}&country={}&region={}&level={}",
        urlencode(&f.q),
        urlencode(&f.country),
        urlencode(&f.region),
        urlencode(&f.level)
    );
    state.render(
        &ctx,
        "schools/list.html",
        context! {
            schools, total, page, pages, base, filter => f, regions, countries => COUNTRIES,
            levels => crate::country::level_choices(Country::parse(&f.country)),
            may_create => p.may_create_schools(),
        },
    )
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
) -> Result<Response, AppError> {
    let place = store::viewable(&state.db, &p, id).await?;
    let sedes = store::sedes(&state.db, id).await?;
    let parent = match place.school.parent_id {
        Some(pid) => Some(store::get(&state.db, pid).await?),
        None => None,
    };
    let networks = crate::networks::store::of_school(&state.db, id).await?;
    // Leadership and staff, each as the people pages list them.
    let (leaders, staff): (Vec<_>, Vec<_>) = crate::people::store::in_school(&state.db, id)
        .await?
        .into_iter()
        .partition(crate::people::model::PersonInPlace::leads);
    let (leaders, staff) = (
        crate::people::pages::listed(&p, leaders),
        crate::people::pages::listed(&p, staff),
    );
    let country = place.school.country.profile();
    // Good practices it gave to other schools and took from them (issue 12).
    let gave = crate::practices::store::replications::gave(&state.db, id).await?;
    let took = crate::practices::store::replications::took(&state.db, id).await?;
    state.render(
        &ctx,
        "schools/detail.html",
        context! {
            school => place.school, sedes, parent, networks, country, leaders, staff, gave, took,
            can_edit => p.can_edit_school(&place.policy()),
        },
    )
}

fn form_context(
    input: &SchoolInput,
    errors: &FieldErrors,
    action: &str,
    title: &str,
) -> minijinja::Value {
    let countries: Vec<(&str, &str)> = COUNTRIES.iter().map(|c| (c.code, c.name)).collect();
    let modalities: Vec<(&str, &str)> = MODALITIES.iter().map(|m| (*m, *m)).collect();
    let shifts: Vec<(&str, &str)> = SHIFTS
        .iter()
        .map(|s| (*s, if s.is_empty() { "—" } else { s }))
        .collect();
    context! { input, errors, action, title, countries, modalities, shifts }
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_create_schools() {
        return Err(AppError::Forbidden);
    }
    let input = SchoolInput {
        country: "cl".into(),
        ..SchoolInput::default()
    };
    state.render(
        &ctx,
        "schools/form.html",
        form_context(
            &input,
            &FieldErrors::new(),
            "/escuelas",
            "schools-registrar-escuela",
        ),
    )
}

/// Re-shows the form with the errors next to their fields and what was typed.
fn form_again(
    state: &AppState,
    ctx: &Ctx,
    input: &SchoolInput,
    errors: FieldErrors,
    action: &str,
    title: &str,
) -> Result<Response, AppError> {
    state.render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx,
        "schools/form.html",
        form_context(input, &errors, action, title),
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<SchoolInput>,
) -> Result<Response, AppError> {
    match store::register(&state.db, &p, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/escuelas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => form_again(
            &state,
            &ctx,
            &input,
            errors,
            "/escuelas",
            "schools-registrar-escuela",
        ),
        Err(e) => Err(e),
    }
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
) -> Result<Response, AppError> {
    let place = store::editable(&state.db, &p, id).await?;
    let mut input = SchoolInput::from(&place.school);
    if let Some(pid) = place.school.parent_id {
        input.parent_code = store::get(&state.db, pid).await?.official_code;
    }
    let action = format!("/escuelas/{id}");
    state.render(
        &ctx,
        "schools/form.html",
        form_context(&input, &FieldErrors::new(), &action, "schools-editar-escuela"),
    )
}

async fn update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
    Form(input): Form<SchoolInput>,
) -> Result<Response, AppError> {
    let action = format!("/escuelas/{id}");
    match store::edit(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&action).into_response()),
        Err(AppError::Validation(errors)) => {
            form_again(&state, &ctx, &input, errors, &action, "schools-editar-escuela")
        }
        Err(e) => Err(e),
    }
}

async fn archive(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
) -> Result<Response, AppError> {
    set_archived(p, state, id, true).await
}

async fn restore(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
) -> Result<Response, AppError> {
    set_archived(p, state, id, false).await
}

async fn set_archived(
    p: crate::auth::policy::Principal,
    state: AppState,
    id: SchoolId,
    archived: bool,
) -> Result<Response, AppError> {
    store::set_archived(&state.db, &p, id, archived).await?;
    Ok(Redirect::to(&format!("/escuelas/{id}")).into_response())
}
