//! The full-text search of practices (issue 12 item 5) through its page and
//! its API: Spanish words found whatever their accents and number, the text
//! of a DOCX of evidence found, an edit found as soon as it is committed,
//! nobody finding what they may not read, the facets' counts and filters,
//! hostile text answered like any other, and the index rebuilt from the
//! database when its directory is gone.

use crate::common;

use std::io::Write;

use axum::http::StatusCode;
use common::{network_grant, school_grant, Client, TestApp};
use redes::ids::{NetworkId, PersonId, PracticeId, SchoolId};
use redes::practices::model::{NewPractice, PracticeStatus, Stage};
use redes::practices::store;
use redes::web::urlencode;
use serde_json::{json, Value};

/// A practice of `network` at `school` with the given title, area and
/// context, moved up to `to`.
async fn practice(
    app: &TestApp,
    (network, school, author): (i64, i64, i64),
    title: &str,
    area: &str,
    context: &str,
    to: PracticeStatus,
) -> i64 {
    let net = redes::networks::store::get(&app.db, NetworkId(network))
        .await
        .unwrap();
    let new = NewPractice {
        title: title.into(),
        level: "Básica".into(),
        area: area.into(),
        context: context.into(),
        problem: "Poca observación entre docentes.".into(),
        objective: "Observar clases entre pares.".into(),
        steps: "Pauta común y visitas.".into(),
        results: "Veinte clases observadas.".into(),
        learnings: "La pauta ordena la conversación.".into(),
        pei_link: String::new(),
        plan_link: "Acción 2 del PME".into(),
        policy_link: String::new(),
        tags: "acompañamiento".into(),
        stage: Stage::Finished,
        school_ids: vec![SchoolId(school)],
        author_ids: vec![PersonId(author)],
    };
    let mut tx = app.db.write().await.unwrap();
    let id = store::insert(&mut tx, &net, &new, PersonId(author))
        .await
        .unwrap();
    for step in PracticeStatus::ALL.iter().skip(1).take_while(|s| **s <= to) {
        let current = store::load(&mut tx, id).await.unwrap();
        store::move_to(&mut tx, &current, *step, "", PersonId(author))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    id.0
}

/// The API's answer to a search (`query` already encoded), as JSON.
async fn api(client: &mut Client, query: &str) -> Value {
    let response = client
        .json(
            "GET",
            &format!("/api/v1/practices/search?{query}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.body
    );
    response.json()
}

/// The ids found for a text.
async fn found(client: &mut Client, text: &str) -> Vec<i64> {
    let body = api(client, &format!("q={}", urlencode(text))).await;
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// A DOCX as Word writes it, reduced to the parts that matter.
fn docx(text: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

both_databases!(
    accents_plurals_evidence_and_edits_are_found,
    |app: TestApp| async move {
        let (network, member, _, _) = crate::practices::world(&app).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let published = practice(
            &app,
            (network, member, author),
            "Evaluación formativa en el aula",
            "Lenguaje",
            "Escuelas de cerro con cursos combinados.",
            PracticeStatus::Published,
        )
        .await;
        let mut anonymous = app.client();
        // Without its accent, and the plural of a singular of the record.
        assert_eq!(found(&mut anonymous, "evaluacion").await, vec![published]);
        assert_eq!(found(&mut anonymous, "EVALUACIÓN").await, vec![published]);
        assert_eq!(
            found(&mut anonymous, "acompañamientos").await,
            vec![published]
        );
        assert_eq!(found(&mut anonymous, "escuela").await, vec![published]);
        assert!(found(&mut anonymous, "inexistente").await.is_empty());

        // A word only in a DOCX of evidence, uploaded through the page.
        let draft = practice(
            &app,
            (network, member, author),
            "Tutorías entre pares",
            "Matemática",
            "Escuelas rurales.",
            PracticeStatus::Identified,
        )
        .await;
        let mut teacher = app.client();
        teacher.login("docente", common::PASSWORD).await;
        assert!(found(&mut teacher, "cuadernillos").await.is_empty());
        let uploaded = teacher
            .post_file(
                &format!("/practicas/{draft}/archivos"),
                "file",
                "guia.docx",
                &docx("Cada tutor usa un cuadernillo de fracciones."),
            )
            .await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
        let body = api(&mut teacher, "q=cuadernillos").await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["hits"][0]["id"], draft);
        assert!(
            body["hits"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>cuadernillo</mark>"),
            "{body}"
        );
        // Unpublished: the people of its network find it, nobody else.
        assert!(found(&mut anonymous, "cuadernillo").await.is_empty());

        // An edit is found as soon as it is committed, the old words no more.
        let edited = teacher
            .json(
                "PUT",
                &format!("/api/v1/practices/{draft}"),
                Some(json!({
                    "network_id": network.to_string(), "title": "Tutorías de lectura en voz alta",
                    "level": "Básica", "area": "Lenguaje", "stage": "in_progress",
                    "school_ids": [member], "author_ids": [author],
                })),
                None,
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        assert_eq!(found(&mut teacher, "lectura voz alta").await, vec![draft]);
        assert!(found(&mut teacher, "rurales").await.is_empty());

        // Removing the file removes its words.
        let file: i64 = app
            .count(&format!(
                "SELECT id FROM practice_attachments WHERE practice_id = {draft}"
            ))
            .await;
        let removed = teacher
            .post_form(&format!("/practicas/{draft}/archivos/{file}/eliminar"), &[])
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert!(found(&mut teacher, "cuadernillo").await.is_empty());

        // Every write queued its practice in its transaction; each search
        // emptied the queue before answering.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_search_queue")
                .await,
            0
        );
        let refused = teacher
            .json(
                "PUT",
                &format!("/api/v1/practices/{draft}"),
                Some(
                    json!({"network_id": network.to_string(), "title": "", "stage": "in_progress"}),
                ),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_search_queue")
                .await,
            0
        );

        // The page: the form, the result with its marked title and snippet.
        let page = anonymous.get("/practicas/buscar?q=evaluacion").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains(r#"name="q" type="search" value="evaluacion" maxlength="200""#),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<mark>Evaluación</mark> formativa en el aula"),
            "{}",
            page.body
        );
        assert!(page.body.contains("1 práctica encontrada"), "{}", page.body);
        // Signed out, a result opens the practice's public, printable page.
        assert!(page
            .body
            .contains(&format!(r#"href="/buenas-practicas/{published}""#)));
    }
);

both_databases!(
    nobody_finds_what_they_may_not_read,
    |app: TestApp| async move {
        let (network, member, _, talca) = crate::practices::world(&app).await;
        let maule = app.network("Red Maule Sur", "Maule").await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            NetworkId(maule),
            SchoolId(talca),
            Some("2020-03-01"),
        )
        .await
        .unwrap();
        drop(conn);
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let hidden = practice(
            &app,
            (network, member, author),
            "Bitácora de convivencia escolar",
            "Convivencia",
            "Escuelas de Valparaíso.",
            PracticeStatus::Systematized,
        )
        .await;
        let mut own = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let mut foreign = app
            .signed_in(
                "coord.maule",
                &[network_grant("network_coordinator", maule)],
            )
            .await;
        let mut anonymous = app.client();
        assert_eq!(found(&mut own, "bitacoras").await, vec![hidden]);
        assert!(found(&mut foreign, "bitacoras").await.is_empty());
        assert!(found(&mut anonymous, "bitacoras").await.is_empty());
        // Nor by browsing without words, nor through a facet's counts.
        let all = api(&mut foreign, "q=").await;
        assert_eq!(all["total"], 0, "{all}");
        assert!(!all.to_string().contains("Convivencia"), "{all}");
        let page = anonymous.get("/practicas/buscar?q=bit%C3%A1cora").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Bitácora de convivencia"));
        assert!(
            page.body
                .contains("Ninguna práctica que usted pueda leer coincide"),
            "{}",
            page.body
        );

        // Once published, everyone finds it.
        let mut tx = app.db.write().await.unwrap();
        for step in [PracticeStatus::UnderReview, PracticeStatus::Published] {
            let current = store::load(&mut tx, PracticeId(hidden)).await.unwrap();
            store::move_to(&mut tx, &current, step, "", PersonId(author))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(found(&mut foreign, "bitacoras").await, vec![hidden]);
        assert_eq!(found(&mut anonymous, "bitacora").await, vec![hidden]);
    }
);

both_databases!(facets_count_and_filter, |app: TestApp| async move {
    let (network, member, _, _) = crate::practices::world(&app).await;
    let author = app
        .person("docente", &[school_grant("teacher", member)])
        .await;
    let who = (network, member, author);
    for (title, area) in [
        ("Lectura compartida en primer ciclo", "Lenguaje"),
        ("Lectura de problemas matemáticos", "Matemática"),
        ("Club de lectura con familias", "Lenguaje"),
    ] {
        practice(
            &app,
            who,
            title,
            area,
            "Escuelas de cerro.",
            PracticeStatus::Published,
        )
        .await;
    }
    let mut anonymous = app.client();
    let body = api(&mut anonymous, "q=lectura").await;
    assert_eq!(body["total"], 3);
    let areas = &body["facets"]["area"];
    assert_eq!(
        areas[0],
        json!({"value": "Lenguaje", "label": "Lenguaje", "count": 2})
    );
    assert_eq!(
        areas[1],
        json!({"value": "Matemática", "label": "Matemática", "count": 1})
    );
    assert_eq!(
        body["facets"]["country"][0],
        json!({"value": "cl", "label": "Chile", "count": 3})
    );
    assert_eq!(body["facets"]["stage"][0]["label"], "Terminada");
    assert_eq!(
        body["facets"]["score"][0],
        json!({"value": "sin puntaje", "label": "sin puntaje", "count": 3})
    );
    assert_eq!(body["hits"][0]["facets"]["region"], "Valparaíso");

    let math = api(&mut anonymous, "q=lectura&area=Matem%C3%A1tica").await;
    assert_eq!(math["total"], 1);
    assert_eq!(math["hits"][0]["title"], "Lectura de problemas matemáticos");
    assert_eq!(
        api(
            &mut anonymous,
            "q=lectura&area=Lenguaje&stage=finished&country=cl"
        )
        .await["total"],
        2
    );
    assert_eq!(
        api(&mut anonymous, "q=lectura&stage=starting").await["total"],
        0
    );

    // The page: each value a link that narrows, the chosen one a link that removes it.
    let page = anonymous.get("/practicas/buscar?q=lectura").await.body;
    assert!(page.contains("3 prácticas encontradas"), "{page}");
    assert!(
        page.contains(
            r#"<a href="/practicas/buscar?q=lectura&amp;area=Lenguaje">Lenguaje</a> (2)"#
        ),
        "{page}"
    );
    let narrowed = anonymous
        .get("/practicas/buscar?q=lectura&area=Lenguaje")
        .await
        .body;
    assert!(narrowed.contains("2 prácticas encontradas"), "{narrowed}");
    assert!(
        narrowed.contains(r#"<a href="/practicas/buscar?q=lectura">Área: Lenguaje"#),
        "{narrowed}"
    );
    assert!(narrowed.contains(r#"<input type="hidden" name="area" value="Lenguaje">"#));

    // Filters that are not one are named.
    for (query, field) in [
        ("country=pe", "country"),
        ("stage=x", "stage"),
        ("score=5", "score"),
    ] {
        let r = anonymous
            .json(
                "GET",
                &format!("/api/v1/practices/search?{query}"),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(r.json()["fields"][field].is_string(), "{query}: {}", r.body);
    }
    let long = format!("/api/v1/practices/search?region={}", "a".repeat(121));
    assert_eq!(
        anonymous.json("GET", &long, None, None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
});

both_databases!(
    hostile_text_is_searched_like_any_other,
    |app: TestApp| async move {
        let (network, member, _, _) = crate::practices::world(&app).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let id = practice(
            &app,
            (network, member, author),
            "<script>alert(1)</script> Evaluación & más",
            "Lenguaje",
            "Escuelas de cerro.",
            PracticeStatus::Published,
        )
        .await;
        let mut anonymous = app.client();
        let long = "evaluación ".repeat(1_000);
        let emoji = "📚🎉 evaluación 👩‍🏫";
        for text in [
            "\"evaluación",
            "\"evaluación\" \"",
            "((evaluación",
            "evaluación)))",
            "title:evaluación OR body:[a TO z] AND NOT -",
            "eval* ~2 ^3 {x} \\ / : !",
            emoji,
            "'; DROP TABLE practices; --",
            "<mark>",
            long.as_str(),
        ] {
            let q = urlencode(text);
            let page = anonymous.get(&format!("/practicas/buscar?q={q}")).await;
            assert_eq!(page.status, StatusCode::OK, "{text}");
            let json = anonymous
                .json(
                    "GET",
                    &format!("/api/v1/practices/search?q={q}"),
                    None,
                    None,
                )
                .await;
            assert_eq!(json.status, StatusCode::OK, "{text}: {}", json.body);
            assert!(json.json()["q"].as_str().unwrap().chars().count() <= 200);
        }
        assert_eq!(found(&mut anonymous, emoji).await, vec![id]);
        assert_eq!(found(&mut anonymous, &long).await, vec![id]);
        // The text as read is shown back, cut at 200 characters.
        let page = anonymous
            .get(&format!("/practicas/buscar?q={}", urlencode(&long)))
            .await
            .body;
        let shown: String = long.chars().take(200).collect();
        assert!(
            page.contains(&format!(r#"value="{shown}""#)),
            "the form keeps 200 characters"
        );
        // The snippets are HTML: the text escaped, only the marks as tags.
        let body = api(&mut anonymous, "q=evaluacion").await;
        let title = body["hits"][0]["title_html"].as_str().unwrap();
        assert_eq!(
            title,
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Evaluación</mark> &amp; más"
        );
        let page = anonymous.get("/practicas/buscar?q=evaluacion").await.body;
        assert!(!page.contains("<script>alert(1)"), "{page}");
    }
);

both_databases!(
    the_index_is_rebuilt_when_its_directory_is_gone,
    |app: TestApp| async move {
        let (network, member, _, _) = crate::practices::world(&app).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let mut ids = Vec::new();
        for title in ["Huerto escolar", "Huertos familiares"] {
            ids.push(
                practice(
                    &app,
                    (network, member, author),
                    title,
                    "Ciencias",
                    "Escuelas de cerro.",
                    PracticeStatus::Published,
                )
                .await,
            );
        }
        let mut anonymous = app.client();
        assert_eq!(found(&mut anonymous, "huerto").await.len(), 2);
        let dir = app.state.config.search_dir.clone();
        assert!(dir.join("meta.json").exists(), "{dir:?}");
        std::fs::remove_dir_all(&dir).unwrap();
        // A new start of the application over the same database.
        let restarted = app.restarted();
        redes::practices::search::open(&restarted.state)
            .await
            .unwrap();
        assert!(dir.join("meta.json").exists(), "rebuilt in {dir:?}");
        let mut anonymous = restarted.client();
        let mut again = found(&mut anonymous, "huertos").await;
        again.sort();
        assert_eq!(again, ids);
    }
);

both_databases!(
    a_sent_review_sets_the_score_band,
    |app: TestApp| async move {
        let (network, member, _, _) = crate::practices::world(&app).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let id = practice(
            &app,
            (network, member, author),
            "Lectura en voz alta",
            "Lenguaje",
            "Escuelas de cerro.",
            PracticeStatus::UnderReview,
        )
        .await;
        let reviewer = app.person("revisora", &[]).await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        let review = store::reviews::insert_assignment(
            &mut conn,
            PracticeId(id),
            PersonId(reviewer),
            PersonId(author),
        )
        .await
        .unwrap();
        drop(conn);
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let before = api(&mut coordinator, "q=lectura").await;
        assert_eq!(before["hits"][0]["facets"]["score"], "sin puntaje");

        let token = app.token("revisora").await;
        let scores: Vec<Value> = (1..=8)
            .map(|n| json!({"criterion": n, "score": 2, "comment": ""}))
            .collect();
        let sent = app
            .client()
            .json(
                "PUT",
                &format!("/api/v1/practices/{id}/reviews/{}", review.0),
                Some(json!({"comment": "Falta evidencia de resultados.", "scores": scores})),
                Some(&token),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let after = api(&mut coordinator, "q=lectura").await;
        assert_eq!(after["hits"][0]["facets"]["score"], "2–3", "{after}");
        assert_eq!(
            after["facets"]["score"][0],
            json!({"value": "2–3", "label": "2–3", "count": 1})
        );
        assert_eq!(
            api(&mut coordinator, "q=lectura&score=2%E2%80%933").await["total"],
            1
        );
        assert_eq!(
            api(&mut coordinator, "q=lectura&score=3%E2%80%934").await["total"],
            0
        );
    }
);
