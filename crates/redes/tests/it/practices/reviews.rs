//! Peer review (issue 12 item 3) through the API: the territory's reviewer
//! assigns reviewers (never an author, named under `reviewer_id`), only
//! the person assigned sends the review, each criterion scored 1 to 4
//! (a score out of range named `score_N`), the authors reply, publication
//! waits for the rubric's finished reviews; and the rubrics of a country
//! and a region (the ministry's, the secretariat's), the region's rubric
//! taking precedence over the country's.

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant, Grant, TestApp};
use redes::practices::model::PracticeStatus;
use serde_json::{json, Value};

/// A review body: every criterion scored `score`, with a general comment.
fn review(criteria: usize, score: i64) -> Value {
    json!({
        "comment": "Una práctica sólida; falta evidencia de resultados.",
        "scores": (1..=criteria)
            .map(|n| json!({"criterion": n, "score": score, "comment": ""}))
            .collect::<Vec<_>>(),
    })
}

/// A JSON call with a bearer token.
async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> common::Response {
    app.client().json(method, path, body, Some(token)).await
}

both_databases!(
    reviewers_score_a_practice_the_authors_reply_and_then_it_is_published,
    |app: common::TestApp| async move {
        let (network, member, _other, outsider) = crate::practices::world(&app).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let id = crate::practices::replications::practice(
            &app,
            network,
            member,
            author,
            PracticeStatus::UnderReview,
        )
        .await;
        // Its evidence, which publication needs too.
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::practices::store::insert_file(
            &mut conn,
            redes::ids::PracticeId(id),
            "pauta.txt",
            "text/plain; charset=utf-8",
            b"Pauta",
            redes::ids::PersonId(author),
        )
        .await
        .unwrap();
        drop(conn);
        app.person(
            "seremi.valpo",
            &[grant("regional_authority", "region", "Valparaíso")],
        )
        .await;
        app.person("coord", &[network_grant("network_coordinator", network)])
            .await;
        let lejano = app
            .person("lejano", &[school_grant("director", outsider)])
            .await;
        let vecina = app
            .person("vecina", &[grant("regional_authority", "region", "Maule")])
            .await;
        let (seremi, coord, docente) = (
            app.token("seremi.valpo").await,
            app.token("coord").await,
            app.token("docente").await,
        );
        let reviews = format!("/api/v1/practices/{id}/reviews");

        // Before any review: seed 002's rubric, two needed, no score.
        let empty = call(&app, &docente, "GET", &reviews, None).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        let empty = empty.json();
        assert_eq!(empty["rubric"]["id"], Value::Null);
        assert_eq!(empty["rubric"]["criteria"].as_array().unwrap().len(), 8);
        assert_eq!(
            empty["rubric"]["criteria"][0]["levels"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(empty["reviews_needed"], 2);
        assert_eq!(empty["finished"], 0);
        assert_eq!(empty["combined_score"], Value::Null);
        assert_eq!(empty["reviews"], json!([]));

        // Publication is refused while the reviews are missing, named under `to`.
        let transitions = format!("/api/v1/practices/{id}/transitions");
        let early = call(
            &app,
            &seremi,
            "POST",
            &transitions,
            Some(json!({"to": "published"})),
        )
        .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        assert!(
            early.json()["fields"]["to"]
                .as_str()
                .unwrap()
                .contains("2 revisiones de pares terminadas (tiene 0)"),
            "{}",
            early.body
        );

        // Only a reviewer of the territory assigns; never an author.
        let by_coordination = call(
            &app,
            &coord,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": lejano.to_string()})),
        )
        .await;
        assert_eq!(
            by_coordination.status,
            StatusCode::FORBIDDEN,
            "{}",
            by_coordination.body
        );
        let an_author = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": author.to_string()})),
        )
        .await;
        assert_eq!(an_author.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            an_author.json()["fields"]["reviewer_id"]
                .as_str()
                .unwrap()
                .contains("nadie revisa su propia práctica"),
            "{}",
            an_author.body
        );
        let nobody = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": "999999"})),
        )
        .await;
        assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            nobody.json()["fields"]["reviewer_id"].is_string(),
            "{}",
            nobody.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM practice_reviews").await, 0);

        let assigned = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": lejano.to_string()})),
        )
        .await;
        assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);
        let assigned = assigned.json();
        let first = assigned["reviews"][0]["id"].as_i64().unwrap();
        assert_eq!(assigned["reviews"][0]["reviewer_id"], lejano);
        assert_eq!(assigned["reviews"][0]["reviewer_name"], "Persona lejano");
        assert_eq!(assigned["reviews"][0]["submitted_at"], Value::Null);
        assert_eq!(assigned["reviews"][0]["scores"], json!([]));
        let twice = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": lejano.to_string()})),
        )
        .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.json()["fields"]["reviewer_id"]
            .as_str()
            .unwrap()
            .contains("Ya revisa"));
        let second = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": vecina.to_string()})),
        )
        .await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
        let second = second.json()["reviews"][1]["id"].as_i64().unwrap();

        // Only the person assigned writes the review; scores are 1 to 4.
        let lejano_token = app.token("lejano").await;
        let vecina_token = app.token("vecina").await;
        let path = |review: i64| format!("/api/v1/practices/{id}/reviews/{review}");
        let not_theirs = call(&app, &seremi, "PUT", &path(first), Some(review(8, 4))).await;
        assert_eq!(
            not_theirs.status,
            StatusCode::FORBIDDEN,
            "{}",
            not_theirs.body
        );
        let mut bad = review(8, 4);
        bad["scores"][2]["score"] = json!(7);
        bad["scores"][5]["score"] = json!(0);
        let refused = call(&app, &lejano_token, "PUT", &path(first), Some(bad)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let fields = &refused.json()["fields"];
        assert_eq!(fields["score_3"], "El nivel va de 1 a 4 (recibió 7)");
        assert_eq!(fields["score_6"], "Elija un nivel de 1 a 4");
        assert!(fields.get("score_1").is_none(), "{fields}");
        let short = call(&app, &lejano_token, "PUT", &path(first), Some(review(7, 4))).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(short.json()["fields"]["score_8"], "Elija un nivel de 1 a 4");
        let extra = call(&app, &lejano_token, "PUT", &path(first), Some(review(9, 4))).await;
        assert_eq!(extra.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(extra.json()["fields"]["scores"]
            .as_str()
            .unwrap()
            .contains("8 criterios"));
        let mut silent = review(8, 4);
        silent["comment"] = json!("  ");
        let silent = call(&app, &lejano_token, "PUT", &path(first), Some(silent)).await;
        assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(silent.json()["fields"]["comment"].is_string());
        let mut long = review(8, 4);
        long["scores"][0]["comment"] = json!("x".repeat(2_001));
        let long = call(&app, &lejano_token, "PUT", &path(first), Some(long)).await;
        assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            long.json()["fields"]["comment_1"].is_string(),
            "{}",
            long.body
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_review_scores")
                .await,
            0
        );

        // The authors reply only to a sent review.
        let reply = |review: i64| format!("/api/v1/practices/{id}/reviews/{review}/reply");
        let unsent = call(
            &app,
            &docente,
            "POST",
            &reply(first),
            Some(json!({"reply": "Gracias."})),
        )
        .await;
        assert_eq!(unsent.status, StatusCode::CONFLICT, "{}", unsent.body);

        let mut good = review(8, 4);
        good["scores"][2]["score"] = json!(3);
        good["scores"][2]["comment"] = json!("Falta la continuidad en 2027.");
        let sent = call(&app, &lejano_token, "PUT", &path(first), Some(good.clone())).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let sent = sent.json();
        assert_eq!(sent["finished"], 1);
        assert_eq!(sent["combined_score"], 3.875);
        let scored = &sent["reviews"][0];
        assert_eq!(scored["score"], 3.875);
        assert!(scored["submitted_at"].is_string());
        assert_eq!(scored["scores"].as_array().unwrap().len(), 8);
        assert_eq!(scored["scores"][2]["criterion"], "Sistemática");
        assert_eq!(scored["scores"][2]["score"], 3);
        assert_eq!(
            scored["scores"][2]["comment"],
            "Falta la continuidad en 2027."
        );
        let again = call(&app, &lejano_token, "PUT", &path(first), Some(good)).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

        // One review is not enough (the rubric asks for two).
        let one = call(
            &app,
            &seremi,
            "POST",
            &transitions,
            Some(json!({"to": "published"})),
        )
        .await;
        assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(one.body.contains("(tiene 1)"), "{}", one.body);

        let low = call(
            &app,
            &vecina_token,
            "PUT",
            &path(second),
            Some(review(8, 2)),
        )
        .await;
        assert_eq!(low.status, StatusCode::OK, "{}", low.body);
        assert_eq!(low.json()["combined_score"], 2.9375);

        let empty_reply = call(
            &app,
            &docente,
            "POST",
            &reply(second),
            Some(json!({"reply": " "})),
        )
        .await;
        assert_eq!(empty_reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty_reply.json()["fields"]["reply"].is_string());
        let not_author = call(
            &app,
            &coord,
            "POST",
            &reply(second),
            Some(json!({"reply": "Nosotros no."})),
        )
        .await;
        assert_eq!(not_author.status, StatusCode::FORBIDDEN);
        let replied = call(
            &app,
            &docente,
            "POST",
            &reply(second),
            Some(json!({"reply": "Agregamos las cifras."})),
        )
        .await;
        assert_eq!(replied.status, StatusCode::OK, "{}", replied.body);
        let replied = replied.json();
        assert_eq!(replied["reviews"][1]["reply"], "Agregamos las cifras.");
        assert_eq!(replied["reviews"][1]["replied_by_name"], "Persona docente");
        assert!(replied["reviews"][1]["replied_at"].is_string());

        // Outside the network, a reader who reviews nothing sees no reviews.
        app.person("lejos", &[school_grant("teacher", outsider)])
            .await;
        let lejos = app.token("lejos").await;
        let hidden = call(&app, &lejos, "GET", &reviews, None).await;
        assert_eq!(hidden.status, StatusCode::FORBIDDEN);

        let published = call(
            &app,
            &seremi,
            "POST",
            &transitions,
            Some(json!({"to": "published"})),
        )
        .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        assert_eq!(published.json()["practice"]["status"], "published");
        // Published: everyone reads the combined score, not the reviews.
        let read = call(&app, &lejos, "GET", &reviews, None).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let read = read.json();
        assert_eq!(read["combined_score"], 2.9375);
        assert_eq!(read["finished"], 2);
        assert_eq!(read["reviews"], json!([]));
        // No more assignments once published.
        let late = call(
            &app,
            &seremi,
            "POST",
            &reviews,
            Some(json!({"reviewer_id": lejano.to_string()})),
        )
        .await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    }
);

