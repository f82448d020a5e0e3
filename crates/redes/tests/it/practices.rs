//! Good practices (issue 12, items 1 and 2) through their pages and API:
//! documented by a teacher of a member school, systematized, blocked on
//! what each stage lacks, sent to review by the coordination, published by
//! the regional authority; read outside the network only once published;
//! bad input named by field with nothing saved; who may do each step.

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant, TestApp};

mod public;
mod replications;
mod reviews;
mod search;
use serde_json::json;

/// A network of Valparaíso with two member schools and one outside it:
/// `(network, member, other_member, outsider)`.
pub async fn world(app: &TestApp) -> (i64, i64, i64, i64) {
    let network = app.network("Red Liga Aprende", "Valparaíso").await;
    let member = app
        .school(
            "cl",
            "2001",
            "Escuela Valparaíso",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let other = app
        .school(
            "cl",
            "2002",
            "Escuela Playa Ancha",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let outsider = app
        .school("cl", "2003", "Escuela Talca", "Maule", "Talca")
        .await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    for school in [member, other] {
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(school),
            Some("2020-03-01"),
        )
        .await
        .unwrap();
    }
    (network, member, other, outsider)
}

/// The form of a practice with its first part (identified).
fn identified<'a>(network: &'a str, school: &'a str, author: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("network_id", network),
        ("title", "Acompañamiento al aula entre pares"),
        ("stage", "in_progress"),
        ("school_ids", school),
        ("author_ids", author),
        ("level", "Básica"),
        ("area", "Lenguaje"),
    ]
}

fn complete<'a>(network: &'a str, school: &'a str, author: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = identified(network, school, author);
    form.extend([
        ("context", "Escuelas rurales con cursos combinados."),
        ("problem", "Los docentes no observan clases de otros."),
        ("objective", "Instalar la observación entre pares."),
        (
            "steps",
            "- Pauta común\n- Visitas mensuales\n- Retroalimentación",
        ),
        (
            "results",
            "El 80 % de los docentes fue observado dos veces.",
        ),
        ("learnings", "La pauta común ordena la conversación."),
        ("plan_link", "Acción 3 del PME: acompañamiento docente."),
        ("tags", "acompañamiento, observación de aula"),
    ]);
    form
}

