//! Agreements through their pages: recorded at a meeting, on the agenda of
//! the next meetings while open, reviewed, kept; the history; the home
//! page's "Mis acuerdos"; bad input; who may do what.

mod api;

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant, TestApp};

/// A meeting of a network on a date, written directly (the meetings module
/// has its own tests); returns its id.
pub async fn meeting(app: &TestApp, network: i64, title: &str, held_on: &str) -> i64 {
    let creator = app.count("SELECT MIN(id) FROM people").await;
    sqlx::query_scalar(
        "INSERT INTO meetings (network_id, kind, title, held_on, starts_at, ends_at, created_by, created_at, updated_at)
         VALUES ($1, 'network_session', $2, $3, '09:00', '11:00', $4, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
         RETURNING id",
    )
    .bind(network)
    .bind(title)
    .bind(held_on)
    .bind(creator)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// A network of two member schools, one school outside it, and three
/// meetings: `(network, member, other_member, outsider, [meetings])`.
pub async fn world(app: &TestApp) -> (i64, i64, i64, i64, [i64; 3]) {
    let network = app.network("Red Liga Aprende", "Valparaíso").await;
    let member = app
        .school(
            "cl",
            "1001",
            "Escuela Valparaíso",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let other = app
        .school(
            "cl",
            "1002",
            "Escuela Playa Ancha",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let outsider = app
        .school("cl", "1003", "Escuela Quillota", "Valparaíso", "Quillota")
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
    drop(conn);
    app.person("creador", &[]).await;
    let meetings = [
        meeting(app, network, "Sesión de marzo", "2026-03-03").await,
        meeting(app, network, "Sesión de abril", "2026-04-07").await,
        meeting(app, network, "Sesión de mayo", "2026-05-05").await,
    ];
    (network, member, other, outsider, meetings)
}

both_databases!(
    an_agreement_stays_on_the_agenda_until_it_is_kept,
    |app: common::TestApp| async move {
        let (network, member, _, _, [march, april, may]) = world(&app).await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let mut director = app
            .signed_in("directora", &[school_grant("director", member)])
            .await;

        // Recorded at March's meeting, owned by the member school.
        let page = coordinator
            .get(&format!("/reuniones/{march}/acuerdos"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!("value=\"school:{member}\"")));
        let recorded = coordinator
            .post_form(
                &format!("/reuniones/{march}/acuerdos"),
                &[
                    ("body", "Compartir la pauta de observación de aula"),
                    ("owner", &format!("school:{member}")),
                    ("due_on", "2026-03-31"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        assert_eq!(
            recorded.location.as_deref(),
            Some(format!("/reuniones/{march}/acuerdos").as_str())
        );
        let id = app.count("SELECT MAX(id) FROM agreements").await;

        // On April's agenda (open, taken before), not as taken there.
        let april_page = coordinator
            .get(&format!("/reuniones/{april}/acuerdos"))
            .await;
        let open_part = april_page
            .body
            .split("Acuerdos tomados en esta reunión")
            .next()
            .unwrap();
        assert!(
            open_part.contains("Compartir la pauta"),
            "{}",
            april_page.body
        );
        assert!(open_part.contains(&format!("action=\"/acuerdos/{id}/revisiones\"")));
        // The same on the meeting's own page, in its agenda's part.
        let meeting_page = coordinator.get(&format!("/reuniones/{april}")).await;
        assert_eq!(meeting_page.status, StatusCode::OK, "{}", meeting_page.body);
        assert!(meeting_page.body.contains("id=\"acuerdos\""));
        assert!(meeting_page.body.contains("Compartir la pauta"));
        assert!(meeting_page
            .body
            .contains(&format!("action=\"/acuerdos/{id}/revisiones\"")));
        // Not on March's own list of earlier agreements.
        let march_page = coordinator
            .get(&format!("/reuniones/{march}/acuerdos"))
            .await;
        assert!(march_page
            .body
            .contains("No hay acuerdos abiertos de reuniones anteriores."));

        // Reviewed at April's meeting: carried on, in progress.
        let reviewed = coordinator
            .post_form(
                &format!("/acuerdos/{id}/revisiones"),
                &[
                    ("meeting_id", &april.to_string()),
                    ("note", "Se aplicó en dos cursos; falta el resto."),
                    ("status_after", "in_progress"),
                    ("volver", "reunion"),
                ],
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
        assert_eq!(
            reviewed.location.as_deref(),
            Some(format!("/reuniones/{april}#acuerdos").as_str())
        );
        let may_page = coordinator.get(&format!("/reuniones/{may}/acuerdos")).await;
        assert!(may_page.body.contains("Compartir la pauta"));

        // The director of the owner school sees it on the home page, late
        // (its date has passed), and marks it kept.
        let home = director.get("/").await;
        assert!(home.body.contains("Mis acuerdos"), "{}", home.body);
        assert!(home.body.contains("Compartir la pauta") && home.body.contains("Atrasado"));
        let kept = director
            .post_form(&format!("/acuerdos/{id}/estado"), &[("status", "kept")])
            .await;
        assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);

        // Closed: off May's agenda and off the home page; the history shows
        // the review at April's meeting and both changes of status.
        let may_page = coordinator.get(&format!("/reuniones/{may}/acuerdos")).await;
        let open_part = may_page
            .body
            .split("Acuerdos tomados en esta reunión")
            .next()
            .unwrap();
        assert!(
            !open_part.contains("Compartir la pauta"),
            "{}",
            may_page.body
        );
        assert!(!director.get("/").await.body.contains("Mis acuerdos"));
        let detail = director.get(&format!("/acuerdos/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.body.contains("Sesión de abril"));
        assert!(detail
            .body
            .contains("Se aplicó en dos cursos; falta el resto."));
        assert!(
            detail.body.contains("Abierto → En curso"),
            "{}",
            detail.body
        );
        assert!(detail.body.contains("En curso → Cumplido"));
        assert_eq!(
            app.text(&format!("SELECT status FROM agreements WHERE id = {id}"))
                .await,
            "kept"
        );

        // The network's list: filtered by status, late ones flagged.
        let list = coordinator
            .get(&format!("/redes/{network}/acuerdos?estado=kept"))
            .await;
        assert!(list.body.contains("Compartir la pauta"));
        let open = coordinator
            .get(&format!("/redes/{network}/acuerdos?estado=abiertos"))
            .await;
        assert!(!open.body.contains("Compartir la pauta"));
        // A second one, late and open, is flagged on the list.
        coordinator
            .post_form(
                &format!("/reuniones/{march}/acuerdos"),
                &[
                    ("body", "Enviar el calendario de visitas"),
                    ("owner", &format!("school:{member}")),
                    ("due_on", "2026-03-10"),
                ],
            )
            .await;
        let open = coordinator
            .get(&format!("/redes/{network}/acuerdos?estado=abiertos"))
            .await;
        assert!(open.body.contains("Enviar el calendario de visitas"));
        assert!(open.body.contains("Atrasado") && open.body.contains("1 atrasados"));
    }
);

both_databases!(
    bad_agreements_are_refused_with_a_message_on_the_field,
    |app: common::TestApp| async move {
        let (network, member, _, outsider, [march, april, _]) = world(&app).await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let url = format!("/reuniones/{march}/acuerdos");
        let cases: [(&str, &str, &str, &str); 4] = [
            ("", "school", "2026-04-01", "Escriba el acuerdo"),
            (
                "Visitar aulas",
                "school",
                "2026-03-01",
                "anterior a la reunión (2026-03-03)",
            ),
            (
                "Visitar aulas",
                "outsider",
                "2026-04-01",
                "La escuela no integra esta red",
            ),
            (
                "Visitar aulas",
                "nobody",
                "2026-04-01",
                "Elija quién se hace cargo",
            ),
        ];
        for (body, owner, due_on, message) in cases {
            let owner = match owner {
                "school" => format!("school:{member}"),
                "outsider" => format!("school:{outsider}"),
                _ => String::new(),
            };
            let refused = coordinator
                .post_form(
                    &url,
                    &[("body", body), ("owner", &owner), ("due_on", due_on)],
                )
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{message}"
            );
            assert!(
                refused.body.contains(message),
                "{message}: {}",
                refused.body
            );
            assert!(refused.body.contains("class=\"error\""));
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 0);

        // Dropping without a reason, in a review or a change of status.
        let ok = coordinator
            .post_form(
                &url,
                &[
                    ("body", "Visitar aulas"),
                    ("owner", &format!("school:{member}")),
                    ("due_on", "2026-04-30"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let id = app.count("SELECT MAX(id) FROM agreements").await;
        let refused = coordinator
            .post_form(&format!("/acuerdos/{id}/estado"), &[("status", "dropped")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Diga por qué se descarta el acuerdo"));
        let refused = coordinator
            .post_form(
                &format!("/acuerdos/{id}/revisiones"),
                &[
                    ("meeting_id", &april.to_string()),
                    ("note", "No hubo tiempo"),
                    ("status_after", "dropped"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Diga por qué se descarta el acuerdo"));
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
        // With a reason it is dropped, and the reason is shown.
        let dropped = coordinator
            .post_form(
                &format!("/acuerdos/{id}/estado"),
                &[
                    ("status", "dropped"),
                    ("drop_reason", "La red cambió de foco"),
                ],
            )
            .await;
        assert_eq!(dropped.status, StatusCode::SEE_OTHER);
        assert!(coordinator
            .get(&format!("/acuerdos/{id}"))
            .await
            .body
            .contains("La red cambió de foco"));
    }
);

both_databases!(
    who_records_reviews_updates_and_reads_agreements,
    |app: common::TestApp| async move {
        let (network, member, other, outsider, [march, april, _]) = world(&app).await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let teacher_id = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let mut teacher = app.client();
        teacher.login("docente", common::PASSWORD).await;
        let mut other_director = app
            .signed_in("director.otra", &[school_grant("director", other)])
            .await;
        let mut outsider_director = app
            .signed_in("director.fuera", &[school_grant("director", outsider)])
            .await;
        let mut seremi = app
            .signed_in(
                "seremi",
                &[grant("regional_authority", "region", "Valparaíso")],
            )
            .await;
        let mut maule = app
            .signed_in(
                "seremi.maule",
                &[grant("regional_authority", "region", "Maule")],
            )
            .await;

        // The teacher can own an agreement (a person of the network).
        let recorded = coordinator
            .post_form(
                &format!("/reuniones/{march}/acuerdos"),
                &[
                    ("body", "Preparar la clase abierta"),
                    ("owner", &format!("person:{teacher_id}")),
                    ("due_on", "2026-04-30"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let id = app.count("SELECT MAX(id) FROM agreements").await;
        let form = [
            ("body", "Otro acuerdo"),
            ("owner", &format!("school:{member}") as &str),
            ("due_on", "2026-04-30"),
        ];

        // Readers: members and authorities in scope; nobody else.
        for (client, expected) in [
            (&mut teacher, StatusCode::OK),
            (&mut other_director, StatusCode::OK),
            (&mut seremi, StatusCode::OK),
            (&mut outsider_director, StatusCode::FORBIDDEN),
            (&mut maule, StatusCode::FORBIDDEN),
        ] {
            assert_eq!(
                client.get(&format!("/acuerdos/{id}")).await.status,
                expected
            );
            assert_eq!(
                client
                    .get(&format!("/redes/{network}/acuerdos"))
                    .await
                    .status,
                expected
            );
            assert_eq!(
                client
                    .get(&format!("/reuniones/{april}/acuerdos"))
                    .await
                    .status,
                expected
            );
        }
        // Recording: the coordinator and the leaders of member schools.
        for (client, expected) in [
            (&mut other_director, StatusCode::SEE_OTHER),
            (&mut teacher, StatusCode::FORBIDDEN),
            (&mut seremi, StatusCode::FORBIDDEN),
            (&mut outsider_director, StatusCode::FORBIDDEN),
        ] {
            let answer = client
                .post_form(&format!("/reuniones/{march}/acuerdos"), &form)
                .await;
            assert_eq!(answer.status, expected, "{}", answer.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 2);
        let review = [
            ("meeting_id", april.to_string()),
            ("note", "Avanza".to_string()),
            ("status_after", "in_progress".to_string()),
        ];
        let review: Vec<(&str, &str)> = review.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            teacher
                .post_form(&format!("/acuerdos/{id}/revisiones"), &review)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM agreement_reviews").await, 0);
        // The owner updates its status; another director does not.
        assert_eq!(
            other_director
                .post_form(&format!("/acuerdos/{id}/estado"), &[("status", "kept")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let teacher_page = teacher.get(&format!("/acuerdos/{id}")).await;
        assert!(teacher_page.body.contains("Cambiar estado"));
        assert!(!teacher_page.body.contains("Revisar en una reunión"));
        assert_eq!(
            teacher
                .post_form(&format!("/acuerdos/{id}/estado"), &[("status", "kept")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // A kept agreement is not reviewed again.
        let again = coordinator
            .post_form(&format!("/acuerdos/{id}/revisiones"), &review)
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        // Unknown ids.
        assert_eq!(
            coordinator.get("/acuerdos/999999").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            coordinator.get("/reuniones/999999/acuerdos").await.status,
            StatusCode::NOT_FOUND
        );
    }
);
