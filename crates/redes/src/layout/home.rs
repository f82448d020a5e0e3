//! The home page tells each person what their roles let them do.

use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use crate::auth::policy::Principal;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::AppState;

#[derive(Serialize)]
struct Ability {
    href: &'static str,
    title: &'static str,
    text: &'static str,
}

fn abilities(p: &Principal) -> Vec<Ability> {
    let mut list = vec![
        Ability {
            href: "/redes",
            title: "Redes",
            text: "Vea las redes de su alcance, sus escuelas y su carta de navegación.",
        },
        Ability {
            href: "/escuelas",
            title: "Escuelas",
            text: "Busque escuelas por nombre, código o territorio.",
        },
    ];
    if p.may_create_networks() {
        list.push(Ability {
            href: "/redes/nueva",
            title: "Crear una red",
            text: "Registre una red, su carta y sus escuelas integrantes.",
        });
    }
    if p.may_create_schools() {
        list.push(Ability {
            href: "/escuelas/nueva",
            title: "Registrar una escuela",
            text: "Agregue establecimientos de su territorio al registro.",
        });
    }
    if p.may_issue_calls() {
        list.push(Ability {
            href: "/convocatorias/nueva",
            title: "Emitir una convocatoria",
            text: "Las convocatorias institucionales son de secretarías y ministerios.",
        });
    } else {
        list.push(Ability { href: "/convocatorias", title: "Convocatorias", text: "Las redes asesoran y proponen; las convocatorias las emiten secretarías y ministerios." });
    }
    if p.may_plan_encounters() {
        list.push(Ability {
            href: "/encuentros",
            title: "Encuentro entre escuelas",
            text: "Planifique qué consejos técnicos se reúnen, dónde y en qué grupos.",
        });
    }
    if p.can_manage_people() {
        list.push(Ability {
            href: "/personas",
            title: "Personas y roles",
            text: "Cree cuentas y asigne roles con su alcance.",
        });
    }
    list.push(Ability {
        href: "/censo",
        title: "Censo de redes",
        text: "Redes activas por año y región.",
    });
    list
}

pub async fn home(ctx: Ctx, State(state): State<AppState>) -> Result<Response, AppError> {
    let abilities = ctx.principal.as_ref().map(abilities).unwrap_or_default();
    state.render(&ctx, "home.html", context! { abilities => abilities })
}
