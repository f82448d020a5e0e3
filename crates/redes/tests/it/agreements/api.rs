//! Agreements through the JSON API: listed by status, recorded at a
//! meeting, reviewed at the next ones, kept; the history; bad input refused
//! with a message on the field and nothing saved; who may do what (the same
//! store functions as the pages, so the same rules).

use axum::http::StatusCode;
use serde_json::json;

use super::world;
use crate::common::{grant, network_grant, school_grant, TestApp};

both_databases!(
    the_api_records_reviews_and_keeps_an_agreement,
    |app: TestApp| async move {
        let (network, member, _, _, [march, april, may]) = world(&app).await;
        app.person("coord", &[network_grant("network_coordinator", network)])
            .await;
        app.person("directora", &[school_grant("director", member)])
            .await;
        app.person(
            "seremi",
            &[grant("regional_authority", "region", "Valparaíso")],
        )
        .await;
        let coord = app.token("coord").await;
        let director = app.token("directora").await;
        let seremi = app.token("seremi").await;
        let mut c = app.client();

        let created = c
            .json(
                "POST",
                &format!("/api/v1/meetings/{march}/agreements"),
                Some(json!({"body": "Compartir la pauta de observación de aula",
                    "owner": format!("school:{member}"), "due_on": "2026-03-31"})),
                Some(&coord),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let body = created.json();
        let id = body["agreement"]["id"].as_i64().unwrap();
        assert_eq!(body["agreement"]["status"], "open");
        assert_eq!(body["agreement"]["meeting_id"], march);
        assert_eq!(body["agreement"]["owner_school_id"], member);
        assert_eq!(body["agreement"]["owner_name"], "Escuela Valparaíso");
        assert_eq!(body["reviews"].as_array().unwrap().len(), 0);

        // Reviewed twice while still open: carried over to April and May.
        for (meeting, note) in [
            (april, "Se aplicó en dos cursos."),
            (may, "Falta el segundo ciclo."),
        ] {
            let reviewed = c
                .json(
                    "POST",
                    &format!("/api/v1/agreements/{id}/reviews"),
                    Some(json!({"meeting_id": meeting.to_string(), "note": note,
                        "status_after": "in_progress"})),
                    Some(&coord),
                )
                .await;
            assert_eq!(reviewed.status, StatusCode::OK, "{}", reviewed.body);
        }
        // The list by status: active (open or in progress), and one status.
        let list =
            |status: &'static str| format!("/api/v1/networks/{network}/agreements?status={status}");
        let active = c.json("GET", &list("active"), None, Some(&seremi)).await;
        assert_eq!(active.status, StatusCode::OK, "{}", active.body);
        assert_eq!(active.json().as_array().unwrap().len(), 1);
        let kept = c.json("GET", &list("kept"), None, Some(&seremi)).await;
        assert_eq!(kept.json().as_array().unwrap().len(), 0);
        let unknown = c.json("GET", &list("cumplido"), None, Some(&seremi)).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.json()["fields"]["status"].is_string());
        let all = c
            .json(
                "GET",
                &format!("/api/v1/networks/{network}/agreements"),
                None,
                Some(&seremi),
            )
            .await;
        assert_eq!(
            all.json()[0]["body"],
            "Compartir la pauta de observación de aula"
        );

        // The owner school's director marks it kept, between meetings.
        let done = c
            .json(
                "POST",
                &format!("/api/v1/agreements/{id}/status"),
                Some(json!({"status": "kept"})),
                Some(&director),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.json()["agreement"]["status"], "kept");
        assert_eq!(done.json()["late"], false);

        // The history: both reviews in meeting order, every change of status.
        let detail = c
            .json(
                "GET",
                &format!("/api/v1/agreements/{id}"),
                None,
                Some(&seremi),
            )
            .await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        let detail = detail.json();
        let reviews = detail["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews[0]["meeting_id"], april);
        assert_eq!(reviews[1]["note"], "Falta el segundo ciclo.");
        let changes: Vec<(String, String)> = detail["status_changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["status_before"].as_str().unwrap().to_string(),
                    c["status_after"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("open".to_string(), "in_progress".to_string()),
                ("in_progress".to_string(), "kept".to_string())
            ]
        );
        // Kept: off the active list, on the kept one; not reviewed again.
        let active = c.json("GET", &list("active"), None, Some(&coord)).await;
        assert_eq!(active.json().as_array().unwrap().len(), 0);
        let kept = c.json("GET", &list("kept"), None, Some(&coord)).await;
        assert_eq!(kept.json().as_array().unwrap().len(), 1);
        let again = c
            .json(
                "POST",
                &format!("/api/v1/agreements/{id}/reviews"),
                Some(json!({"meeting_id": may.to_string(), "note": "Otra vez", "status_after": "kept"})),
                Some(&coord),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
    }
);

both_databases!(
    the_api_refuses_bad_agreements_on_the_field_and_saves_nothing,
    |app: TestApp| async move {
        let (network, member, _, outsider, [march, april, _]) = world(&app).await;
        app.person("coord", &[network_grant("network_coordinator", network)])
            .await;
        let coord = app.token("coord").await;
        let mut c = app.client();
        let url = format!("/api/v1/meetings/{march}/agreements");
        let school = format!("school:{member}");
        let long = "a".repeat(10_001);
        let cases = [
            (
                json!({"body": " ", "owner": school, "due_on": "2026-04-01"}),
                "body",
                "Escriba el acuerdo",
            ),
            (
                json!({"body": long, "owner": school, "due_on": "2026-04-01"}),
                "body",
                "10000",
            ),
            (
                json!({"body": "Visitar aulas", "owner": school, "due_on": "2026-03-01"}),
                "due_on",
                "anterior a la reunión (2026-03-03)",
            ),
            (
                json!({"body": "Visitar aulas", "owner": school, "due_on": "marzo"}),
                "due_on",
                "AAAA-MM-DD",
            ),
            (
                json!({"body": "Visitar aulas", "owner": format!("school:{outsider}"), "due_on": "2026-04-01"}),
                "owner",
                "La escuela no integra esta red",
            ),
            (
                json!({"body": "Visitar aulas", "owner": "person:999999", "due_on": "2026-04-01"}),
                "owner",
                "La persona no participa en esta red",
            ),
            (
                json!({"body": "Visitar aulas", "owner": "club:3", "due_on": "2026-04-01"}),
                "owner",
                "Elija quién se hace cargo",
            ),
        ];
        for (body, field, message) in cases {
            let refused = c.json("POST", &url, Some(body), Some(&coord)).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                refused.body
            );
            let said = refused.json()["fields"][field]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(
                said.contains(message),
                "{field}: {message} not in {}",
                refused.body
            );
        }
        // Wrong JSON types are a 400, not a 500.
        let wrong = c
            .json("POST", &url, Some(json!({"body": 3})), Some(&coord))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 0);

        // Reviews and changes of status: dropping needs a reason; a
        // meeting of another network or before the agreement is refused.
        let created = c
            .json(
                "POST",
                &url,
                Some(json!({"body": "Visitar aulas", "owner": school, "due_on": "2026-04-30"})),
                Some(&coord),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["agreement"]["id"].as_i64().unwrap();
        let other_network = app.network("Red de Talagante", "Metropolitana").await;
        let elsewhere =
            crate::agreements::meeting(&app, other_network, "Otra red", "2026-04-07").await;
        let before = crate::agreements::meeting(&app, network, "Febrero", "2026-02-03").await;
        let review = format!("/api/v1/agreements/{id}/reviews");
        for (body, field) in [
            (
                json!({"meeting_id": april.to_string(), "note": "", "status_after": "in_progress"}),
                "note",
            ),
            (
                json!({"meeting_id": april.to_string(), "note": "No hubo tiempo", "status_after": "dropped"}),
                "reason",
            ),
            (
                json!({"meeting_id": april.to_string(), "note": "Nota", "status_after": "tal vez"}),
                "status_after",
            ),
            (
                json!({"meeting_id": elsewhere.to_string(), "note": "Nota", "status_after": "in_progress"}),
                "meeting_id",
            ),
            (
                json!({"meeting_id": before.to_string(), "note": "Nota", "status_after": "in_progress"}),
                "meeting_id",
            ),
        ] {
            let refused = c.json("POST", &review, Some(body), Some(&coord)).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                refused.body
            );
            assert!(
                refused.json()["fields"][field].is_string(),
                "{field}: {}",
                refused.body
            );
        }
        let status = format!("/api/v1/agreements/{id}/status");
        for (body, field) in [
            (json!({"status": "dropped"}), "drop_reason"),
            (json!({"status": "olvidado"}), "status"),
            (
                json!({"status": "dropped", "drop_reason": "x".repeat(1_001)}),
                "drop_reason",
            ),
        ] {
            let refused = c.json("POST", &status, Some(body), Some(&coord)).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                refused.body
            );
            assert!(
                refused.json()["fields"][field].is_string(),
                "{field}: {}",
                refused.body
            );
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM agreement_reviews").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM agreement_status_changes")
                .await,
            0
        );
        assert_eq!(
            app.text(&format!("SELECT status FROM agreements WHERE id = {id}"))
                .await,
            "open"
        );
    }
);

