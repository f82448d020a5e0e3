//! Institutional calls (convocatorias). Networks are advisory (seed 000):
//! they may propose but never issue a call; only ministry and secretariat
//! roles can (`Principal::can_issue_call`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::auth::User;
use crate::error::{AppError, FieldErrors};
use crate::AppState;

mod store;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("calls/list.html", include_str!("templates/list.html")),
    ("calls/form.html", include_str!("templates/form.html")),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/convocatorias", get(list).post(create))
        .route("/convocatorias/nueva", get(new_form))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CallInput {
    pub country: String,
    pub region: String,
    pub title: String,
    pub body: String,
}

async fn list(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    let calls = store::list(&state.db, &p.call_audience()).await?;
    state.render(
        &ctx,
        "calls/list.html",
        context! { calls, may_issue => p.may_issue_calls() },
    )
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_issue_calls() {
        return Err(AppError::Forbidden);
    }
    state.render(
        &ctx,
        "calls/form.html",
        context! { input => CallInput::default(), errors => FieldErrors::new() },
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<CallInput>,
) -> Result<Response, AppError> {
    // Checked before looking at the content: a network role is refused
    // whatever it sends.
    if !p.may_issue_calls() {
        return Err(AppError::Forbidden);
    }
    let mut errors = crate::limits::check(&input);
    let country = input.country.trim().to_lowercase();
    if input.title.trim().is_empty() {
        errors.insert("title".into(), "el título es obligatorio".into());
    }
    if crate::country::find(&country).is_none() {
        errors.insert("country".into(), "elija Chile, Colombia o México".into());
    }
    if !errors.is_empty() {
        return state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "calls/form.html",
            context! { input, errors },
        );
    }
    let region = input.region.trim();
    if !p.can_issue_call(&country, region) {
        return Err(AppError::Denied(if region.is_empty() {
            "Solo el ministerio emite convocatorias nacionales; indique su región.".into()
        } else {
            "No puede emitir convocatorias en ese territorio.".into()
        }));
    }
    let call = store::NewCall {
        country: &country,
        region,
        title: input.title.trim(),
        body: input.body.trim(),
        created_by: p.person_id,
    };
    store::insert(&state.db, &call).await?;
    Ok(Redirect::to("/convocatorias").into_response())
}
