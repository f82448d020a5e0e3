//! The forms of a plan's parts: add and edit objectives, actions,
//! indicators and measurements, and delete them (after a confirmation).
//! Each write is the store's one function; a refused input shows the form
//! again with a message next to each field.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use serde::Serialize;

use super::input::{ActionInput, IndicatorInput, MeasurementInput, ObjectiveInput};
use super::model::{ActionStatus, WorkPlan};
use super::pages::plan_href;
use super::store::{self, Part, PlanNetwork};
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{ActionId, IndicatorId, MeasurementId, ObjectiveId, WorkPlanId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planes/{id}/objetivos", post(objective_create))
        .route("/planes/{id}/objetivos/nuevo", get(objective_new))
        .route("/objetivos/{id}", post(objective_update))
        .route("/objetivos/{id}/editar", get(objective_edit))
        .route("/objetivos/{id}/borrar", get(super::pages::confirm_objective).post(objective_delete))
        .route("/objetivos/{id}/acciones", post(action_create))
        .route("/objetivos/{id}/acciones/nueva", get(action_new))
        .route("/acciones/{id}", post(action_update))
        .route("/acciones/{id}/editar", get(action_edit))
        .route("/acciones/{id}/borrar", get(super::pages::confirm_action).post(action_delete))
        .route("/objetivos/{id}/indicadores", post(indicator_create))
        .route("/objetivos/{id}/indicadores/nuevo", get(indicator_new))
        .route("/indicadores/{id}", post(indicator_update))
        .route("/indicadores/{id}/editar", get(indicator_edit))
        .route("/indicadores/{id}/borrar", get(super::pages::confirm_indicator).post(indicator_delete))
        .route("/indicadores/{id}/mediciones", post(measurement_create))
        .route("/indicadores/{id}/mediciones/nueva", get(measurement_new))
        .route("/mediciones/{id}", post(measurement_update))
        .route("/mediciones/{id}/editar", get(measurement_edit))
        .route("/mediciones/{id}/borrar", get(super::pages::confirm_measurement).post(measurement_delete))
}

/// Which form.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Objective,
    Action,
    Indicator,
    Measurement,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Objective => "objective",
            Kind::Action => "action",
            Kind::Indicator => "indicator",
            Kind::Measurement => "measurement",
        }
    }
}

/// What a form page shows: the form's kind and title, where it posts, the
/// plan it belongs to, and what it is about (the objective of a new action,
/// the indicator of a measurement).
struct FormPage<'a> {
    kind: Kind,
    title: &'a str,
    action: String,
    about: String,
    /// The objective being edited (it cannot serve itself).
    objective: Option<ObjectiveId>,
}

#[allow(clippy::too_many_arguments)]
async fn render<T: Serialize>(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    n: &PlanNetwork,
    plan: &WorkPlan,
    page: FormPage<'_>,
    input: &T,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let mut options = Value::UNDEFINED;
    match page.kind {
        Kind::Objective => {
            let rows = store::rows(&state.db, plan.id).await?;
            let mut parents = vec![(String::new(), "plans-ninguno-es-objetivo-estrategico".to_string())];
            parents.extend(
                rows.objectives
                    .iter()
                    .filter(|o| o.parent_id.is_none() && Some(o.id) != page.objective)
                    .map(|o| (o.id.0.to_string(), o.title.clone())),
            );
            options = context! { parents };
        }
        Kind::Action => {
            let mut people = vec![(String::new(), "—".to_string())];
            people.extend(
                store::owner_people(&state.db, n.network.id)
                    .await?
                    .into_iter()
                    .map(|c| (c.id.to_string(), c.name)),
            );
            let mut schools = vec![(String::new(), "—".to_string())];
            schools.extend(
                store::owner_schools(&state.db, n.network.id)
                    .await?
                    .into_iter()
                    .map(|c| (c.id.to_string(), c.name)),
            );
            options = context! { people, schools, statuses => ActionStatus::options() };
        }
        Kind::Indicator | Kind::Measurement => {}
    }
    state.render_status(
        status,
        ctx,
        "plans/form.html",
        context! {
            kind => page.kind.code(), title => page.title, action => page.action, about => page.about,
            network => n.network, year => plan.year, back => plan_href(plan, ""), input, errors, options,
            plan_name => n.network.country.profile().plan_name,
        },
    )
}

fn done(plan: &WorkPlan, anchor: String) -> Response {
    Redirect::to(&plan_href(plan, &anchor)).into_response()
}

/// Shows the form again with the messages, or passes the error on.
#[allow(clippy::too_many_arguments)]
async fn again<T: Serialize>(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::policy::Principal,
    part: Part,
    page: FormPage<'_>,
    input: &T,
    error: AppError,
) -> Result<Response, AppError> {
    let AppError::Validation(errors) = error else {
        return Err(error);
    };
    let (n, plan) = store::editable_part(&state.db, p, part).await?;
    render(state, ctx, StatusCode::UNPROCESSABLE_ENTITY, &n, &plan, page, input, &errors).await
}