fn region<'a>(role: &'a str, country: &'a str, region: &'a str) -> Grant<'a> {
    Grant {
        role,
        scope_kind: "region",
        country,
        scope_name: region,
        ..Default::default()
    }
}

both_databases!(
    the_ministry_and_a_secretariat_configure_rubrics_and_the_region_s_rules,
    |app: common::TestApp| async move {
        app.person(
            "mineduc",
            &[Grant {
                country: "co",
                ..grant("ministry", "national", "")
            }],
        )
        .await;
        app.person("sec.bolivar", &[region("secretariat", "co", "Bolívar")])
            .await;
        app.person("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        let (ministry, secretariat, seremi) = (
            app.token("mineduc").await,
            app.token("sec.bolivar").await,
            app.token("seremi").await,
        );
        let rubrics = "/api/v1/practice-rubrics";

        let listed = call(&app, &seremi, "GET", rubrics, None).await;
        assert_eq!(listed.status, StatusCode::OK);
        let listed = listed.json();
        assert_eq!(listed["rubrics"], json!([]));
        assert_eq!(listed["seed"]["reviews_needed"], 2);
        assert_eq!(listed["seed"]["criteria"][0]["name"], "Pertinente");

        // The secretariat gives its department its own; not its country's.
        let country_wide = call(
            &app,
            &secretariat,
            "POST",
            rubrics,
            Some(json!({"country": "co", "region": ""})),
        )
        .await;
        assert_eq!(country_wide.status, StatusCode::FORBIDDEN);
        let not_chile = call(
            &app,
            &seremi,
            "POST",
            rubrics,
            Some(json!({"country": "cl", "region": "Biobío"})),
        )
        .await;
        assert_eq!(not_chile.status, StatusCode::FORBIDDEN);
        let unknown = call(
            &app,
            &ministry,
            "POST",
            rubrics,
            Some(json!({"country": "ar", "region": ""})),
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.json()["fields"]["country"].is_string());
        let colombia = call(
            &app,
            &ministry,
            "POST",
            rubrics,
            Some(json!({"country": "co", "region": ""})),
        )
        .await;
        assert_eq!(colombia.status, StatusCode::CREATED, "{}", colombia.body);
        let colombia = colombia.json();
        let colombia_id = colombia["id"].as_i64().unwrap();
        assert_eq!(colombia["country"], "co");
        assert_eq!(colombia["region"], "");
        assert_eq!(colombia["criteria"].as_array().unwrap().len(), 8);

        // The ministry makes the country's ask for three reviews, two criteria.
        let levels = json!(["No se ve.", "Se nombra.", "Se atiende.", "Se prioriza."]);
        let two = json!({"reviews_needed": 3, "criteria": [
            {"name": "Pertinente", "meaning": "Responde a una necesidad.", "levels": levels},
            {"name": "Sostenible", "meaning": "", "levels": levels},
        ]});
        let edited = call(
            &app,
            &ministry,
            "PUT",
            &format!("{rubrics}/{colombia_id}"),
            Some(two.clone()),
        )
        .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        assert_eq!(edited.json()["reviews_needed"], 3);
        assert_eq!(edited.json()["criteria"].as_array().unwrap().len(), 2);
        let by_secretariat = call(
            &app,
            &secretariat,
            "PUT",
            &format!("{rubrics}/{colombia_id}"),
            Some(two),
        )
        .await;
        assert_eq!(by_secretariat.status, StatusCode::FORBIDDEN);

        // Bolívar starts from Colombia's, then changes its own.
        let bolivar = call(
            &app,
            &secretariat,
            "POST",
            rubrics,
            Some(json!({"country": "co", "region": "Bolívar"})),
        )
        .await;
        assert_eq!(bolivar.status, StatusCode::CREATED, "{}", bolivar.body);
        let bolivar = bolivar.json();
        let bolivar_id = bolivar["id"].as_i64().unwrap();
        assert_eq!(bolivar["reviews_needed"], 3);
        assert_eq!(bolivar["criteria"][1]["name"], "Sostenible");
        let twice = call(
            &app,
            &ministry,
            "POST",
            rubrics,
            Some(json!({"country": "co", "region": "Bolívar"})),
        )
        .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        let bad = json!({"reviews_needed": 9, "criteria": [
            {"name": "", "meaning": "", "levels": ["Uno", "", "Tres", "Cuatro"]},
            {"name": "Innovadora", "meaning": "", "levels": ["a", "b", "c", "d"]},
        ]});
        let refused = call(
            &app,
            &secretariat,
            "PUT",
            &format!("{rubrics}/{bolivar_id}"),
            Some(bad),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let fields = &refused.json()["fields"];
        assert!(fields["reviews_needed"].is_string(), "{fields}");
        assert!(fields["name_1"].is_string(), "{fields}");
        assert!(fields["level_1_2"].is_string(), "{fields}");
        assert!(fields.get("name_2").is_none(), "{fields}");
        let one = json!({"reviews_needed": 1, "criteria": [
            {"name": "Innovadora", "meaning": "Aporta algo nuevo.", "levels": ["a", "b", "c", "d"]},
        ]});
        let saved = call(
            &app,
            &secretariat,
            "PUT",
            &format!("{rubrics}/{bolivar_id}"),
            Some(one),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

        let listed = call(&app, &seremi, "GET", rubrics, None).await.json();
        let places: Vec<(String, String, i64)> = listed["rubrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["region"].as_str().unwrap().to_string(),
                    r["country"].as_str().unwrap().to_string(),
                    r["criteria"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            places,
            vec![
                ("".into(), "co".into(), 2),
                ("Bolívar".into(), "co".into(), 1)
            ]
        );
        let one = call(
            &app,
            &seremi,
            "GET",
            &format!("{rubrics}/{bolivar_id}"),
            None,
        )
        .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json()["criteria"][0]["name"], "Innovadora");
        assert_eq!(
            call(&app, &seremi, "GET", &format!("{rubrics}/999999"), None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The rubric in force: the region's, else the country's, else seed 002's.
        let mut conn = app.db.pool.acquire().await.unwrap();
        use redes::country::Country;
        use redes::practices::store::reviews::rubric_for;
        let in_bolivar = rubric_for(&mut conn, Country::Co, "Bolívar").await.unwrap();
        assert_eq!(
            (in_bolivar.reviews_needed, in_bolivar.criteria.len()),
            (1, 1)
        );
        let in_tolima = rubric_for(&mut conn, Country::Co, "Tolima").await.unwrap();
        assert_eq!((in_tolima.reviews_needed, in_tolima.criteria.len()), (3, 2));
        let in_chile = rubric_for(&mut conn, Country::Cl, "Biobío").await.unwrap();
        assert_eq!((in_chile.id, in_chile.criteria.len()), (None, 8));
    }
);
