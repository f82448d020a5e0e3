//! The work-plan pages: a network's plan for a year (progress, objectives,
//! actions with late ones marked, indicators with their charts), and the
//! forms that add, edit and delete its parts (in `forms.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};

use super::input::{PlanInput, StatusInput};
use super::model::{ActionStatus, WorkPlan, YEARS};
use super::store::{self, Part, PlanNetwork};
use super::view::{chart, document};
use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{ActionId, IndicatorId, MeasurementId, NetworkId, ObjectiveId, WorkPlanId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redes/{id}/plan", get(latest).post(create))
        .route("/redes/{id}/plan/{year}", get(of_year))
        .route("/planes/{id}/siguiente", post(copy_to_next_year))
        .route("/acciones/{id}/estado", post(set_status))
        .merge(super::forms::routes())
}

/// Where a plan's page is, with an anchor.
pub fn plan_href(plan: &WorkPlan, anchor: &str) -> String {
    format!("/redes/{}/plan/{}{anchor}", plan.network_id, plan.year)
}

/// The plan of this year when there is one, else the latest; with no plan
/// at all, this year's (empty) page.
async fn latest(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let n = store::readable(&state.db, &p, id).await?;
    let years = store::years(&state.db, id).await?;
    let current = crate::db::current_year();
    let year = if years.contains(&current) {
        current
    } else {
        years.last().copied().unwrap_or(current)
    };
    let typed = (String::new(), FieldErrors::new());
    show(&state, &ctx, &p, n, years, year, typed, StatusCode::OK).await
}

async fn of_year(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, year)): Path<(NetworkId, i64)>,
) -> Result<Response, AppError> {
    if !YEARS.contains(&year) {
        return Err(AppError::NotFound);
    }
    let n = store::readable(&state.db, &p, id).await?;
    let years = store::years(&state.db, id).await?;
    let typed = (String::new(), FieldErrors::new());
    show(&state, &ctx, &p, n, years, year, typed, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    n: PlanNetwork,
    years: Vec<i64>,
    year: i64,
    (typed, errors): (String, FieldErrors),
    status: StatusCode,
) -> Result<Response, AppError> {
    let place = n.place();
    let can_edit = p.can_edit_plan(&place);
    let plan = store::plan_of(&state.db, n.network.id, year).await?;
    let today = crate::db::today();
    let (doc, objectives) = match plan {
        Some(plan) => {
            let rows = store::rows(&state.db, plan.id).await?;
            let doc = document(plan, rows, &today);
            let objectives: Vec<Value> = doc
                .objectives
                .iter()
                .map(|o| {
                    let actions: Vec<Value> = o
                        .actions
                        .iter()
                        .map(|a| {
                            context! {
                                status_label => a.status.label(),
                                can_status => p.can_update_action_status(&place, a.owner()),
                                ..Value::from_serialize(a)
                            }
                        })
                        .collect();
                    let indicators: Vec<Value> = o
                        .indicators
                        .iter()
                        .map(|i| context! { chart => chart(i), ..Value::from_serialize(i) })
                        .collect();
                    context! { actions, indicators, ..Value::from_serialize(o) }
                })
                .collect();
            (Some(doc), objectives)
        }
        None => (None, Vec::new()),
    };
    let strategic: Vec<(i64, String)> = doc
        .as_ref()
        .map(|d| {
            d.objectives
                .iter()
                .filter(|o| o.parent_id.is_none())
                .map(|o| (o.id.0, o.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let next_taken = years.contains(&(year + 1));
    let profile = n.network.country.profile();
    state.render_status(
        status,
        ctx,
        "plans/plan.html",
        context! {
            network => n.network, year, years, doc, objectives, strategic, can_edit, errors, typed,
            next_year => year + 1, next_taken, today, plan_name => profile.plan_name,
            statuses => ActionStatus::options(),
        },
    )
}

/// Starts the network's plan for a year.
async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<PlanInput>,
) -> Result<Response, AppError> {
    match store::create_plan(&state.db, &p, id, &input).await {
        Ok(plan_id) => {
            let plan = store::get_plan(&state.db, plan_id).await?;
            Ok(Redirect::to(&plan_href(&plan, "")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let n = store::writable(&state.db, &p, id).await?;
            let years = store::years(&state.db, id).await?;
            let year = input
                .year
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .unwrap_or_else(crate::db::current_year);
            let typed = input.year.trim().to_string();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show(&state, &ctx, &p, n, years, year, (typed, errors), status).await
        }
        Err(e) => Err(e),
    }
}

async fn copy_to_next_year(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<WorkPlanId>,
) -> Result<Response, AppError> {
    let new_plan = store::copy_to_next_year(&state.db, &p, id).await?;
    let plan = store::get_plan(&state.db, new_plan).await?;
    Ok(Redirect::to(&plan_href(&plan, "")).into_response())
}

async fn set_status(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
    Form(input): Form<StatusInput>,
) -> Result<Response, AppError> {
    let plan_id = store::set_action_status(&state.db, &p, id, &input).await?;
    let plan = store::get_plan(&state.db, plan_id).await?;
    Ok(Redirect::to(&plan_href(&plan, &format!("#a-{id}"))).into_response())
}

/// The page that asks before a delete: a button that posts the delete,
/// and the way back (it works without JavaScript).
#[allow(clippy::too_many_arguments)]
async fn confirm(
    state: &AppState,
    ctx: &Ctx,
    n: &PlanNetwork,
    plan: &WorkPlan,
    action: String,
    question: &str,
    name: String,
    note: &str,
) -> Result<Response, AppError> {
    state.render(
        ctx,
        "plans/confirm.html",
        context! {
            network => n.network, year => plan.year, back => plan_href(plan, ""), action, question, name, note,
        },
    )
}

pub(super) async fn confirm_objective(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Objective(id)).await?;
    let objective = store::get_objective(&state.db, id).await?;
    let note = "plans-borran-tambien-objetivos-anuales-acciones";
    let action = format!("/objetivos/{id}/borrar");
    confirm(&state, &ctx, &n, &plan, action, "plans-borrar-este-objetivo", objective.title, note).await
}

pub(super) async fn confirm_action(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Action(id)).await?;
    let action = store::get_action(&state.db, id).await?;
    let to = format!("/acciones/{id}/borrar");
    confirm(&state, &ctx, &n, &plan, to, "plans-borrar-esta-accion", action.title, "").await
}

pub(super) async fn confirm_indicator(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Indicator(id)).await?;
    let indicator = store::get_indicator(&state.db, id).await?;
    let note = "plans-borran-tambien-mediciones";
    let to = format!("/indicadores/{id}/borrar");
    confirm(&state, &ctx, &n, &plan, to, "plans-borrar-este-indicador", indicator.name, note).await
}

pub(super) async fn confirm_measurement(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeasurementId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Measurement(id)).await?;
    let m = store::get_measurement(&state.db, id).await?;
    let name = format!("{}: {}", m.measured_on, super::model::number(m.value));
    let to = format!("/mediciones/{id}/borrar");
    confirm(&state, &ctx, &n, &plan, to, "plans-borrar-esta-medicion", name, "").await
}