// Objectives.

fn objective_page(action: String, title: &str, objective: Option<ObjectiveId>) -> FormPage<'_> {
    FormPage {
        kind: Kind::Objective,
        title,
        action,
        about: String::new(),
        objective,
    }
}

async fn objective_new(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<WorkPlanId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Plan(id)).await?;
    let page = objective_page(format!("/planes/{id}/objetivos"), "plans-nuevo-objetivo", None);
    let input = ObjectiveInput::default();
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn objective_create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<WorkPlanId>,
    Form(input): Form<ObjectiveInput>,
) -> Result<Response, AppError> {
    match store::add_objective(&state.db, &p, id, &input).await {
        Ok(new) => Ok(done(&store::get_plan(&state.db, id).await?, format!("#o-{new}"))),
        Err(e) => {
            let page = objective_page(format!("/planes/{id}/objetivos"), "plans-nuevo-objetivo", None);
            again(&state, &ctx, &p, Part::Plan(id), page, &input, e).await
        }
    }
}

async fn objective_edit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Objective(id)).await?;
    let input = ObjectiveInput::from(&store::get_objective(&state.db, id).await?);
    let page = objective_page(format!("/objetivos/{id}"), "plans-editar-objetivo", Some(id));
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn objective_update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
    Form(input): Form<ObjectiveInput>,
) -> Result<Response, AppError> {
    match store::edit_objective(&state.db, &p, id, &input).await {
        Ok(()) => {
            let objective = store::get_objective(&state.db, id).await?;
            let plan = store::get_plan(&state.db, objective.plan_id).await?;
            Ok(done(&plan, format!("#o-{id}")))
        }
        Err(e) => {
            let page = objective_page(format!("/objetivos/{id}"), "plans-editar-objetivo", Some(id));
            again(&state, &ctx, &p, Part::Objective(id), page, &input, e).await
        }
    }
}

async fn objective_delete(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
) -> Result<Response, AppError> {
    let plan_id = store::delete_objective(&state.db, &p, id).await?;
    Ok(done(&store::get_plan(&state.db, plan_id).await?, String::new()))
}

// Actions.

fn action_page(action: String, title: &str, about: String) -> FormPage<'_> {
    FormPage {
        kind: Kind::Action,
        title,
        action,
        about,
        objective: None,
    }
}

async fn action_new(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Objective(id)).await?;
    let objective = store::get_objective(&state.db, id).await?;
    let page = action_page(format!("/objetivos/{id}/acciones"), "plans-nueva-accion", objective.title);
    let input = ActionInput {
        starts_on: format!("{}-03-01", plan.year),
        due_on: format!("{}-12-15", plan.year),
        ..Default::default()
    };
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn action_create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
    Form(input): Form<ActionInput>,
) -> Result<Response, AppError> {
    match store::add_action(&state.db, &p, id, &input).await {
        Ok(new) => {
            let objective = store::get_objective(&state.db, id).await?;
            Ok(done(&store::get_plan(&state.db, objective.plan_id).await?, format!("#a-{new}")))
        }
        Err(e) => {
            let about = store::get_objective(&state.db, id).await.map(|o| o.title).unwrap_or_default();
            let page = action_page(format!("/objetivos/{id}/acciones"), "plans-nueva-accion", about);
            again(&state, &ctx, &p, Part::Objective(id), page, &input, e).await
        }
    }
}

async fn action_edit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Action(id)).await?;
    let action = store::get_action(&state.db, id).await?;
    let page = action_page(format!("/acciones/{id}"), "plans-editar-accion", String::new());
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &ActionInput::from(&action), &FieldErrors::new()).await
}

async fn action_update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
    Form(input): Form<ActionInput>,
) -> Result<Response, AppError> {
    match store::edit_action(&state.db, &p, id, &input).await {
        Ok(()) => {
            let (_, plan) = store::editable_part(&state.db, &p, Part::Action(id)).await?;
            Ok(done(&plan, format!("#a-{id}")))
        }
        Err(e) => {
            let page = action_page(format!("/acciones/{id}"), "plans-editar-accion", String::new());
            again(&state, &ctx, &p, Part::Action(id), page, &input, e).await
        }
    }
}

async fn action_delete(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
) -> Result<Response, AppError> {
    let plan_id = store::delete_action(&state.db, &p, id).await?;
    Ok(done(&store::get_plan(&state.db, plan_id).await?, String::new()))
}

// Indicators.

fn indicator_page(action: String, title: &str, about: String) -> FormPage<'_> {
    FormPage {
        kind: Kind::Indicator,
        title,
        action,
        about,
        objective: None,
    }
}