both_databases!(
    a_practice_goes_from_identified_to_published,
    |app: common::TestApp| async move {
        let (network, member, _, outsider) = world(&app).await;
        let teacher_id = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let mut teacher = app.client();
        teacher.login("docente", common::PASSWORD).await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let mut seremi = app
            .signed_in(
                "seremi",
                &[grant("regional_authority", "region", "Valparaíso")],
            )
            .await;
        let mut stranger = app
            .signed_in("lejano", &[school_grant("director", outsider)])
            .await;
        let (n, s, a) = (
            network.to_string(),
            member.to_string(),
            teacher_id.to_string(),
        );

        // The form offers the network's schools and people.
        let form = teacher.get("/practicas/nueva").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("Escuela Playa Ancha") && !form.body.contains("Escuela Talca"));
        let created = teacher
            .post_form("/practicas", &identified(&n, &s, &a))
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = app.count("SELECT MAX(id) FROM practices").await;
        assert_eq!(
            created.location.as_deref(),
            Some(format!("/practicas/{id}").as_str())
        );
        let page = teacher.get(&format!("/practicas/{id}")).await;
        assert!(page.body.contains("Identificada") && page.body.contains("Escuela Valparaíso"));
        // What documenting it lacks is listed before anyone tries.
        assert!(
            page.body.contains("el problema o necesidad"),
            "{}",
            page.body
        );

        // Outside the network it does not show, on the page or in the list.
        assert_eq!(
            stranger.get(&format!("/practicas/{id}")).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(!stranger
            .get("/practicas")
            .await
            .body
            .contains("Acompañamiento al aula"));
        let listed = coordinator.get("/practicas").await.body;
        assert!(listed.contains("Acompañamiento al aula"));
        // One practice is counted in the singular.
        assert!(listed.contains("<p>1 práctica</p>"), "{listed}");

        // Moving on without what the stage needs is refused with the list.
        let refused = teacher
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "documented")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("el contexto") && refused.body.contains("lo que se hizo"));
        assert_eq!(
            app.text(&format!("SELECT status FROM practices WHERE id = {id}"))
                .await,
            "identified"
        );

        let edited = teacher
            .post_form(&format!("/practicas/{id}/editar"), &complete(&n, &s, &a))
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        for to in ["documented", "systematized"] {
            let moved = teacher
                .post_form(
                    &format!("/practicas/{id}/estado"),
                    &[("to", to), ("comment", "Listo")],
                )
                .await;
            assert_eq!(moved.status, StatusCode::SEE_OTHER, "{to}: {}", moved.body);
        }
        // Sending to review is the coordination's step, and needs evidence.
        let not_theirs = teacher
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[("to", "under_review")],
            )
            .await;
        assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
        let no_evidence = coordinator
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[("to", "under_review")],
            )
            .await;
        assert_eq!(no_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_evidence.body.contains("evidencia adjunta"),
            "{}",
            no_evidence.body
        );
        let uploaded = teacher
            .post_file(
                &format!("/practicas/{id}/archivos"),
                "file",
                "pauta.pdf",
                b"%PDF-1.4 pauta",
            )
            .await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
        let file = app.count("SELECT MAX(id) FROM practice_attachments").await;
        let sent = coordinator
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[("to", "under_review")],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        // Under review, the record no longer changes.
        let frozen = teacher
            .post_form(&format!("/practicas/{id}/editar"), &complete(&n, &s, &a))
            .await;
        assert_eq!(frozen.status, StatusCode::CONFLICT);

        // The coordinator does not publish; the regional authority does,
        // after sending it back once with a comment.
        let coordinator_publishes = coordinator
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "published")])
            .await;
        assert_eq!(coordinator_publishes.status, StatusCode::FORBIDDEN);
        let back_silently = seremi
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[("to", "systematized")],
            )
            .await;
        assert_eq!(back_silently.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(back_silently.body.contains("Diga qué falta"));
        let back = seremi
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[
                    ("to", "systematized"),
                    ("comment", "Agregue la pauta aplicada."),
                ],
            )
            .await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        coordinator
            .post_form(
                &format!("/practicas/{id}/estado"),
                &[("to", "under_review")],
            )
            .await;
        // Publication waits for the two peer reviews of seed 002's rubric.
        let early = seremi
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "published")])
            .await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            early
                .body
                .contains("2 revisiones de pares terminadas (tiene 0)"),
            "{}",
            early.body
        );
        // An author is never a reviewer; the coordination does not assign.
        let author = seremi
            .post_form(
                &format!("/practicas/{id}/revisiones"),
                &[("reviewer_id", a.as_str())],
            )
            .await;
        assert_eq!(author.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            author.body.contains("nadie revisa su propia práctica"),
            "{}",
            author.body
        );
        let stranger_id = app
            .count("SELECT id FROM people WHERE username = 'lejano'")
            .await;
        let coordinator_id = app
            .count("SELECT id FROM people WHERE username = 'coord'")
            .await;
        let not_theirs = coordinator
            .post_form(
                &format!("/practicas/{id}/revisiones"),
                &[("reviewer_id", &stranger_id.to_string())],
            )
            .await;
        assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
        for reviewer in [stranger_id, coordinator_id] {
            let assigned = seremi
                .post_form(
                    &format!("/practicas/{id}/revisiones"),
                    &[("reviewer_id", &reviewer.to_string())],
                )
                .await;
            assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
        }
        let first = app
            .count(&format!(
                "SELECT MIN(id) FROM practice_reviews WHERE practice_id = {id}"
            ))
            .await;
        let second = first + 1;
        // The reviewer from another region reads the practice; others do not write their review.
        assert_eq!(
            stranger.get(&format!("/practicas/{id}")).await.status,
            StatusCode::OK
        );
        let form = stranger
            .get(&format!("/practicas/{id}/revisiones/{first}"))
            .await;
        assert!(
            form.body.contains("Pertinente") && form.body.contains("Sirve de referencia"),
            "{}",
            form.body
        );
        assert_eq!(
            teacher
                .get(&format!("/practicas/{id}/revisiones/{first}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut scores: Vec<(String, String)> = (1..=8)
            .map(|n| (format!("score_{n}"), "4".to_string()))
            .collect();
        scores[2].1 = "7".into();
        scores.push(("comment".into(), "Sólida y bien documentada.".into()));
        let pairs = |v: &Vec<(String, String)>| {
            v.iter()
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect::<Vec<_>>()
        };
        let bad = pairs(&scores);
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = stranger
            .post_form(&format!("/practicas/{id}/revisiones/{first}"), &bad)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("El nivel va de 1 a 4 (recibió 7)"),
            "{}",
            refused.body
        );
        scores[2].1 = "3".into();
        let good = pairs(&scores);
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sent = stranger
            .post_form(&format!("/practicas/{id}/revisiones/{first}"), &good)
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let one = seremi
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "published")])
            .await;
        assert!(one.body.contains("(tiene 1)"), "{}", one.body);
        let low: Vec<(&str, &str)> = (1..=8)
            .map(|n| {
                (
                    [
                        "score_1", "score_2", "score_3", "score_4", "score_5", "score_6",
                        "score_7", "score_8",
                    ][n - 1],
                    "2",
                )
            })
            .chain([("comment", "Faltan resultados.")])
            .collect();
        let sent = coordinator
            .post_form(&format!("/practicas/{id}/revisiones/{second}"), &low)
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        // The combined score is the mean of the reviews (3.875 and 2).
        let page = teacher.get(&format!("/practicas/{id}")).await.body;
        assert!(
            page.contains("Puntaje combinado: <strong>2,9</strong>"),
            "{page}"
        );
        let replied = teacher
            .post_form(
                &format!("/practicas/{id}/revisiones/{second}/respuesta"),
                &[("reply", "Agregamos las cifras.")],
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
        let not_author = coordinator
            .post_form(
                &format!("/practicas/{id}/revisiones/{second}/respuesta"),
                &[("reply", "x")],
            )
            .await;
        assert_eq!(not_author.status, StatusCode::FORBIDDEN);
        assert!(teacher
            .get(&format!("/practicas/{id}"))
            .await
            .body
            .contains("Agregamos las cifras."));
        let published = seremi
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "published")])
            .await;
        assert_eq!(
            published.status,
            StatusCode::SEE_OTHER,
            "{}",
            published.body
        );

        // Published: read and listed outside its network, evidence too.
        let outside = stranger.get(&format!("/practicas/{id}")).await;
        assert_eq!(outside.status, StatusCode::OK);
        assert!(outside.body.contains("Publicada"));
        assert!(stranger
            .get("/practicas?publicadas=1")
            .await
            .body
            .contains("Acompañamiento al aula"));
        let download = stranger
            .get(&format!("/practicas/{id}/archivos/{file}"))
            .await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body, "%PDF-1.4 pauta");
        // The history names every move, who and the comment.
        let history = teacher.get(&format!("/practicas/{id}")).await.body;
        for line in [
            "Identificada → Documentada",
            "Sistematizada → En revisión",
            "En revisión → Sistematizada · Persona seremi: Agregue la pauta aplicada.",
            "En revisión → Publicada · Persona seremi",
        ] {
            assert!(history.contains(line), "{line}: {history}");
        }
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM practice_transitions WHERE practice_id = {id}"
            ))
            .await,
            6
        );
    }
);

