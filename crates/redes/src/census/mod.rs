//! The census of active networks per year and region (seed 001 publishes
//! 523, 505 and 481 for 2015–2017): a public page and its JSON.
//!
//! The smallest module, and the one to copy: its folder, its line in
//! `lib.rs`'s `MODULES`, and nothing else.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "census",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[("census/census.html", include_str!("templates/census.html"))],
    navigation: &[NavEntry {
        href: "/censo",
        label: "Censo",
        visible: Principal::can_view_census,
    }],
    home_cards: &[HomeCard {
        href: "/censo",
        title: "Censo de redes",
        text: "Redes activas por año y región.",
        visible: Principal::can_view_census,
    }],
    english: include_str!("en.json"),
    ..Module::EMPTY
};