async fn indicator_new(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Objective(id)).await?;
    let objective = store::get_objective(&state.db, id).await?;
    let page = indicator_page(format!("/objetivos/{id}/indicadores"), "plans-nuevo-indicador", objective.title);
    let input = IndicatorInput::default();
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn indicator_create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
    Form(input): Form<IndicatorInput>,
) -> Result<Response, AppError> {
    match store::add_indicator(&state.db, &p, id, &input).await {
        Ok(new) => {
            let objective = store::get_objective(&state.db, id).await?;
            Ok(done(&store::get_plan(&state.db, objective.plan_id).await?, format!("#i-{new}")))
        }
        Err(e) => {
            let about = store::get_objective(&state.db, id).await.map(|o| o.title).unwrap_or_default();
            let page = indicator_page(format!("/objetivos/{id}/indicadores"), "plans-nuevo-indicador", about);
            again(&state, &ctx, &p, Part::Objective(id), page, &input, e).await
        }
    }
}

async fn indicator_edit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Indicator(id)).await?;
    let input = IndicatorInput::from(&store::get_indicator(&state.db, id).await?);
    let page = indicator_page(format!("/indicadores/{id}"), "plans-editar-indicador", String::new());
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn indicator_update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
    Form(input): Form<IndicatorInput>,
) -> Result<Response, AppError> {
    match store::edit_indicator(&state.db, &p, id, &input).await {
        Ok(()) => {
            let (_, plan) = store::editable_part(&state.db, &p, Part::Indicator(id)).await?;
            Ok(done(&plan, format!("#i-{id}")))
        }
        Err(e) => {
            let page = indicator_page(format!("/indicadores/{id}"), "plans-editar-indicador", String::new());
            again(&state, &ctx, &p, Part::Indicator(id), page, &input, e).await
        }
    }
}

async fn indicator_delete(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> Result<Response, AppError> {
    let plan_id = store::delete_indicator(&state.db, &p, id).await?;
    Ok(done(&store::get_plan(&state.db, plan_id).await?, String::new()))
}

// Measurements.

fn measurement_page(action: String, title: &str, about: String) -> FormPage<'_> {
    FormPage {
        kind: Kind::Measurement,
        title,
        action,
        about,
        objective: None,
    }
}

async fn measurement_new(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Indicator(id)).await?;
    let indicator = store::get_indicator(&state.db, id).await?;
    let page = measurement_page(format!("/indicadores/{id}/mediciones"), "plans-nueva-medicion", indicator.name);
    let input = MeasurementInput {
        measured_on: crate::db::today(),
        ..Default::default()
    };
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn measurement_create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
    Form(input): Form<MeasurementInput>,
) -> Result<Response, AppError> {
    match store::add_measurement(&state.db, &p, id, &input).await {
        Ok(_) => {
            let (_, plan) = store::editable_part(&state.db, &p, Part::Indicator(id)).await?;
            Ok(done(&plan, format!("#i-{id}")))
        }
        Err(e) => {
            let about = store::get_indicator(&state.db, id).await.map(|i| i.name).unwrap_or_default();
            let page = measurement_page(format!("/indicadores/{id}/mediciones"), "plans-nueva-medicion", about);
            again(&state, &ctx, &p, Part::Indicator(id), page, &input, e).await
        }
    }
}

async fn measurement_edit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeasurementId>,
) -> Result<Response, AppError> {
    let (n, plan) = store::editable_part(&state.db, &p, Part::Measurement(id)).await?;
    let input = MeasurementInput::from(&store::get_measurement(&state.db, id).await?);
    let page = measurement_page(format!("/mediciones/{id}"), "plans-editar-medicion", String::new());
    render(&state, &ctx, StatusCode::OK, &n, &plan, page, &input, &FieldErrors::new()).await
}

async fn measurement_update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeasurementId>,
    Form(input): Form<MeasurementInput>,
) -> Result<Response, AppError> {
    match store::edit_measurement(&state.db, &p, id, &input).await {
        Ok(()) => {
            let m = store::get_measurement(&state.db, id).await?;
            let (_, plan) = store::editable_part(&state.db, &p, Part::Measurement(id)).await?;
            Ok(done(&plan, format!("#i-{}", m.indicator_id)))
        }
        Err(e) => {
            let page = measurement_page(format!("/mediciones/{id}"), "plans-editar-medicion", String::new());
            again(&state, &ctx, &p, Part::Measurement(id), page, &input, e).await
        }
    }
}

async fn measurement_delete(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeasurementId>,
) -> Result<Response, AppError> {
    let plan_id = store::delete_measurement(&state.db, &p, id).await?;
    Ok(done(&store::get_plan(&state.db, plan_id).await?, String::new()))
}
