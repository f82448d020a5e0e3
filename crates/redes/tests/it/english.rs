//! Issue 8: the English interface shows no Spanish text. Every demo
//! account, with the language cookie set to English, walks the pages its
//! home links to (two clicks deep), a refused form, a 404 and a 403; no
//! element of a page may read as a text of `locales/es.ftl` whose English
//! differs.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use redes::demo::{load, DEMO_PASSWORD};

use crate::common;

/// The Spanish texts worth looking for: the ones of six characters or
/// more whose English is another text (a name such as "Chile" reads the
/// same in both).
fn spanish_texts() -> Vec<(String, String)> {
    let english: std::collections::HashMap<&str, &str> = messages(redes::text::ENGLISH).collect();
    messages(redes::text::SPANISH)
        .filter(|(id, es)| {
            english.get(id).is_some_and(|en| en != es)
                && !es.contains('{')
                && es.chars().count() >= 6
        })
        .map(|(id, es)| (id.to_string(), es.to_string()))
        .collect()
}

fn messages(source: &str) -> impl Iterator<Item = (&str, &str)> {
    source.lines().filter_map(|line| {
        let (id, value) = line.split_once(" = ")?;
        let is_id = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        (is_id && !value.is_empty()).then_some((id, value.trim()))
    })
}

/// The texts a reader sees, one per element (tags, scripts and styles
/// out, entities read): a text of the interface fills an element or a part
/// of one between separators, while data (a network named "Red de
/// Mejoramiento Escolar Talca Norte") only contains such a text.
fn visible_texts(html: &str) -> Vec<String> {
    let mut nodes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        nodes.push(rest[..start].to_string());
        let tag = &rest[start..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|open| tag.starts_with(*open))
            .map(|open| format!("</{}", &open[1..]));
        rest = match skip_to.and_then(|close| tag.find(&close)) {
            Some(end) => &tag[end..],
            None => tag,
        };
        rest = match rest.find('>') {
            Some(end) => &rest[end + 1..],
            None => "",
        };
    }
    nodes.push(rest.to_string());
    nodes
        .iter()
        .map(|node| {
            node.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&#x2f;", "/")
        })
        .flat_map(|node| pieces(&node))
        .collect()
}