both_databases!(
    bad_input_is_named_by_field_and_nothing_is_saved,
    |app: common::TestApp| async move {
        let (network, member, _, outsider) = world(&app).await;
        let teacher_id = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let mut teacher = app.client();
        teacher.login("docente", common::PASSWORD).await;
        let (n, a) = (network.to_string(), teacher_id.to_string());
        let long = "x".repeat(5_001);
        let bad = teacher
            .post_form(
                "/practicas",
                &[
                    ("network_id", n.as_str()),
                    ("title", " "),
                    ("stage", "pronto"),
                    ("context", &long),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Escriba el título de la práctica",
            "Elija la etapa",
            "No puede superar 5000 caracteres",
            "Elija al menos una escuela",
            "Elija al menos un autor",
        ] {
            assert!(bad.body.contains(message), "{message}: {}", bad.body);
        }
        let outside_school = outsider.to_string();
        let foreign = teacher
            .post_form("/practicas", &identified(&n, &outside_school, &a))
            .await;
        assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(foreign.body.contains("Elija escuelas de la red"));
        assert_eq!(app.count("SELECT COUNT(*) FROM practices").await, 0);

        // A director of a school outside the network documents nothing there.
        let mut stranger = app
            .signed_in("lejano", &[school_grant("director", outsider)])
            .await;
        let s = member.to_string();
        let denied = stranger
            .post_form("/practicas", &identified(&n, &s, &a))
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM practices").await, 0);

        // Files: type by content, size, sanitised names.
        teacher
            .post_form("/practicas", &identified(&n, &s, &a))
            .await;
        let id = app.count("SELECT MAX(id) FROM practices").await;
        let fake = teacher
            .post_file(
                &format!("/practicas/{id}/archivos"),
                "file",
                "informe.pdf",
                b"MZ\x90\x00 no",
            )
            .await;
        assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            fake.body.contains("Tipo de archivo no permitido"),
            "{}",
            fake.body
        );
        let big = vec![b'a'; 1_950 * 1024];
        let too_big = teacher
            .post_file(
                &format!("/practicas/{id}/archivos"),
                "file",
                "notas.txt",
                &big,
            )
            .await;
        assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_big.body.contains("el máximo es"), "{}", too_big.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_attachments").await,
            0
        );
        let ok = teacher
            .post_file(
                &format!("/practicas/{id}/archivos"),
                "file",
                "../../Informe <final>.txt",
                b"Resultados",
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.text("SELECT file_name FROM practice_attachments").await,
            "Informe _final_.txt"
        );
        // A step that does not follow is a conflict; an unknown one is named.
        let skip = teacher
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "published")])
            .await;
        assert_eq!(skip.status, StatusCode::CONFLICT);
        let unknown = teacher
            .post_form(&format!("/practicas/{id}/estado"), &[("to", "famosa")])
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("Elija el paso siguiente"));
        let filter = teacher.get("/practicas?estado=famosa").await;
        assert_eq!(filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

both_databases!(
    the_api_documents_moves_and_hides_unpublished_practices,
    |app: common::TestApp| async move {
        let (network, member, other, outsider) = world(&app).await;
        let teacher_id = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        app.person("lejano", &[school_grant("director", outsider)])
            .await;
        let token = app.token("docente").await;
        let stranger = app.token("lejano").await;
        let mut client = app.client();
        let body = json!({
            "network_id": network.to_string(), "title": "Talleres con familias", "stage": "starting",
            "school_ids": [member, other], "author_ids": [teacher_id], "context": "Comunas rurales.",
        });
        let created = client
            .json("POST", "/api/v1/practices", Some(body), Some(&token))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let created = created.json();
        let id = created["practice"]["id"].as_i64().unwrap();
        assert_eq!(created["practice"]["status"], "identified");
        assert_eq!(created["schools"].as_array().unwrap().len(), 2);

        let lacking = client
            .json(
                "POST",
                &format!("/api/v1/practices/{id}/transitions"),
                Some(json!({"to": "documented"})),
                Some(&token),
            )
            .await;
        assert_eq!(lacking.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(lacking.json()["fields"]["to"]
            .as_str()
            .unwrap()
            .contains("el objetivo"));

        let hidden = client
            .json(
                "GET",
                &format!("/api/v1/practices/{id}"),
                None,
                Some(&stranger),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::FORBIDDEN);
        let list = client
            .json("GET", "/api/v1/practices", None, Some(&stranger))
            .await;
        assert_eq!(list.json()["total"], 0);
        let mine = client
            .json(
                "GET",
                "/api/v1/practices?etapa=starting",
                None,
                Some(&token),
            )
            .await;
        assert_eq!(mine.json()["total"], 1);

        let mut edit = created["practice"].clone();
        edit["title"] = json!("");
        edit["school_ids"] = json!([member]);
        edit["author_ids"] = json!([teacher_id]);
        edit["network_id"] = json!("");
        let bad = client
            .json(
                "PUT",
                &format!("/api/v1/practices/{id}"),
                Some(edit),
                Some(&token),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.json()["fields"]["title"].is_string());
        assert_eq!(
            app.text(&format!("SELECT title FROM practices WHERE id = {id}"))
                .await,
            "Talleres con familias"
        );
    }
);
