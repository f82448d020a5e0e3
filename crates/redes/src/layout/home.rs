//! The home page: what each person can do, from the cards every module
//! offers to the people its policy lets in.

use axum::extract::State;
use axum::response::Response;
use minijinja::context;

use crate::auth::Ctx;
use crate::error::AppError;
use crate::AppState;

pub async fn home(ctx: Ctx, State(state): State<AppState>) -> Result<Response, AppError> {
    let principal = ctx.principal.as_ref();
    // Signed out, only the cards meant for everyone (the published practices).
    let abilities: Vec<_> = state
        .modules
        .iter()
        .flat_map(|m| m.home_cards)
        .filter(|card| (card.visible)(principal))
        .map(|card| context! { href => card.href, title => card.title, text => card.text })
        .collect();
    let mut sections = Vec::new();
    if let Some(p) = principal {
        for section in state.modules.iter().flat_map(|m| m.home_sections) {
            // Home is the page everyone opens most: each section is read
            // once per person until the next committed write (`Db::remember`;
            // dates passing are covered by its time limit).
            let key = format!("home:{}:{}", section.template, p.person_id);
            let loaded = state.db.remember(key, || (section.load)(&state, p)).await?;
            if let Some(data) = loaded {
                sections.push(context! { template => section.template, data => data });
            }
        }
    }
    state.render(
        &ctx,
        "home.html",
        context! { abilities => abilities, sections => sections },
    )
}
