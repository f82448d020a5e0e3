//! The school registry: list with filters and search, detail, create,
//! edit, archive; the JSON API; and the CSV/Excel importer (`import`).

pub mod api;
pub mod import;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{signed_in, HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "schools",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("schools/list.html", include_str!("templates/list.html")),
        ("schools/detail.html", include_str!("templates/detail.html")),
        ("schools/form.html", include_str!("templates/form.html")),
    ],
    navigation: &[NavEntry {
        href: "/escuelas",
        label: "Escuelas",
        visible: signed_in,
    }],
    home_cards: &[
        HomeCard {
            href: "/escuelas",
            title: "Escuelas",
            text: "Busque escuelas por nombre, código o territorio.",
            visible: signed_in,
        },
        HomeCard {
            href: "/escuelas/nueva",
            title: "Registrar una escuela",
            text: "Agregue establecimientos de su territorio al registro.",
            visible: |p| p.is_some_and(Principal::may_create_schools),
        },
    ],
    english: include_str!("en.json"),
    ..Module::EMPTY
};
