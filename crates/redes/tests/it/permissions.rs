//! Who may see and change what: the decisions of `auth::policy`, checked
//! through every page and API route that enforces them.

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant, Grant};

/// Two regions with two schools each, and one network per region.
struct World {
    maule_a: i64,
    maule_b: i64,
    biobio_a: i64,
    biobio_b: i64,
    red_maule: i64,
    red_biobio: i64,
}

async fn world(app: &common::TestApp) -> World {
    let maule_a = app
        .school("cl", "3001", "Escuela Maule Uno", "Maule", "Linares")
        .await;
    let maule_b = app
        .school("cl", "3002", "Escuela Maule Dos", "Maule", "Talca")
        .await;
    let biobio_a = app
        .school("cl", "4001", "Escuela Biobío Uno", "Biobío", "Concepción")
        .await;
    let biobio_b = app
        .school("cl", "4002", "Escuela Biobío Dos", "Biobío", "Arauco")
        .await;
    let red_maule = app.network("Red Linares", "Maule").await;
    let red_biobio = app.network("Red Talcahuano", "Biobío").await;
    World {
        maule_a,
        maule_b,
        biobio_a,
        biobio_b,
        red_maule,
        red_biobio,
    }
}

fn listed(body: &str, name: &str) -> bool {
    body.contains(&format!(">{name}<"))
}

both_databases!(
    teacher_sees_only_their_school_and_cannot_edit_it,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let mut teacher = app
            .signed_in("profe", &[school_grant("teacher", w.maule_a)])
            .await;
        let list = teacher.get("/escuelas").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(listed(&list.body, "Escuela Maule Uno"), "{}", list.body);
        for other in [
            "Escuela Maule Dos",
            "Escuela Biobío Uno",
            "Escuela Biobío Dos",
        ] {
            assert!(!listed(&list.body, other), "teacher sees {other}");
        }
        assert!(
            !list.body.contains("/escuelas/nueva"),
            "teacher offered to register schools"
        );
        let api = teacher.json("GET", "/api/v1/schools", None, None).await;
        assert_eq!(api.json()["total"], 1);
        assert_eq!(api.json()["items"][0]["id"], w.maule_a);

        assert_eq!(
            teacher
                .get(&format!("/escuelas/{}", w.maule_a))
                .await
                .status,
            StatusCode::OK
        );
        let other = teacher.get(&format!("/escuelas/{}", w.maule_b)).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert!(other.body.contains("No permitido"), "{}", other.body);
        let api_other = teacher
            .json(
                "GET",
                &format!("/api/v1/schools/{}", w.biobio_a),
                None,
                None,
            )
            .await;
        assert_eq!(api_other.status, StatusCode::FORBIDDEN);
        assert!(api_other.json()["error"].is_string());

        // Their own school: visible, not editable.
        let detail = teacher.get(&format!("/escuelas/{}", w.maule_a)).await;
        assert!(!detail
            .body
            .contains(&format!("/escuelas/{}/editar", w.maule_a)));
        let edit = teacher
            .get(&format!("/escuelas/{}/editar", w.maule_a))
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN);
        assert!(edit.body.contains("No permitido"));
        let fields = [
            ("country", "cl"),
            ("official_code", "3001"),
            ("name", "Nombre Cambiado"),
            ("region", "Maule"),
        ];
        let post = teacher
            .post_form(&format!("/escuelas/{}", w.maule_a), &fields)
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        let archive = teacher
            .post_form(&format!("/escuelas/{}/archivar", w.maule_a), &[])
            .await;
        assert_eq!(archive.status, StatusCode::FORBIDDEN);
        let put = teacher
        .json("PUT", &format!("/api/v1/schools/{}", w.maule_a), Some(serde_json::json!({"country": "cl", "official_code": "3001", "name": "Otro", "region": "Maule"})), None)
        .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN);
        let create = teacher
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", "3009"),
                    ("name", "Nueva"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM schools WHERE name = 'Escuela Maule Uno' AND archived = 0"
            )
            .await,
            1
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 4);

        // Networks: a teacher sees the networks of their school, no others.
        assert_eq!(
            teacher.get(&format!("/redes/{}", w.red_maule)).await.status,
            StatusCode::FORBIDDEN
        );
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(w.red_maule),
            redes::ids::SchoolId(w.maule_a),
            None,
        )
        .await
        .unwrap();
        drop(conn);
        let mut teacher = app.client();
        teacher.login("profe", common::PASSWORD).await;
        let own = teacher.get(&format!("/redes/{}", w.red_maule)).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains("/editar"),
            "teacher offered to edit the network"
        );
        assert_eq!(
            teacher
                .get(&format!("/redes/{}", w.red_biobio))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let networks = teacher.get("/redes").await;
        assert!(listed(&networks.body, "Red Linares"));
        assert!(!listed(&networks.body, "Red Talcahuano"));
        let edit = teacher
            .post_form(
                &format!("/redes/{}", w.red_maule),
                &[("country", "cl"), ("name", "X"), ("region", "Maule")],
            )
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN);
        let _ = w.biobio_b;
    }
);

