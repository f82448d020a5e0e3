//! The census as JSON: `GET /api/v1/census`, public like its page.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use super::model::{Census, CensusQuery, RegionRow, YearTotal};
use super::store;
use crate::auth::policy::Principal;
use crate::api::ApiError;
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

/// One country's active networks per year, in total and per region (public).
#[utoipa::path(get, path = "/api/v1/census", params(CensusQuery), security(()),
    responses((status = 200, description = "The country's years, a total per year and a row per region", body = Census),
        (status = 400, description = "A query string that does not parse", body = ApiError),
        (status = 422, description = "An unknown country; `fields` names it", body = ApiError)))]
async fn census(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(q): Query<CensusQuery>,
) -> Result<Json<Census>, AppError> {
    if !Principal::can_view_census(ctx.principal.as_ref()) {
        return Err(AppError::Forbidden);
    }
    let country = q.country(ctx.principal.as_ref())?;
    Ok(Json(Census::from_cells(
        country,
        &store::cells(&state.db, country).await?,
    )))
}
