//! API tokens: issued by `POST /api/v1/tokens` or from the person's token
//! page, valid for `TOKEN_DAYS`, listed and revoked by their owner, and
//! ended with every session when the password changes or the account is
//! archived (`people::end_sessions`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::policy::Principal;
use super::{random_token, store, User};
use crate::db::Db;
use crate::error::AppError;
use crate::ids::{PersonId, TokenId};
use crate::AppState;

/// How long a token works.
pub const TOKEN_DAYS: i64 = 90;

/// A token as its owner sees it (never the secret itself).
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct TokenInfo {
    pub id: TokenId,
    pub label: String,
    pub created_at: String,
    pub expires_at: String,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cuenta/tokens", get(page).post(create))
        .route("/cuenta/tokens/{id}/revocar", post(revoke_form))
}

/// Issues a token; the secret is returned once and only its hash is kept.
pub async fn issue(db: &Db, person_id: PersonId, label: &str) -> Result<String, AppError> {
    let token = random_token();
    let created = time::OffsetDateTime::now_utc();
    let expires = (created + time::Duration::days(TOKEN_DAYS))
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| anyhow::anyhow!(e))?;
    let label = match label.trim() {
        "" => "api",
        l => l,
    };
    store::insert_token(db, person_id, label, &token, &expires).await?;
    Ok(token)
}

/// The person's tokens that still work, newest first.
pub async fn list(db: &Db, person_id: PersonId) -> Result<Vec<TokenInfo>, AppError> {
    Ok(store::tokens(db, person_id).await?)
}

/// Ends one of the person's own tokens; another person's is not found.
pub async fn revoke(db: &Db, person_id: PersonId, id: TokenId) -> Result<(), AppError> {
    Ok(store::delete_token(db, person_id, id).await?)
}

async fn page(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    let tokens = list(&state.db, p.person_id).await?;
    state.render(
        &ctx,
        "auth/tokens.html",
        context! { tokens, days => TOKEN_DAYS, errors => crate::error::FieldErrors::new() },
    )
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct NewTokenForm {
    label: String,
}

/// Tokens are made and ended by a person in the browser: a token cannot
/// mint its own successors and so outlive its expiry or revocation.
fn in_person(p: &Principal, ctx: &crate::auth::Ctx) -> Result<(), AppError> {
    if !p.can_manage_own_tokens(ctx.via_token) {
        return Err(AppError::Denied(
            "common-tokens-crean-revocan-con-sesion-navegador".into(),
        ));
    }
    Ok(())
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, AppError> {
    in_person(&p, &ctx)?;
    let errors = crate::limits::check(&form);
    if !errors.is_empty() {
        let tokens = list(&state.db, p.person_id).await?;
        return state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "auth/tokens.html",
            context! { tokens, days => TOKEN_DAYS, errors, label => form.label },
        );
    }
    let token = issue(&state.db, p.person_id, &form.label).await?;
    let tokens = list(&state.db, p.person_id).await?;
    state.render(
        &ctx,
        "auth/tokens.html",
        context! { tokens, days => TOKEN_DAYS, new_token => token, errors => crate::error::FieldErrors::new() },
    )
}

async fn revoke_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<TokenId>,
) -> Result<Response, AppError> {
    in_person(&p, &ctx)?;
    revoke(&state.db, p.person_id, id).await?;
    Ok(Redirect::to("/cuenta/tokens").into_response())
}
