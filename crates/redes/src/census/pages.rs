//! The census page: active networks per year, in total and per region.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};

use super::model::{Census, CensusQuery};
use super::store;
use crate::auth::policy::Principal;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/censo", get(census))
}

async fn census(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(q): Query<CensusQuery>,
) -> Result<Response, AppError> {
    if !Principal::can_view_census(ctx.principal.as_ref()) {
        return Err(AppError::Forbidden);
    }
    let country = q.country(ctx.principal.as_ref())?;
    let census = Census::from_cells(country, &store::cells(&state.db, country).await?);
    state.render(
        &ctx,
        "census/census.html",
        context! {
            country_name => country.profile().name, countries => crate::country::COUNTRIES,
            ..Value::from_serialize(&census)
        },
    )
}
