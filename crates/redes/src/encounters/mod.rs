//! Encounter planning (seed 003, "Encuentro entre escuelas"): a supervisor
//! picks a municipality, runs the planner on the registry's schools, sees
//! clusters on a map and as tables, moves schools between clusters (the
//! independent validator re-checks), approves, and prints rosters and
//! attendance lists per host school and group. Besides the usual files,
//! `input.rs` turns registry schools into the planner's input, `view.rs`
//! shapes a plan for the templates (naming each CTE seat's person where the
//! registry knows them) and `cli.rs` serves `redes plan`.

pub mod cli;
pub mod input;
pub mod model;
pub mod pages;
pub mod store;
pub mod view;

use crate::auth::policy::Principal;
use crate::module::{HomeCard, Module, NavEntry, StaticFile};

pub const MODULE: Module = Module {
    name: "encounters",
    pages: pages::routes,
    templates: &[
        ("encounters/list.html", include_str!("templates/list.html")),
        ("encounters/plan.html", include_str!("templates/plan.html")),
        (
            "encounters/print.html",
            include_str!("templates/print.html"),
        ),
    ],
    // The map: vendored Leaflet (BSD-2-Clause; see LEAFLET-LICENSE).
    static_files: &[
        StaticFile {
            name: "leaflet.js",
            body: include_bytes!("static/leaflet.js"),
            content_type: "text/javascript; charset=utf-8",
        },
        StaticFile {
            name: "leaflet.css",
            body: include_bytes!("static/leaflet.css"),
            content_type: "text/css; charset=utf-8",
        },
        StaticFile {
            name: "encuentros.js",
            body: include_bytes!("static/encuentros.js"),
            content_type: "text/javascript; charset=utf-8",
        },
    ],
    navigation: &[NavEntry {
        href: "/encuentros",
        label: "encounters-encuentros",
        visible: |p| p.is_some_and(Principal::may_plan_encounters),
    }],
    home_cards: &[HomeCard {
        href: "/encuentros",
        title: "encounters-encuentro-entre-escuelas",
        text: "encounters-planifique-consejos-tecnicos-reunen-donde",
        visible: |p| p.is_some_and(Principal::may_plan_encounters),
    }],
    ..Module::EMPTY
};
