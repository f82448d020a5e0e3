//! Good practices (issue 12): a network documents what works in its
//! schools (context, problem, objective, what was done, results with
//! evidence, learnings, links to the PEI, the improvement plan and
//! policy) and moves it through the management cycle of seed 002:
//! identified → documented → systematized → under review → published →
//! replicated. Only a published practice is read outside its network.

pub mod api;
pub mod model;
pub mod pages;
mod pdf;
mod public;
mod replicas;
pub mod review_api;
pub mod review_pages;
pub mod search;
pub mod store;

use crate::module::{signed_in, HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "practices",
    pages: || pages::routes().merge(review_pages::routes()).merge(public::routes()),
    api: || api::routes().merge(review_api::routes()),
    openapi: || {
        let mut doc = api::openapi();
        doc.merge(review_api::openapi());
        doc
    },
    templates: &[
        ("practices/list.html", include_str!("templates/list.html")),
        ("practices/form.html", include_str!("templates/form.html")),
        ("practices/detail.html", include_str!("templates/detail.html")),
        ("practices/record.html", include_str!("templates/record.html")),
        ("practices/replications.html", include_str!("templates/replications.html")),
        ("practices/reviews.html", include_str!("templates/reviews.html")),
        ("practices/review_form.html", include_str!("templates/review_form.html")),
        ("practices/rubrics.html", include_str!("templates/rubrics.html")),
        ("practices/rubric.html", include_str!("templates/rubric.html")),
        ("practices/rubric_table.html", include_str!("templates/rubric_table.html")),
        ("practices/search.html", include_str!("templates/search.html")),
        ("practices/public_list.html", include_str!("templates/public_list.html")),
        ("practices/print.html", include_str!("templates/print.html")),
    ],
    navigation: &[
        NavEntry {
            href: "/practicas",
            label: "practices-practicas-2",
            visible: signed_in,
        },
        // What anyone can read, signed in or not.
        NavEntry {
            href: "/buenas-practicas",
            label: "practices-publicas-menu",
            visible: |p| p.is_none(),
        },
    ],
    home_cards: &[
        HomeCard {
            href: "/practicas",
            title: "practices-buenas-practicas",
            text: "practices-documente-revise-replique-buenas-practicas",
            visible: signed_in,
        },
        HomeCard {
            href: "/buenas-practicas",
            title: "practices-publicas-titulo",
            text: "practices-publicas-tarjeta",
            visible: |p| p.is_none(),
        },
    ],
    ..Module::EMPTY
};
