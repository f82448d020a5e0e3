//! Institutional calls (convocatorias), with their dates and territory.
//! Networks are advisory (seed 000): they never issue a call; a network's
//! coordination proposes one to the authority of a territory (secretariat
//! or ministry, `Principal::can_decide_call_proposal`), which puts it under
//! consideration, issues it (the call is linked to the proposal) or
//! declines it with a reason; the network follows its proposals' states.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "calls",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("calls/list.html", include_str!("templates/list.html")),
        ("calls/form.html", include_str!("templates/form.html")),
        ("calls/proposals.html", include_str!("templates/proposals.html")),
        ("calls/proposal.html", include_str!("templates/proposal.html")),
        ("calls/network.html", include_str!("templates/network.html")),
    ],
    navigation: &[NavEntry {
        href: "/convocatorias",
        label: "calls-convocatorias",
        visible: |p| p.is_some_and(Principal::can_list_calls),
    }],
    home_cards: &[
        HomeCard {
            href: "/convocatorias/nueva",
            title: "calls-emitir-convocatoria-3",
            text: "calls-convocatorias-institucionales-son-secretarias-ministerios",
            visible: |p| p.is_some_and(Principal::may_issue_calls),
        },
        HomeCard {
            href: "/convocatorias/propuestas",
            title: "calls-propuestas-redes",
            text: "calls-redes-territorio-proponen-convocatorias-usted",
            visible: |p| p.is_some_and(Principal::may_issue_calls),
        },
        HomeCard {
            href: "/convocatorias",
            title: "calls-convocatorias",
            text: "calls-redes-asesoran-proponen-convocatorias-emiten",
            visible: |p| p.is_some_and(|p| !p.may_issue_calls()),
        },
    ],
    ..Module::EMPTY
};
