//! The census page: active networks per year, in total and per region.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::Value;

use super::model::Census;
use super::store;
use crate::auth::policy::Principal;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/censo", get(census))
}

async fn census(ctx: Ctx, State(state): State<AppState>) -> Result<Response, AppError> {
    if !Principal::can_view_census(ctx.principal.as_ref()) {
        return Err(AppError::Forbidden);
    }
    let census = Census::from_cells(&store::cells(&state.db).await?);
    state.render(&ctx, "census/census.html", Value::from_serialize(&census))
}
