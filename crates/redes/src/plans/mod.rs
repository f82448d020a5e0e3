//! Work plans (issue 11, item 1): a network's annual plan with strategic
//! and annual objectives, actions owned by a person or a member school,
//! and indicators measured against their goals. The plan page shows the
//! share of actions done, the late ones, and each indicator's measurements
//! as a server-rendered chart beside a table.
//!
//! `model.rs` holds the stored types, `input.rs` the forms and their
//! parsing, `store/` every query and the writes shared by pages, API and
//! demo, `view.rs` the plan as a document and its charts, `pages.rs` and
//! `forms.rs` the HTML handlers, `api.rs` the JSON ones.

pub mod api;
mod forms;
pub mod input;
pub mod model;
pub mod pages;
pub mod store;
pub mod view;

use crate::auth::policy::Principal;
use crate::module::{BoxFuture, HomeSection, HomeSectionData, Module, StaticFile};
use crate::AppState;

pub const MODULE: Module = Module {
    name: "plans",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("plans/plan.html", include_str!("templates/plan.html")),
        ("plans/form.html", include_str!("templates/form.html")),
        ("plans/home.html", include_str!("templates/home.html")),
        ("plans/confirm.html", include_str!("templates/confirm.html")),
    ],
    home_sections: &[HomeSection {
        template: "plans/home.html",
        load: own_actions,
    }],
    static_files: &[StaticFile {
        name: "planes.css",
        body: include_bytes!("static/planes.css"),
        content_type: "text/css; charset=utf-8",
    }],
    ..Module::EMPTY
};

/// "Mis acciones del plan": the unfinished plan actions the person (or a
/// school they lead) owns, late ones first; hidden when there are none.
fn own_actions<'a>(state: &'a AppState, p: &'a Principal) -> BoxFuture<'a, HomeSectionData> {
    Box::pin(async move {
        let actions = store::own_actions(&state.db, p.person_id, &p.headed_school_ids()).await?;
        Ok((!actions.is_empty()).then(|| minijinja::Value::from_serialize(&actions)))
    })
}