both_databases!(
    coordinator_founds_networks_in_their_region_and_edits_only_their_own,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let mut coord = app
            .signed_in(
                "coord",
                &[network_grant("network_coordinator", w.red_biobio)],
            )
            .await;
        // Create in their region.
        let ok = coord
            .post_form(
                "/redes",
                &[
                    ("country", "cl"),
                    ("kind", "rme"),
                    ("name", "Red Nueva Biobío"),
                    ("region", "Biobío"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        // Not in another region: refused with the reason next to the region, nothing written.
        let elsewhere = coord
            .post_form(
                "/redes",
                &[
                    ("country", "cl"),
                    ("kind", "rme"),
                    ("name", "Red Nueva Maule"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert!(
            matches!(
                elsewhere.status,
                StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{}",
            elsewhere.status
        );
        assert!(
            elsewhere
                .body
                .contains("No puede crear redes en este territorio"),
            "{}",
            elsewhere.body
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM networks WHERE name = 'Red Nueva Maule'")
                .await,
            0
        );
        let api = coord
        .json("POST", "/api/v1/networks", Some(serde_json::json!({"country": "cl", "name": "Red API Maule", "region": "Maule"})), None)
        .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM networks WHERE name = 'Red API Maule'")
                .await,
            0
        );

        // Edit their own network.
        let charter = [
            ("country", "cl"),
            ("kind", "rme"),
            ("name", "Red Talcahuano"),
            ("region", "Biobío"),
            ("objective", "Mejorar la lectura"),
        ];
        let edit = coord
            .post_form(&format!("/redes/{}", w.red_biobio), &charter)
            .await;
        assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
        assert_eq!(
            app.text(&format!(
                "SELECT objective FROM networks WHERE id = {}",
                w.red_biobio
            ))
            .await,
            "Mejorar la lectura"
        );
        assert_eq!(
            coord
                .get(&format!("/redes/{}/editar", w.red_biobio))
                .await
                .status,
            StatusCode::OK
        );
        // Not another one, and cannot move theirs to another region.
        assert_eq!(
            coord
                .get(&format!("/redes/{}/editar", w.red_maule))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let other = coord
            .post_form(
                &format!("/redes/{}", w.red_maule),
                &[("country", "cl"), ("name", "Tomada"), ("region", "Maule")],
            )
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let add = coord
            .post_form(
                &format!("/redes/{}/escuelas", w.red_maule),
                &[("school_id", &w.maule_a.to_string())],
            )
            .await;
        assert_eq!(add.status, StatusCode::FORBIDDEN);
        let put = coord
            .json(
                "PUT",
                &format!("/api/v1/networks/{}", w.red_maule),
                Some(serde_json::json!({"country": "cl", "name": "Tomada", "region": "Maule"})),
                None,
            )
            .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.text(&format!(
                "SELECT name FROM networks WHERE id = {}",
                w.red_maule
            ))
            .await,
            "Red Linares"
        );
        let moved = coord
            .post_form(
                &format!("/redes/{}", w.red_biobio),
                &[
                    ("country", "cl"),
                    ("name", "Red Talcahuano"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_ne!(moved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.text(&format!(
                "SELECT region FROM networks WHERE id = {}",
                w.red_biobio
            ))
            .await,
            "Biobío"
        );
        // They may add schools of their region to their network.
        let add = coord
            .post_form(
                &format!("/redes/{}/escuelas", w.red_biobio),
                &[("school_id", &w.biobio_b.to_string())],
            )
            .await;
        assert_eq!(add.status, StatusCode::SEE_OTHER, "{}", add.body);
        let _ = (w.biobio_a, w.maule_b);
    }
);

/// Every network role, in network and school scopes.
fn network_roles(w: &World) -> Vec<(&'static str, Vec<Grant<'static>>)> {
    vec![
        (
            "coordinador",
            vec![network_grant("network_coordinator", w.red_biobio)],
        ),
        (
            "director.red",
            vec![network_grant("director", w.red_biobio)],
        ),
        ("docente.red", vec![network_grant("teacher", w.red_biobio)]),
        (
            "director.escuela",
            vec![school_grant("director", w.biobio_a)],
        ),
        ("docente.escuela", vec![school_grant("teacher", w.biobio_a)]),
        (
            "jefe.tecnico",
            vec![school_grant("technical_head", w.biobio_a)],
        ),
        ("sostenedor", vec![school_grant("school_owner", w.biobio_a)]),
        ("tutor", vec![school_grant("tutor", w.biobio_a)]),
        ("asesor", vec![school_grant("adviser", w.biobio_a)]),
    ]
}

// Networks are advisory (seed 000): no network role can issue an
// institutional call; secretariats and ministries can.
both_databases!(
    networks_are_advisory_only_secretariat_and_ministry_issue_calls,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let call = [
            ("country", "cl"),
            ("region", "Biobío"),
            ("title", "Convocatoria a redes 2026"),
            ("opens_on", "2027-03-01"),
            ("closes_on", "2027-03-31"),
            ("body", "Postulación abierta."),
        ];
        for (username, grants) in network_roles(&w) {
            let mut client = app.signed_in(username, &grants).await;
            let refused = client.post_form("/convocatorias", &call).await;
            assert_eq!(
                refused.status,
                StatusCode::FORBIDDEN,
                "{username} issued a call"
            );
            assert!(refused.body.contains("No permitido"));
            assert_eq!(
                client.get("/convocatorias/nueva").await.status,
                StatusCode::FORBIDDEN,
                "{username}"
            );
            // Even an empty form is refused as such, before validation.
            assert_eq!(
                client.post_form("/convocatorias", &[]).await.status,
                StatusCode::FORBIDDEN
            );
            assert!(
                !client
                    .get("/convocatorias")
                    .await
                    .body
                    .contains("/convocatorias/nueva"),
                "{username} offered the button"
            );
        }
        // A person holding both a network role and a school role is still refused.
        let mut both = app
            .signed_in(
                "doble",
                &[
                    network_grant("network_coordinator", w.red_biobio),
                    school_grant("director", w.biobio_a),
                ],
            )
            .await;
        assert_eq!(
            both.post_form("/convocatorias", &call).await.status,
            StatusCode::FORBIDDEN
        );
        // An administrator manages accounts, not institutional calls.
        let mut admin = app.signed_in("admin", &[]).await;
        assert_eq!(
            admin.post_form("/convocatorias", &call).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 0);

        // Secretariat with region scope.
        let mut secretariat = app
            .signed_in("secretaria", &[grant("secretariat", "region", "Biobío")])
            .await;
        assert_eq!(
            secretariat.get("/convocatorias/nueva").await.status,
            StatusCode::OK
        );
        let issued = secretariat.post_form("/convocatorias", &call).await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 1);
        // ... but only in its own territory.
        let elsewhere = secretariat
            .post_form(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Maule"),
                    ("title", "Fuera"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
        // Ministry, national scope: any region of its country, not another country.
        let mut ministry = app
            .signed_in("ministerio", &[grant("ministry", "national", "")])
            .await;
        let issued = ministry
            .post_form(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Maule"),
                    ("title", "Convocatoria nacional"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        let abroad = ministry
            .post_form(
                "/convocatorias",
                &[
                    ("country", "mx"),
                    ("region", ""),
                    ("title", "Fuera"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(abroad.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 2);
        let list = ministry.get("/convocatorias").await;
        assert!(
            list.body.contains("Convocatoria nacional")
                && list.body.contains("Convocatoria a redes 2026")
        );
        // A Colombian district secretariat (certified territorial entity).
        let district = Grant {
            role: "secretariat",
            scope_kind: "province",
            country: "co",
            scope_name: "Cartagena de Indias",
            ..Default::default()
        };
        let mut sed = app.signed_in("sed", &[district]).await;
        let issued = sed
            .post_form(
                "/convocatorias",
                &[
                    ("country", "co"),
                    ("region", "Bolívar"),
                    ("province", "Cartagena de Indias"),
                    ("title", "Convocatoria distrital"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 3);
    }
);

both_databases!(
    regional_authority_sees_only_their_region_and_admin_sees_all,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let list = seremi.get("/escuelas").await;
        assert!(listed(&list.body, "Escuela Maule Uno") && listed(&list.body, "Escuela Maule Dos"));
        assert!(
            !listed(&list.body, "Escuela Biobío Uno") && !listed(&list.body, "Escuela Biobío Dos")
        );
        assert!(list.body.contains("2 escuelas"), "{}", list.body);
        let api = seremi.json("GET", "/api/v1/schools", None, None).await;
        assert_eq!(api.json()["total"], 2);
        assert_eq!(
            seremi
                .get(&format!("/escuelas/{}", w.biobio_a))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            seremi
                .get(&format!("/escuelas/{}/editar", w.maule_b))
                .await
                .status,
            StatusCode::OK
        );
        let networks = seremi.json("GET", "/api/v1/networks", None, None).await;
        assert_eq!(networks.json()["total"], 1);
        assert_eq!(
            seremi.get(&format!("/redes/{}", w.red_biobio)).await.status,
            StatusCode::FORBIDDEN
        );
        // Registering a school in another region is refused and writes nothing.
        let there = seremi
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", "4003"),
                    ("name", "Ajena"),
                    ("region", "Biobío"),
                ],
            )
            .await;
        assert_eq!(there.status, StatusCode::FORBIDDEN);
        // Moving one of its schools out of the region too.
        let moved = seremi
            .post_form(
                &format!("/escuelas/{}", w.maule_a),
                &[
                    ("country", "cl"),
                    ("official_code", "3001"),
                    ("name", "Escuela Maule Uno"),
                    ("region", "Biobío"),
                ],
            )
            .await;
        assert_eq!(moved.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE region = 'Biobío'")
                .await,
            2
        );

        // A provincial office sees its province only.
        let mut deprov = app
            .signed_in(
                "deprov",
                &[grant("provincial_office", "province", "Linares")],
            )
            .await;
        let api = deprov.json("GET", "/api/v1/schools", None, None).await;
        assert_eq!(api.json()["total"], 1);
        assert_eq!(api.json()["items"][0]["id"], w.maule_a);

        let mut admin = app.signed_in("admin", &[]).await;
        let list = admin.get("/escuelas").await;
        for name in [
            "Escuela Maule Uno",
            "Escuela Maule Dos",
            "Escuela Biobío Uno",
            "Escuela Biobío Dos",
        ] {
            assert!(listed(&list.body, name), "admin misses {name}");
        }
        assert_eq!(
            admin
                .json("GET", "/api/v1/schools", None, None)
                .await
                .json()["total"],
            4
        );
        assert_eq!(
            admin
                .json("GET", "/api/v1/networks", None, None)
                .await
                .json()["total"],
            2
        );
        assert_eq!(
            admin
                .get(&format!("/escuelas/{}/editar", w.biobio_b))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            admin
                .get(&format!("/redes/{}/editar", w.red_biobio))
                .await
                .status,
            StatusCode::OK
        );
        // Only administrators manage people.
        assert_eq!(admin.get("/personas").await.status, StatusCode::OK);
        assert_eq!(seremi.get("/personas").await.status, StatusCode::FORBIDDEN);
    }
);

both_databases!(
    ended_memberships_no_longer_grant_anything,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let id = app
            .person("exdocente", &[school_grant("teacher", w.maule_a)])
            .await;
        sqlx::query("UPDATE memberships SET ends_on = '2016-12-31' WHERE person_id = $1")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let mut client = app.client();
        client.login("exdocente", common::PASSWORD).await;
        assert_eq!(
            client.get(&format!("/escuelas/{}", w.maule_a)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            client
                .json("GET", "/api/v1/schools", None, None)
                .await
                .json()["total"],
            0
        );
    }
);
