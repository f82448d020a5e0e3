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

use crate::module::{Module, StaticFile};

pub const MODULE: Module = Module {
    name: "plans",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("plans/plan.html", include_str!("templates/plan.html")),
        ("plans/form.html", include_str!("templates/form.html")),
    ],
    static_files: &[StaticFile {
        name: "planes.css",
        body: include_bytes!("static/planes.css"),
        content_type: "text/css; charset=utf-8",
    }],
    english: include_str!("en.json"),
    ..Module::EMPTY
};
