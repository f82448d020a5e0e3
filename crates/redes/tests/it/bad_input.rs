//! What bad input gets back in the registry: duplicates and missing names
//! keep what was typed, unknown ids give 404, oversized forms 413.

use crate::common;

use axum::http::StatusCode;
use common::grant;

both_databases!(
    duplicate_code_and_missing_name_keep_what_was_typed,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let fields = [
            ("country", "cl"),
            ("official_code", "3250"),
            ("name", "Escuela El Peñasco"),
            ("region", "Maule"),
            ("province", "Linares"),
        ];
        assert_eq!(
            seremi.post_form("/escuelas", &fields).await.status,
            StatusCode::SEE_OTHER
        );
        let again = seremi
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", " 3250 "),
                    ("name", "Otra Escuela"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("<p class=\"error\" id=\"e-official_code\">Ya existe una escuela con el código RBD 3250</p>"), "{}", again.body);
        assert!(again.body.contains("value=\"Otra Escuela\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
        // Editing another school onto an existing code: same message, nothing changed.
        let second = app
            .school("cl", "3251", "Escuela Vega", "Maule", "Linares")
            .await;
        let clash = seremi
            .post_form(
                &format!("/escuelas/{second}"),
                &[
                    ("country", "cl"),
                    ("official_code", "3250"),
                    ("name", "Escuela Vega"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(clash
            .body
            .contains("Ya existe una escuela con el código RBD 3250"));
        assert_eq!(
            app.text(&format!(
                "SELECT official_code FROM schools WHERE id = {second}"
            ))
            .await,
            "3251"
        );

        let typed = [
            ("country", "cl"),
            ("official_code", "3260"),
            ("name", "   "),
            ("region", "Maule"),
            ("province", "Linares"),
            ("commune", "Yerbas Buenas"),
            ("address", "Camino a Linares km 5"),
            ("latitude", "-35,7"),
            ("students", "tres"),
        ];
        let r = seremi.post_form("/escuelas", &typed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("role=\"alert\""));
        let name_input = r
            .body
            .split("<input id=\"f-name\"")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(
            name_input.contains("aria-invalid=\"true\"")
                && name_input.contains("aria-describedby=\"e-name\""),
            "{name_input}"
        );
        assert!(r
            .body
            .contains("<p class=\"error\" id=\"e-name\">El nombre es obligatorio</p>"));
        assert!(r.body.contains(
            "<p class=\"error\" id=\"e-students\">Debe ser un número entero entre 0 y 100000</p>"
        ));
        assert!(r.body.contains(
            "<p class=\"error\" id=\"e-longitude\">Indique latitud y longitud juntas</p>"
        ));
        for value in [
            "3260",
            "Linares",
            "Yerbas Buenas",
            "Camino a Linares km 5",
            "-35,7",
            "tres",
        ] {
            assert!(
                r.body.contains(&format!("value=\"{value}\"")),
                "lost {value}"
            );
        }
        let commune_input = r
            .body
            .split("<input id=\"f-commune\"")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(
            !commune_input.contains("aria-invalid"),
            "valid fields are not marked"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 2);

        // The network form does the same, keeping the charter texts.
        let r = seremi
            .post_form(
                "/redes",
                &[
                    ("country", "cl"),
                    ("kind", "rme"),
                    ("name", ""),
                    ("region", "Maule"),
                    ("objective", "Leer mejor"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("El nombre de la red es obligatorio"));
        assert!(r.body.contains("aria-describedby=\"e-name\""));
        assert!(r.body.contains(">Leer mejor</textarea>"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM networks").await, 0);
    }
);

both_databases!(
    unknown_ids_and_routes_give_404,
    |app: common::TestApp| async move {
        let mut admin = app.signed_in("admin", &[]).await;
        for path in [
            "/escuelas/999999",
            "/escuelas/999999/editar",
            "/redes/999999",
            "/redes/999999/editar",
            "/no-existe",
            "/static/nada.css",
        ] {
            let r = admin.get(path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                r.content_type.starts_with("text/html"),
                "{path}: {}",
                r.content_type
            );
            assert!(r.body.contains("Página no encontrada"), "{path}");
        }
        for path in [
            "/escuelas/999999",
            "/redes/999999",
            "/redes/999999/archivar",
            "/escuelas/999999/archivar",
        ] {
            let r = admin
                .post_form(
                    path,
                    &[
                        ("country", "cl"),
                        ("name", "x"),
                        ("region", "Maule"),
                        ("official_code", "1"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
        }
        // A non-numeric id is an unknown page too.
        let r = admin.get("/escuelas/abc").await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{}",
            r.status
        );
        assert!(
            r.content_type.starts_with("text/html"),
            "{}: {}",
            r.content_type,
            r.body
        );
        let school = app
            .school("cl", "3250", "Escuela El Peñasco", "Maule", "Linares")
            .await;
        let network = app.network("Red Linares", "Maule").await;
        let r = admin
            .post_form(
                &format!("/redes/{network}/escuelas"),
                &[("school_id", "999999")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.count("SELECT COUNT(*) FROM network_schools").await, 0);
        let _ = school;
    }
);

both_databases!(
    oversized_form_is_refused,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let big = "a".repeat(3 * 1024 * 1024);
        let r = seremi
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", "3250"),
                    ("name", "x"),
                    ("region", "Maule"),
                    ("address", &big),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
    }
);

// On PostgreSQL a statement first run with a NULL latitude used to be cached
// with a `float4` parameter, and every later school with coordinates on that
// connection failed ("incorrect binary data format").
both_databases!(
    coordinates_save_after_a_school_without_them,
    |app: common::TestApp| async move {
        let mut conn = app.db.pool.acquire().await.unwrap();
        let mut ids = Vec::new();
        for (code, lat) in [
            ("3001", ""),
            ("3002", "-35.5"),
            ("3003", ""),
            ("3004", "-36.25"),
        ] {
            let input = redes::schools::model::SchoolInput {
                country: "cl".into(),
                official_code: code.into(),
                name: format!("Escuela {code}"),
                region: "Maule".into(),
                latitude: lat.into(),
                longitude: if lat.is_empty() {
                    String::new()
                } else {
                    "-71.5".into()
                },
                ..Default::default()
            };
            ids.push(
                redes::schools::store::insert(&mut conn, &input.parse().unwrap())
                    .await
                    .expect("insert"),
            );
        }
        for (id, lat) in ids.iter().zip([None, Some(-35.5), None, Some(-36.25)]) {
            let input = redes::schools::model::SchoolInput {
                country: "cl".into(),
                official_code: redes::schools::store::get(&app.db, *id)
                    .await
                    .unwrap()
                    .official_code,
                name: "Escuela editada".into(),
                region: "Maule".into(),
                latitude: lat.map(|v| v.to_string()).unwrap_or_default(),
                longitude: lat.map(|_| "-71.5".to_string()).unwrap_or_default(),
                ..Default::default()
            };
            redes::schools::store::update(&mut conn, *id, &input.parse().unwrap())
                .await
                .expect("update");
            assert_eq!(
                redes::schools::store::get(&app.db, *id)
                    .await
                    .unwrap()
                    .latitude,
                lat
            );
        }
    }
);
