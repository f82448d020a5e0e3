//! Encounter planning (seed 003, "Encuentro entre escuelas"): a supervisor
//! picks a municipality, runs the planner on the registry's schools, sees
//! clusters on a map and as tables, moves schools between clusters (the
//! independent validator re-checks), approves, and prints rosters and
//! attendance lists per host school and group.

pub mod cli;
pub mod input;
pub mod store;
pub mod view;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use crate::auth::policy::Principal;
use crate::auth::User;
use crate::error::AppError;
use crate::sql::{restrict_schools, Sql};
use crate::AppState;
use store::StoredPlan;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("encounters/list.html", include_str!("templates/list.html")),
    ("encounters/plan.html", include_str!("templates/plan.html")),
    (
        "encounters/print.html",
        include_str!("templates/print.html"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/encuentros", get(list).post(run))
        .route("/encuentros/{id}", get(show))
        .route("/encuentros/{id}/mover", post(move_school))
        .route("/encuentros/{id}/aprobar", post(approve))
        .route("/encuentros/{id}/imprimir", get(print))
}

/// Static files of the map (vendored Leaflet, BSD-2-Clause; see LEAFLET-LICENSE).
pub fn static_file(name: &str) -> Option<(&'static [u8], &'static str)> {
    match name {
        "leaflet.js" => Some((
            include_bytes!("static/leaflet.js"),
            "text/javascript; charset=utf-8",
        )),
        "leaflet.css" => Some((
            include_bytes!("static/leaflet.css"),
            "text/css; charset=utf-8",
        )),
        "encuentros.js" => Some((
            include_bytes!("static/encuentros.js"),
            "text/javascript; charset=utf-8",
        )),
        _ => None,
    }
}

/// The stored plan, when the person may plan encounters in its territory.
async fn accessible(state: &AppState, p: &Principal, id: i64) -> Result<StoredPlan, AppError> {
    let stored = store::get(&state.db, id).await?;
    if !p.can_plan_encounters(&stored.country, &stored.region, &stored.province) {
        return Err(AppError::Forbidden);
    }
    Ok(stored)
}

async fn list(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_plan_encounters() {
        return Err(AppError::Forbidden);
    }
    let municipalities = store::municipalities(&state.db, &p.visibility()).await?;
    let plans: Vec<_> = store::list(&state.db)
        .await?
        .into_iter()
        .filter(|s| p.can_plan_encounters(&s.country, &s.region, &s.province))
        .map(|s| context! { id => s.id, region => s.region, province => s.province, status => s.status, created_at => s.created_at })
        .collect();
    state.render(
        &ctx,
        "encounters/list.html",
        context! { municipalities, plans },
    )
}

#[derive(Deserialize)]
struct RunForm {
    /// "state|municipality".
    place: String,
}

async fn run(
    User(p, _): User,
    State(state): State<AppState>,
    Form(form): Form<RunForm>,
) -> Result<Response, AppError> {
    let Some((region, province)) = form.place.split_once('|') else {
        return Err(AppError::field("place", "elija un municipio"));
    };
    if !p.can_plan_encounters("mx", region, province) {
        return Err(AppError::Forbidden);
    }
    let columns = crate::schools::model::SCHOOL_COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM schools s WHERE s.country = 'mx' AND s.archived = 0 AND s.region = "
    ));
    sql.text(region).push(" AND s.province = ").text(province);
    restrict_schools(&mut sql, &p.visibility(), "s");
    let rows: Vec<crate::schools::model::School> = sql.query_as().fetch_all(&state.db.pool).await?;
    let input = input::from_registry(&rows);
    if input.schools.is_empty() {
        return Err(AppError::field(
            "place",
            "no hay escuelas de educación básica en ese municipio",
        ));
    }
    let plan = redes_planner::plan(input.schools, &redes_planner::Options::default())
        .map_err(|e| AppError::BadRequest(format!("no se pudo planificar: {e}")))?;
    let id = store::insert(
        &state.db,
        region,
        province,
        &plan,
        input.derived,
        p.person_id,
    )
    .await?;
    Ok(Redirect::to(&format!("/encuentros/{id}")).into_response())
}

async fn show(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let stored = accessible(&state, &p, id).await?;
    let plan = stored.plan()?;
    let violations = view::violations(&plan);
    state.render(&ctx, "encounters/plan.html", context! {
        stored => context! { id => stored.id, region => stored.region, province => stored.province, status => stored.status,
                            approved => stored.approved(), derived => stored.derived_sizes != 0, approved_at => stored.approved_at },
        summary => view::summary(&plan),
        clusters => view::clusters(&plan),
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
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let stored = accessible(&state, &p, id).await?;
    if stored.approved() {
        return Err(AppError::Conflict(
            "El plan ya fue aprobado y no se puede modificar.".into(),
        ));
    }
    let mut plan = stored.plan()?;
    redes_planner::reassign(&mut plan, &form.school, form.cluster)
        .map_err(|e| AppError::field("cluster", e.to_string()))?;
    store::save(&state.db, id, &plan, &stored.updated_at).await?;
    Ok(Redirect::to(&format!("/encuentros/{id}#revision")).into_response())
}

async fn approve(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let stored = accessible(&state, &p, id).await?;
    if stored.approved() {
        return Err(AppError::Conflict(
            "El plan ya estaba aprobado; no hay nada más que aprobar.".into(),
        ));
    }
    let violations = redes_planner::validate(&stored.plan()?);
    if !violations.is_empty() {
        return Err(AppError::BadRequest(format!(
            "el plan tiene {} incumplimientos de las reglas; corríjalos antes de aprobar",
            violations.len()
        )));
    }
    store::approve(&state.db, id, p.person_id, &stored.updated_at).await?;
    Ok(Redirect::to(&format!("/encuentros/{id}")).into_response())
}

async fn print(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let stored = accessible(&state, &p, id).await?;
    let plan = stored.plan()?;
    state.render(&ctx, "encounters/print.html", context! {
        stored => context! { id => stored.id, region => stored.region, province => stored.province, approved => stored.approved() },
        rosters => view::rosters(&plan),
    })
}
