//! The encounter pages: plans of the person's territories, running the
//! planner on a municipality or a supervision zone, the plan with its map,
//! moves and approval, and the printable rosters.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use super::{store, view};
use crate::auth::policy::Territory;
use crate::auth::User;
use crate::country::Country;
use crate::error::AppError;
use crate::ids::PlanId;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/encuentros", get(list).post(run))
        .route("/encuentros/{id}", get(show))
        .route("/encuentros/{id}/mover", post(move_school))
        .route("/encuentros/{id}/aprobar", post(approve))
        .route("/encuentros/{id}/imprimir", get(print))
}

async fn list(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_plan_encounters() {
        return Err(AppError::Forbidden);
    }
    // Only the places the person may plan are offered.
    let municipalities: Vec<_> = store::municipalities(&state.db, &p.visibility())
        .await?
        .into_iter()
        .filter(|(region, province, _)| {
            p.can_plan_encounters(Territory {
                country: Country::Mx,
                region,
                province,
                zone: "",
            })
        })
        .collect();
    let zones: Vec<_> = store::zones(&state.db)
        .await?
        .into_iter()
        .filter(|z| {
            p.can_plan_encounters(Territory {
                country: Country::Mx,
                region: &z.region,
                province: &z.province,
                zone: &z.zone,
            })
        })
        .collect();
    let plans: Vec<_> = store::list(&state.db, &p.planning_visibility())
        .await?
        .into_iter()
        .map(|s| context! { id => s.id, region => s.region, province => s.province, zone => s.zone, status => s.status, created_at => s.created_at })
        .collect();
    state.render(
        &ctx,
        "encounters/list.html",
        context! { municipalities, zones, plans },
    )
}

#[derive(Deserialize)]
struct RunForm {
    /// "state|municipality".
    #[serde(default)]
    place: String,
    /// A supervision zone's code; planned instead of `place` when given.
    #[serde(default)]
    zone: String,
}

async fn run(
    User(p, _): User,
    State(state): State<AppState>,
    Form(form): Form<RunForm>,
) -> Result<Response, AppError> {
    let id = if form.zone.trim().is_empty() {
        store::plan_municipality(&state.db, &p, &form.place).await?
    } else {
        store::plan_zone(&state.db, &p, &form.zone).await?
    };
    Ok(Redirect::to(&format!("/encuentros/{id}")).into_response())
}

async fn show(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let stored = store::accessible(&state.db, &p, id).await?;
    let plan = stored.plan()?;
    let names = view::names(&store::school_people(&state.db, stored.country, &plan).await?);
    let violations = view::violations(&plan);
    state.render(&ctx, "encounters/plan.html", context! {
        stored => context! { id => stored.id, region => stored.region, province => stored.province, zone => stored.zone, status => stored.status,
                            approved => stored.approved(), derived => stored.derived_sizes != 0, approved_at => stored.approved_at },
        summary => view::summary(&plan),
        clusters => view::clusters(&plan, &names),
        exceptions => view::exceptions(&plan),
        violations,
        points => view::points(&plan),
        tiles => std::env::var("REDES_TILES_URL").unwrap_or_default(),
    })
}

#[derive(Deserialize)]
struct MoveForm {
    school: String,
    cluster: usize,
}

async fn move_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    store::move_school(&state.db, &p, id, &form.school, form.cluster).await?;
    Ok(Redirect::to(&format!("/encuentros/{id}#revision")).into_response())
}

async fn approve(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    store::approve_plan(&state.db, &p, id).await?;
    Ok(Redirect::to(&format!("/encuentros/{id}")).into_response())
}

async fn print(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let stored = store::accessible(&state.db, &p, id).await?;
    let plan = stored.plan()?;
    let names = view::names(&store::school_people(&state.db, stored.country, &plan).await?);
    state.render(&ctx, "encounters/print.html", context! {
        stored => context! { id => stored.id, region => stored.region, province => stored.province, zone => stored.zone, approved => stored.approved() },
        rosters => view::rosters(&plan, &names),
    })
}
