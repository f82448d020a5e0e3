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
use crate::db::now;
use crate::error::{AppError, FieldErrors};
use crate::AppState;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("calls/list.html", include_str!("templates/list.html")),
    ("calls/form.html", include_str!("templates/form.html")),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/convocatorias", get(list).post(create))
        .route("/convocatorias/nueva", get(new_form))
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Call {
    id: i64,
    country: String,
    region: String,
    title: String,
    body: String,
    author: String,
    created_at: String,
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
    let calls: Vec<Call> = sqlx::query_as(
        "SELECT c.id, c.country, c.region, c.title, c.body, p.full_name AS author, c.created_at
         FROM calls c JOIN people p ON p.id = c.created_by ORDER BY c.created_at DESC LIMIT 100",
    )
    .fetch_all(&state.db.pool)
    .await?;
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
    let mut errors = FieldErrors::new();
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
    if !p.can_issue_call(&country, input.region.trim()) {
        return Err(AppError::Forbidden);
    }
    sqlx::query("INSERT INTO calls (country, region, title, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&country)
        .bind(input.region.trim())
        .bind(input.title.trim())
        .bind(input.body.trim())
        .bind(p.person_id)
        .bind(now())
        .execute(&state.db.pool)
        .await?;
    Ok(Redirect::to("/convocatorias").into_response())
}
