//! The authorization matrix (issue 6): every route of the application, pages
//! and JSON API, called with every method it accepts, as each role, on
//! objects inside and outside the role's scope, compared with the expected
//! table `fixtures/authorization.tsv` (the file a reviewer reads; its header
//! explains actors, objects and statuses). The routes come from the source
//! (`.route(..)` and `.nest(..)` in `src/**/*.rs`): a route without rows for
//! every actor, or a row whose route is gone, fails
//! `the_table_covers_every_route_and_actor`.
//!
//! Every write carries a valid CSRF token and a valid body; after a refused
//! write nothing may have changed (a fingerprint of every table a request
//! can touch), and after an allowed one the world is put back.
//!
//! The table encodes the policy as issue 6 wants it. Against the code before
//! its fixes, the 49 rows noted `# issue 6.N` failed on both databases: 6.3
//! national calls by regional authorities (4), 6.4 moves to another province
//! or region (15, plus the coordinator's 2 added since), 6.5 sedes attached
//! to institutions out of reach (8), 6.14 the rector and their sedes (9), the
//! calls list (11) and re-approval (2). They all pass now.

mod calls;
mod plans;
mod practices;
mod requests;
mod reviews;
// Also read by the browser tests: every page route must be checked by axe-core.
pub(crate) mod table;
mod world;

use crate::common;

use std::collections::BTreeSet;

use common::{Client, Response, TestApp};
use requests::Body;
use table::Row;
use world::World;

const TABLE: &str = include_str!("../fixtures/authorization.tsv");

/// What the expected column may say.
const OUTCOMES: [&str; 9] = [
    "200", "201", "303", "401", "403", "404", "409", "422", "login",
];

#[test]
fn the_table_covers_every_route_and_actor() {
    let rows = table::parse(TABLE);
    let routes = table::source_routes();
    assert!(routes.len() > 40, "found only {routes:?}");
    let mut problems = Vec::new();
    for row in &rows {
        if !routes.contains(&(row.method.clone(), row.path.clone())) {
            problems.push(format!("{row}: no such route in the application"));
        }
        if !world::ACTORS.iter().any(|(key, _)| *key == row.actor) {
            problems.push(format!("{row}: unknown actor {}", row.actor));
        }
        if !OUTCOMES.contains(&row.expected.as_str()) {
            problems.push(format!("{row}: unknown expected status {}", row.expected));
        }
        requests::parse_object(&row.object);
    }
    for (method, path) in &routes {
        let actors: BTreeSet<&str> = rows
            .iter()
            .filter(|r| &r.method == method && &r.path == path)
            .map(|r| r.actor.as_str())
            .collect();
        let missing: Vec<&str> = world::ACTORS
            .iter()
            .map(|(key, _)| *key)
            .filter(|key| !actors.contains(key))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "route {method} {path} has no row for: {}",
                missing.join(", ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "authorization.tsv and the application's routes disagree:\n{}",
        problems.join("\n")
    );
}

both_databases!(matrix, |app: TestApp| async move {
    let rows = table::parse(TABLE);
    let backend = app.db.backend;
    let mut world = world::build(app).await;
    let mut failures = Vec::new();
    for row in &rows {
        if let Err(problem) = run_row(&mut world, row).await {
            failures.push(problem);
        }
    }
    println!(
        "{backend:?}: {} rows, {} differ from authorization.tsv",
        rows.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{backend:?}: {} of {} rows differ from authorization.tsv:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
});

/// The outcome as the table writes it: the status, or `login` for a
/// redirect to the login page.
fn outcome(response: &Response) -> String {
    let to_login = response
        .location
        .as_deref()
        .is_some_and(|l| l.starts_with("/login"));
    if response.status.as_u16() == 303 && to_login {
        "login".into()
    } else {
        response.status.as_u16().to_string()
    }
}

fn refused(outcome: &str) -> bool {
    outcome == "login" || outcome.starts_with('4') || outcome.starts_with('5')
}

/// Runs one row of the table; `Err` says how the answer differs.
async fn run_row(world: &mut World, row: &Row) -> Result<(), String> {
    let request = requests::build(world, row).await;
    let writes = row.method != "GET";
    let before = match writes {
        true => Some(world::fingerprint(&world.app).await),
        false => None,
    };
    // Signing in or out would change the actor's own session: use a new one.
    let mut own_session;
    let client = if writes && (row.path == "/login" || row.path == "/logout") {
        own_session = world::client_for(&world.app, &world.actors[&row.actor].username).await;
        &mut own_session
    } else {
        &mut world.actors.get_mut(&row.actor).unwrap().client
    };
    let response = send(client, row, &request).await;
    let got = outcome(&response);
    let mut problems = Vec::new();
    if got != row.expected {
        let detail = match (&response.location, row.path.starts_with("/api/")) {
            (Some(location), _) => format!(" (to {location})"),
            (None, true) => format!(" ({})", response.body.chars().take(160).collect::<String>()),
            (None, false) => String::new(),
        };
        problems.push(format!("expected {}, got {got}{detail}", row.expected));
    }
    if got == "200" {
        for (shown, key) in &row.lists {
            let name = world
                .names
                .get(key)
                .unwrap_or_else(|| panic!("{row}: {key} has no name to look for"));
            if response.body.contains(name.as_str()) != *shown {
                let verb = if *shown { "does not list" } else { "lists" };
                problems.push(format!("{verb} {key} ({name})"));
            }
        }
    }
    if let Some(before) = before {
        let after = world::fingerprint(&world.app).await;
        if after != before {
            if refused(&got) {
                let changed: Vec<&String> = after.iter().filter(|l| !before.contains(l)).collect();
                problems.push(format!("refused ({got}) but changed {changed:?}"));
            }
            world::reset(&world.app, &world.baseline).await;
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(format!("{row}: {}", problems.join("; "))),
    }
}

async fn send(client: &mut Client, row: &Row, request: &requests::Request) -> Response {
    let api = row.path.starts_with("/api/");
    match (&request.body, row.method.as_str()) {
        (Body::None, method) if api => client.json(method, &request.uri, None, None).await,
        (Body::None, "GET") => client.get(&request.uri).await,
        (Body::Form(pairs), "POST") => {
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            client.post_form(&request.uri, &pairs).await
        }
        (Body::File(field, name, data), "POST") => {
            client.post_file(&request.uri, field, name, data).await
        }
        (Body::Json(value), method) => {
            client
                .json(method, &request.uri, Some(value.clone()), None)
                .await
        }
        (_, method) => panic!("{row}: cannot send {method} with this body"),
    }
}