/// A text node and its parts between separators ("·", brackets), and a
/// list of short items ("básica primaria, media") item by item; a sentence
/// of data with a comma ("Revisar, crear y validar en la red el PME")
/// stays whole, or its first words would read as a label.
fn pieces(node: &str) -> Vec<String> {
    let whole = node.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = |p: &str| p.trim().trim_end_matches('.').to_string();
    let mut out = vec![clean(&whole)];
    // A list of labels is a short text; a long one is a sentence of data
    // ("las fortalezas de cada liceo (talleres, equipos, docentes)").
    let short = whole.split_whitespace().count() <= 12;
    for part in whole.split(['·', '(', ')', '|', '—']) {
        out.push(clean(part));
        let items: Vec<&str> = part.split(',').collect();
        if short && items.len() > 1 && items.iter().all(|i| i.split_whitespace().count() <= 3) {
            out.extend(items.iter().map(|i| clean(i)));
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Links of a page to other pages of Redes (no downloads, no sign-out,
/// no language switch).
fn links(html: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .filter_map(|(at, _)| html[at + 6..].split('"').next())
        // Templates escape the slashes of the links they are given.
        .map(|href| href.replace("&#x2f;", "/").replace("&amp;", "&"))
        .filter(|href| href.starts_with('/'))
        .filter(|href| {
            !href.starts_with("/static")
                && !href.starts_with("/idioma")
                && !href.starts_with("/salir")
                && !href.starts_with("/api")
                && ![".csv", ".xlsx", ".ics", ".pdf", ".json", ".svg"]
                    .iter()
                    .any(|ext| href.split('?').next().unwrap_or("").ends_with(ext))
        })
        .collect()
}

/// The Spanish texts (as "id «text»") that a page's visible text shows.
pub(crate) fn spanish_in(seen: &str) -> Vec<String> {
    let seen: Vec<String> = seen.lines().flat_map(pieces).collect();
    spanish_texts()
        .into_iter()
        .filter(|(_, es)| seen.iter().any(|s| s == es.trim_end_matches('.')))
        .map(|(id, es)| format!("{id} «{es}»"))
        .collect()
}

fn spanish_left(page: &str, html: &str, texts: &[(String, String)]) -> Vec<String> {
    let seen = visible_texts(html);
    texts
        .iter()
        .filter(|(_, es)| seen.iter().any(|s| s == es.trim_end_matches('.')))
        .map(|(id, es)| format!("{page}: {id} «{es}»"))
        .collect()
}

both_databases!(
    english_pages_show_no_spanish_text,
    |app: common::TestApp| async move {
        let loaded = load(&app.db, None).await.expect("demo loads");
        // What people wrote stays as they wrote it, even where it reads as
        // a text of the interface: a presenter "Coordinación de red", a
        // rubric's criterion "Documentada" (seed 002's rubric is content,
        // shown as the ministry wrote it, like a rubric a secretariat writes).
        let mut written: Vec<String> = sqlx::query_scalar(
            "SELECT presenter FROM agenda_items UNION SELECT name FROM practice_rubric_criteria",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        written.extend(
            redes::practices::model::reviews::SEED_002
                .iter()
                .map(|(name, _, _)| name.to_string()),
        );
        // The subjects of the encounter plans' school councils ("Historia").
        let plans: Vec<String> = sqlx::query_scalar("SELECT plan_json FROM encounter_plans")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        for json in plans {
            let plan: redes_planner::Plan = serde_json::from_str(&json).unwrap();
            let seats = plan.schools.iter().flat_map(|s| s.cte.iter());
            written.extend(seats.map(|seat| seat.assignment.clone()));
        }
        let texts: Vec<(String, String)> = spanish_texts()
            .into_iter()
            .filter(|(_, es)| !written.contains(es))
            .collect();
        assert!(texts.len() > 300, "{} texts to look for", texts.len());
        let mut left = Vec::new();
        let mut pages = 0;
        let mut read: BTreeSet<String> = BTreeSet::new();
        let usernames: Vec<String> = loaded.people.iter().map(|p| p.username.clone()).collect();
        for username in std::iter::once(None).chain(usernames.iter().map(Some)) {
            let mut client = app.client();
            client.set_cookie("lang", Some("en"));
            if let Some(username) = username {
                let signed_in = client.login(username, DEMO_PASSWORD).await;
                assert!(client.has_session(), "{username}: {}", signed_in.status);
            }
            let mut queue: VecDeque<(String, usize)> = VecDeque::from([("/".to_string(), 0)]);
            let mut visited = BTreeSet::new();
            while let Some((path, depth)) = queue.pop_front() {
                if !visited.insert(path.clone()) || visited.len() > 150 {
                    continue;
                }
                let page = client.get(&path).await;
                // Pages only: downloads (a file of evidence, a PDF) are data.
                if page.status != StatusCode::OK || !page.content_type.starts_with("text/html") {
                    continue;
                }
                pages += 1;
                read.insert(path.clone());
                assert!(page.body.contains("<html lang=\"en\">"), "{path}");
                left.extend(spanish_left(&path, &page.body, &texts));
                if depth < 4 {
                    queue.extend(links(&page.body).into_iter().map(|l| (l, depth + 1)));
                }
            }
        }
        assert!(pages > 150, "only {pages} pages read");
        // Three clicks reach the pages deep in a network's work too.
        for kind in [
            "/encuentros/",
            "/sesiones-encuentro/",
            "/reuniones/",
            "/practicas/",
            "/planes/",
            "/acuerdos",
        ] {
            assert!(
                read.iter().any(|p| p.starts_with(kind)),
                "no {kind} page read: {read:?}"
            );
        }

        // Refusals and form errors read in English too.
        let mut admin = app.client();
        admin.set_cookie("lang", Some("en"));
        admin.login("admin", DEMO_PASSWORD).await;
        let refused = admin
            .post_form("/redes", &[("name", ""), ("country", "cl")])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("The network&#x27;s name is required")
                || refused.body.contains("The network's name is required"),
            "{}",
            refused.body
        );
        left.extend(spanish_left(
            "/redes/nueva (refused)",
            &refused.body,
            &texts,
        ));
        let missing = admin.get("/redes/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        left.extend(spanish_left("/redes/999999", &missing.body, &texts));
        let mut teacher = app.client();
        teacher.set_cookie("lang", Some("en"));
        teacher.login("docente", DEMO_PASSWORD).await;
        let forbidden = teacher.get("/personas").await;
        left.extend(spanish_left(
            "/personas (forbidden)",
            &forbidden.body,
            &texts,
        ));

        assert!(
            left.is_empty(),
            "Spanish in the English interface:\n{}",
            left.join("\n")
        );
    }
);
