//! The replications on a practice's page: what the graph and its table
//! show, the form to record one, and its handler.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};

use super::model::replications::{Graph, GraphNode, ReplicationInput, PALETTE};
use super::model::{Practice, TransitionInput};
use super::store::replications as store;
use crate::auth::policy::Principal;
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{PracticeId, SchoolId};
use crate::AppState;

/// The longest school name drawn in the graph (the table has them whole).
const LABEL_CHARS: usize = 30;

fn label(name: &str) -> String {
    match name.char_indices().nth(LABEL_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_string(),
    }
}

/// Each edge of the graph with both schools' names, networks and regions.
pub fn edge_rows(graph: &Graph) -> Vec<Value> {
    let by_id: BTreeMap<SchoolId, &GraphNode> =
        graph.nodes.iter().map(|n| (n.school.id, n)).collect();
    graph
        .edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (by_id.get(&e.from)?, by_id.get(&e.to)?);
            Some(context! {
                from => e.from, to => e.to, adopted_on => e.adopted_on,
                from_name => from.school.name, from_networks => from.school.networks, from_region => from.school.region,
                to_name => to.school.name, to_networks => to.school.networks, to_region => to.school.region,
            })
        })
        .collect()
}

/// What the replications part of the practice's page needs, with the
/// replication form as typed (`input`) when it is shown again.
pub async fn context(
    state: &AppState,
    p: &Principal,
    practice: &Practice,
    input: &ReplicationInput,
) -> Result<Value, AppError> {
    let db = &state.db;
    let graph = store::graph(db, practice.id).await?;
    let nodes: Vec<Value> = graph
        .nodes
        .iter()
        .map(|n| context! { label => label(&n.school.name), ..Value::from_serialize(n) })
        .collect();
    let choices = |list: Vec<super::model::Named>| -> Vec<(String, String)> {
        list.into_iter().map(|s| (s.id.to_string(), s.name)).collect()
    };
    let (schools, from) = if practice.status.is_public() && p.may_record_replications() {
        (
            choices(store::school_choices(db, p, practice.id).await?),
            choices(store::from_choices(db, practice.id).await?),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut input = input.clone();
    if input.adopted_on.is_empty() {
        input.adopted_on = crate::db::today();
    }
    Ok(context! {
        edges => edge_rows(&graph), nodes, graph, palette => PALETTE,
        replications => store::list(db, practice.id).await?,
        replicate_schools => schools, replicate_from => from, replication => input,
    })
}

pub async fn record(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    Form(input): Form<ReplicationInput>,
) -> Result<Response, AppError> {
    match store::record(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/practicas/{id}#replicas")).into_response()),
        Err(AppError::Validation(errors)) => {
            let extra = super::pages::detail_context(
                &state,
                &p,
                id,
                "replication",
                &TransitionInput::default(),
                &input,
                &errors,
            )
            .await?;
            state.render_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                "practices/detail.html",
                extra,
            )
        }
        Err(e) => Err(e),
    }
}