both_databases!(
    the_api_checks_who_reads_records_and_updates_agreements,
    |app: TestApp| async move {
        let (network, member, other, outsider, [march, april, _]) = world(&app).await;
        app.person("coord", &[network_grant("network_coordinator", network)])
            .await;
        let teacher_id = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        app.person("director.otra", &[school_grant("director", other)])
            .await;
        app.person("director.fuera", &[school_grant("director", outsider)])
            .await;
        app.person(
            "seremi.maule",
            &[grant("regional_authority", "region", "Maule")],
        )
        .await;
        let coord = app.token("coord").await;
        let teacher = app.token("docente").await;
        let other_director = app.token("director.otra").await;
        let outsider_director = app.token("director.fuera").await;
        let maule = app.token("seremi.maule").await;
        let mut c = app.client();

        let record = format!("/api/v1/meetings/{march}/agreements");
        let body = json!({"body": "Preparar la clase abierta", "owner": format!("person:{teacher_id}"),
            "due_on": "2026-04-30"});
        for (token, expected) in [
            (&teacher, StatusCode::FORBIDDEN),
            (&outsider_director, StatusCode::FORBIDDEN),
            (&maule, StatusCode::FORBIDDEN),
        ] {
            let answer = c
                .json("POST", &record, Some(body.clone()), Some(token))
                .await;
            assert_eq!(answer.status, expected, "{}", answer.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 0);
        let created = c.json("POST", &record, Some(body), Some(&coord)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["agreement"]["id"].as_i64().unwrap();

        // Readers: the network's people; not a director outside it nor an
        // authority of another region; no token at all is a 401.
        let one = format!("/api/v1/agreements/{id}");
        let list = format!("/api/v1/networks/{network}/agreements");
        for (token, expected) in [
            (&teacher, StatusCode::OK),
            (&other_director, StatusCode::OK),
            (&outsider_director, StatusCode::FORBIDDEN),
            (&maule, StatusCode::FORBIDDEN),
        ] {
            assert_eq!(
                c.json("GET", &one, None, Some(token)).await.status,
                expected
            );
            assert_eq!(
                c.json("GET", &list, None, Some(token)).await.status,
                expected
            );
        }
        assert_eq!(
            c.json("GET", &one, None, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            c.json("GET", "/api/v1/agreements/999999", None, Some(&coord))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.json(
                "POST",
                "/api/v1/meetings/999999/agreements",
                Some(json!({})),
                Some(&coord)
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );

        // Reviewing: the teacher may not; another member's director may.
        let review = format!("/api/v1/agreements/{id}/reviews");
        let note = json!({"meeting_id": april.to_string(), "note": "Avanza", "status_after": "in_progress"});
        assert_eq!(
            c.json("POST", &review, Some(note.clone()), Some(&teacher))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM agreement_reviews").await, 0);
        assert_eq!(
            c.json("POST", &review, Some(note), Some(&other_director))
                .await
                .status,
            StatusCode::OK
        );
        // Its status: the owner (the teacher) may; another director not.
        let status = format!("/api/v1/agreements/{id}/status");
        assert_eq!(
            c.json(
                "POST",
                &status,
                Some(json!({"status": "kept"})),
                Some(&other_director)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.text(&format!("SELECT status FROM agreements WHERE id = {id}"))
                .await,
            "in_progress"
        );
        let kept = c
            .json(
                "POST",
                &status,
                Some(json!({"status": "kept"})),
                Some(&teacher),
            )
            .await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        // With a session cookie a write needs the CSRF header.
        let mut browser = app
            .signed_in(
                "coord.web",
                &[network_grant("network_coordinator", network)],
            )
            .await;
        let no_csrf = browser
            .json_raw("POST", &status, r#"{"status": "open"}"#, &[])
            .await;
        assert_eq!(no_csrf.status, StatusCode::BAD_REQUEST, "{}", no_csrf.body);
        let with_csrf = browser
            .json("POST", &status, Some(json!({"status": "open"})), None)
            .await;
        assert_eq!(with_csrf.status, StatusCode::OK, "{}", with_csrf.body);
    }
);
