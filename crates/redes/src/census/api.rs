//! The census as JSON: `GET /api/v1/census`, public like its page.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use super::model::{Census, RegionRow, YearTotal};
use super::store;
use crate::auth::policy::Principal;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(paths(census), components(schemas(Census, YearTotal, RegionRow)))]
struct CensusDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    CensusDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/census", get(census))
}

/// Active networks per year, in total and per region. Public: no token needed.
#[utoipa::path(get, path = "/api/v1/census", security(()),
    responses((status = 200, description = "The years, a total per year and a row per region", body = Census)))]
async fn census(ctx: Ctx, State(state): State<AppState>) -> Result<Json<Census>, AppError> {
    if !Principal::can_view_census(ctx.principal.as_ref()) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(Census::from_cells(&store::cells(&state.db).await?)))
}
