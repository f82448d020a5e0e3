//! Issue 8: the encounter planner's sentences (exceptions, suggestions,
//! violations) read in the reader's language. The planner gives message ids
//! and arguments; the application's locale files hold the sentences.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use redes::encounters::view::message;
use redes::layout::Lang;
use redes::text::text;
use redes_planner::{Arg, Options, Plan, Text};

use crate::common::{seed_zone, zone_supervisor, TestApp};
use crate::encounters::{cluster_of, stored_plan};

/// Querétaro's school catalogue as published (`../shared/data`), or the
/// planner's sample of it where the data folder is not at hand.
fn queretaro() -> String {
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/mexico/cct_queretaro_activos.csv");
    std::fs::read_to_string(published).unwrap_or_else(|_| {
        include_str!("../../../planner/tests/fixtures/queretaro_sample.csv").to_string()
    })
}

/// The Spanish sentence of `id` cut at its arguments: the parts a reader
/// would recognise as Spanish (12 characters or more).
fn spanish_parts(id: &str) -> Vec<String> {
    let pattern = redes::text::SPANISH
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{id} = ")))
        .unwrap_or_default();
    pattern
        .split(['{', '}'])
        .step_by(2)
        .map(str::trim)
        .filter(|part| part.chars().count() >= 12)
        .map(String::from)
        .collect()
}

fn words(text: &Text) -> Vec<&str> {
    text.args
        .values()
        .filter_map(|arg| match arg {
            Arg::Word(word) => Some(word.as_str()),
            _ => None,
        })
        .collect()
}

/// A plan of Querétaro broken by hand: a school twice, a host outside its
/// cluster, a group over its size, so that the validator speaks too.
fn broken(plan: &Plan) -> Plan {
    let mut broken = plan.clone();
    let school = broken.clusters[0].schools[0].clone();
    broken.clusters[1].schools.push(school);
    broken.clusters[2].host = broken.clusters[3].host.clone();
    let members = broken.clusters[4].groups[0].members.clone();
    broken.clusters[4].groups[0].members.extend(members);
    broken
}

#[test]
fn planner_sentences_read_in_english_and_in_spanish_with_their_arguments() {
    let schools = redes_planner::queretaro::parse(&queretaro()).unwrap();
    let plan = redes_planner::plan(schools, &Options::default()).unwrap();
    let violations = redes_planner::validate(&broken(&plan));
    let mut sentences: Vec<&Text> = plan
        .exceptions
        .iter()
        .flat_map(|e| [&e.reason, &e.suggestion])
        .collect();
    sentences.extend(violations.iter().map(|v| &v.message));
    let kinds: BTreeSet<&str> = sentences.iter().map(|t| t.id.as_str()).collect();
    assert!(kinds.len() >= 10, "only {kinds:?}");

    for sentence in sentences {
        let encoded = message(sentence);
        let (en, es) = (text(Lang::En, &encoded), text(Lang::Es, &encoded));
        assert_ne!(en, es, "{} has no English", sentence.id);
        for shown in [&en, &es] {
            assert!(
                !shown.contains(['{', '}', '\u{1d}', '\u{1e}', '\u{1f}']),
                "{} shown as {shown:?}",
                sentence.id
            );
        }
        for part in spanish_parts(&sentence.id) {
            assert!(es.contains(&part), "{es:?} lacks {part:?}");
            assert!(!en.contains(&part), "Spanish in English: {en:?}");
        }
        for word in words(sentence) {
            assert!(
                en.contains(word) && es.contains(word),
                "{word} lost: {en:?} / {es:?}"
            );
        }
    }
}

both_databases!(
    the_plan_page_in_english_explains_in_english_and_old_plans_as_written,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let mut client = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = client
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
        let url = run.location.unwrap();
        // The north primaria moved south: rules 1 and 2 are broken.
        let south = cluster_of(&stored_plan(&app).await, "22DES0002D");
        client
            .post_form(
                &format!("{url}/mover"),
                &[("school", "22DPR0001B"), ("cluster", &south.to_string())],
            )
            .await;

        client.set_cookie("lang", Some("en"));
        let page = client.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Rule 2: the community meets together"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("has CTEs of a single level"),
            "{}",
            page.body
        );
        for id in redes::text::ids(redes::text::SPANISH)
            .into_iter()
            .filter(|id| id.starts_with("planner-"))
        {
            for part in spanish_parts(id) {
                assert!(!page.body.contains(&part), "Spanish left: {part:?}");
            }
        }
        let print = client.get(&format!("{url}/imprimir")).await;
        assert!(print.body.contains("Principal"), "{}", print.body);
        assert!(!print.body.contains("Director(a)"), "{}", print.body);

        // A plan stored before the sentences had ids holds them in Spanish:
        // it still opens, and shows them as they were written.
        let mut stored: serde_json::Value =
            serde_json::from_str(&app.text("SELECT plan_json FROM encounter_plans").await).unwrap();
        stored["exceptions"] = serde_json::json!([{
            "rule": "host",
            "schools": ["22DPR0001B"],
            "reason": "Ninguna escuela del grupo tiene 3 aulas",
            "suggestion": "Buscar una sede con más aulas",
            "unplaced": false
        }]);
        sqlx::query("UPDATE encounter_plans SET plan_json = $1")
            .bind(stored.to_string())
            .execute(&app.db.pool)
            .await
            .unwrap();
        let page = client.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("Ninguna escuela del grupo tiene 3 aulas"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Rule 6: a venue with enough classrooms"));
    }
);
