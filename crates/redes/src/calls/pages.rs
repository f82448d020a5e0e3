//! The calls pages: the list of the person's territories' calls and the
//! form to issue one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;

use super::model::CallInput;
use super::store;
use crate::auth::User;
use crate::error::{AppError, FieldErrors};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/convocatorias", get(list).post(create))
        .route("/convocatorias/nueva", get(new_form))
}

async fn list(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.can_list_calls() {
        return Err(AppError::Forbidden);
    }
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
    match store::issue(&state.db, &p, &input).await {
        Ok(_) => Ok(Redirect::to("/convocatorias").into_response()),
        Err(AppError::Validation(errors)) => state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "calls/form.html",
            context! { input, errors },
        ),
        Err(e) => Err(e),
    }
}
