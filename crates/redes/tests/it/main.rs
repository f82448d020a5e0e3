//! The integration tests, in one binary so that the application is linked
//! once for the whole suite (one binary per file linked it seventeen times).
//! Each former `tests/<name>.rs` is the module `<name>`: run one group with
//! `cargo test -p redes --test it <name>::`, e.g. `security::`.
//!
//! Every test here shares one process with the others: nothing may set
//! environment variables, take fixed ports or install a global subscriber
//! with `init()` (the harness uses `try_init()`). Fixtures stay in
//! `tests/fixtures/`.

// First, so that `both_databases!` is in scope in every module below.
#[macro_use]
mod common;
// Helpers shared by several test modules.
mod fuzz;
mod workbook;

mod agreements;
mod api;
mod auth;
mod authorization;
mod bad_input;
mod browser;
mod calendar;
mod calls;
mod cli;
mod demo;
mod directory_data;
mod durability;
mod encounter_sessions;
mod encounters;
mod english;
mod filters;
mod home;
mod http;
mod import;
mod import_fuzz;
mod import_messages;
mod meetings;
mod migrations;
mod network_people;
mod networks;
mod permissions;
mod planner_texts;
mod plans;
mod practices;
mod registry;
mod security;
mod sessions;
