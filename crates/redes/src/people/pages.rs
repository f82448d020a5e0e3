//! The people pages (administrators): list and search, a person's page
//! with their roles, the account forms, archive, grant and end roles.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use super::model::{
    input_without_password, MembershipInput, PersonEdit, PersonInPlace, PersonInput,
};
use super::store::{self, PAGE_SIZE};
use crate::auth::policy::{Principal, Role};
use crate::auth::User;
use crate::error::{AppError, FieldErrors};
use crate::ids::{MembershipId, PersonId};
use crate::web::urlencode;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/personas", get(list).post(create))
        .route("/personas/nueva", get(new_form))
        .route("/personas/{id}", get(detail).post(update))
        .route("/personas/{id}/editar", get(edit_form))
        .route("/personas/{id}/archivar", post(archive))
        .route("/personas/{id}/roles", post(add_membership))
        .route(
            "/personas/{id}/roles/{membership_id}/terminar",
            post(end_membership),
        )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    #[serde(deserialize_with = "crate::sql::flag")]
    archived: bool,
    pagina: Option<i64>,
}

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let page = crate::limits::page(q.pagina);
    let (people, total) = store::list(&state.db, &q.q, q.archived, page).await?;
    let base = format!("/personas?q={}&archived={}", urlencode(&q.q), q.archived);
    state.render(
        &ctx,
        "people/list.html",
        context! {
            people, q => q.q, archived => q.archived, total, page, base,
            pages => (total + PAGE_SIZE - 1) / PAGE_SIZE,
        },
    )
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    state.render(
        &ctx,
        "people/form.html",
        context! { input => PersonInput::default(), errors => FieldErrors::new() },
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<PersonInput>,
) -> Result<Response, AppError> {
    match store::create(&state.db, &p, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/personas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "people/form.html",
            context! { input => input_without_password(&input), errors },
        ),
        Err(e) => Err(e),
    }
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
) -> Result<Response, AppError> {
    let person = store::viewable(&state.db, &p, id).await?;
    let rows = store::memberships(&state.db, id).await?;
    let memberships: Vec<_> = rows
        .iter()
        .map(|m| context! { role_label => m.role.label(), ..minijinja::Value::from_serialize(m) })
        .collect();
    state.render(&ctx, "people/detail.html", context! {
        person, memberships, roles => roles(), can_manage => p.can_manage_people(), errors => FieldErrors::new(),
        input => MembershipInput { country: "cl".into(), ..Default::default() },
    })
}

async fn add_membership(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
    Form(input): Form<MembershipInput>,
) -> Result<Response, AppError> {
    store::add_membership(&state.db, &p, id, &input).await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

async fn end_membership(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, membership_id)): Path<(PersonId, MembershipId)>,
) -> Result<Response, AppError> {
    store::end_membership(&state.db, &p, id, membership_id).await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
) -> Result<Response, AppError> {
    let person = store::manageable(&state.db, &p, id).await?;
    let input = PersonEdit {
        full_name: person.full_name.clone(),
        email: person.email.clone(),
        password: String::new(),
    };
    state.render(
        &ctx,
        "people/edit.html",
        context! { person, input, errors => FieldErrors::new() },
    )
}

async fn update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
    Form(input): Form<PersonEdit>,
) -> Result<Response, AppError> {
    match store::edit(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/personas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let person = store::get(&state.db, id).await?;
            // The password is never sent back to the browser.
            let shown = PersonEdit {
                password: String::new(),
                ..input
            };
            state.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                "people/edit.html",
                context! { person, input => shown, errors },
            )
        }
        Err(e) => Err(e),
    }
}

async fn archive(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
) -> Result<Response, AppError> {
    store::toggle_archived(&state.db, &p, id).await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

/// People as a network's or a school's page lists them: each with the
/// name of their role, and a link only to the pages the viewer may open
/// (`Principal::can_view_person`); otherwise the name alone.
pub fn listed(p: &Principal, people: Vec<PersonInPlace>) -> Vec<minijinja::Value> {
    people
        .into_iter()
        .map(|person| {
            context! {
                role_label => person.role.label(), link => p.can_view_person(person.person_id),
                ..minijinja::Value::from_serialize(&person)
            }
        })
        .collect()
}
