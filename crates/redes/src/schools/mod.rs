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
        label: "common-escuelas-2",
        visible: signed_in,
    }],
    home_cards: &[
        HomeCard {
            href: "/escuelas",
            title: "common-escuelas-2",
            text: "schools-busque-escuelas-nombre-codigo-territorio",
            visible: signed_in,
        },
        HomeCard {
            href: "/escuelas/nueva",
            title: "schools-registrar-escuela-2",
            text: "schools-agregue-establecimientos-territorio-registro",
            visible: |p| p.is_some_and(Principal::may_create_schools),
        },
    ],
    ..Module::EMPTY
};
