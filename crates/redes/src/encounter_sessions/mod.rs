//! The three encounter sessions of seed 003 ("Compartir buenas prácticas.
//! Encuentro entre escuelas"): an approved encounter plan creates, for each
//! of its groups, three sessions (meetings of kind `encounter`) with the
//! group's roster and the coordinator of each session. Each session carries
//! the duties of seed 003 before, during and after it per role, attendance
//! taken against the roster, observers' records, and the changes each
//! school will make to its PEMC (its agreements for the next sessions).
//! Besides the usual files, `roster.rs` turns a plan's groups into roster
//! lines (no SQL).

pub mod api;
pub mod model;
pub mod pages;
pub mod roster;
pub mod store;

use crate::module::Module;

pub const MODULE: Module = Module {
    name: "encounter_sessions",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        (
            "encounter_sessions/sessions.html",
            include_str!("templates/sessions.html"),
        ),
        (
            "encounter_sessions/session.html",
            include_str!("templates/session.html"),
        ),
        (
            "encounter_sessions/print.html",
            include_str!("templates/print.html"),
        ),
    ],
    ..Module::EMPTY
};
