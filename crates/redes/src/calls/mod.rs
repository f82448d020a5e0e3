//! Institutional calls (convocatorias). Networks are advisory (seed 000):
//! they may propose but never issue a call; only ministry and secretariat
//! roles can (`Principal::can_issue_call`). No JSON API yet.

pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "calls",
    pages: pages::routes,
    templates: &[
        ("calls/list.html", include_str!("templates/list.html")),
        ("calls/form.html", include_str!("templates/form.html")),
    ],
    navigation: &[NavEntry {
        href: "/convocatorias",
        label: "Convocatorias",
        visible: |p| p.is_some_and(Principal::can_list_calls),
    }],
    home_cards: &[
        HomeCard {
            href: "/convocatorias/nueva",
            title: "Emitir una convocatoria",
            text: "Las convocatorias institucionales son de secretarías y ministerios.",
            visible: |p| p.is_some_and(Principal::may_issue_calls),
        },
        HomeCard {
            href: "/convocatorias",
            title: "Convocatorias",
            text: "Las redes asesoran y proponen; las convocatorias las emiten secretarías y ministerios.",
            visible: |p| p.is_some_and(|p| !p.may_issue_calls()),
        },
    ],
    ..Module::EMPTY
};
