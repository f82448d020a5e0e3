//! People, accounts and memberships (role × scope × dates), managed by
//! administrators. No JSON API yet.

pub mod model;
pub mod pages;
pub mod store;

pub use model::{MembershipInput, NewPerson, PersonInput, MIN_PASSWORD};
pub use store::{grant, grant_with_kind, insert};

use crate::auth::policy::Principal;
use crate::module::{HomeCard, Module, NavEntry};

pub const MODULE: Module = Module {
    name: "people",
    pages: pages::routes,
    templates: &[
        ("people/list.html", include_str!("templates/list.html")),
        ("people/detail.html", include_str!("templates/detail.html")),
        ("people/form.html", include_str!("templates/form.html")),
        ("people/edit.html", include_str!("templates/edit.html")),
    ],
    navigation: &[NavEntry {
        href: "/personas",
        label: "people-personas",
        visible: |p| p.is_some_and(Principal::can_manage_people),
    }],
    home_cards: &[HomeCard {
        href: "/personas",
        title: "people-personas-roles",
        text: "people-cree-cuentas-asigne-roles-alcance",
        visible: |p| p.is_some_and(Principal::can_manage_people),
    }],
    ..Module::EMPTY
};
