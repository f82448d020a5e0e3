//! People where they belong (issue 8 item 2): a network's page lists its
//! coordination and the people of its member schools, a school's page its
//! leadership and staff, each linked only where the viewer may open the
//! person's page; a network's coordination invites a person who is already
//! in Redes by username or e-mail (page and API, one store function).

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant};
use serde_json::json;

/// The world of these tests: a network with two member schools and one
/// school outside it, their people, and people to invite.
struct World {
    network: i64,
    school_a: i64,
    coordinator: i64,
    director: i64,
    teacher: i64,
}

async fn world(app: &common::TestApp) -> World {
    let network = app.network("Red de Talcahuano", "Biobío").await;
    let school_a = app
        .school(
            "cl",
            "4754",
            "Escuela Cerro San Francisco",
            "Biobío",
            "Concepción",
        )
        .await;
    let school_b = app
        .school(
            "cl",
            "4587",
            "Liceo Juan Martínez de Rozas",
            "Biobío",
            "Concepción",
        )
        .await;
    let outside = app
        .school("cl", "4600", "Escuela Lejana", "Biobío", "Arauco")
        .await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    for school in [school_a, school_b] {
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(school),
            None,
        )
        .await
        .unwrap();
    }
    drop(conn);
    let coordinator = app
        .person(
            "coordinadora",
            &[network_grant("network_coordinator", network)],
        )
        .await;
    let director = app
        .person("director.a", &[school_grant("director", school_a)])
        .await;
    let teacher = app
        .person("docente.a", &[school_grant("teacher", school_a)])
        .await;
    app.person("jefa.b", &[school_grant("technical_head", school_b)])
        .await;
    app.person("docente.lejana", &[school_grant("teacher", outside)])
        .await;
    // People to invite: one with an e-mail, two sharing one.
    app.person("libre", &[]).await;
    app.person("otra", &[]).await;
    app.person("otro", &[]).await;
    for (username, email) in [
        ("libre", "Libre@Example.org"),
        ("otra", "comun@example.org"),
        ("otro", "comun@example.org"),
    ] {
        sqlx::query("UPDATE people SET email = $1 WHERE username = $2")
            .bind(email)
            .bind(username)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    World {
        network,
        school_a,
        coordinator,
        director,
        teacher,
    }
}

both_databases!(
    a_network_page_lists_its_people_linked_where_allowed,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let page = format!("/redes/{}", w.network);
        let mut coordinator = app.client();
        coordinator.login("coordinadora", common::PASSWORD).await;
        let body = coordinator.get(&page).await.body;
        // The coordination, at the top and in the list.
        assert!(
            body.contains(&format!(
                "Coordinación: <a href=\"/personas/{}\">Persona coordinadora</a>",
                w.coordinator
            )),
            "{body}"
        );
        let people = &body[body.find("id=\"personas\"").unwrap()..];
        for (name, role) in [
            ("Persona coordinadora", "Coordinación de red"),
            ("Persona director.a", "Director(a)"),
            ("Persona docente.a", "Docente"),
            ("Persona jefa.b", "Jefatura técnica"),
        ] {
            let at = people
                .find(name)
                .unwrap_or_else(|| panic!("{name} not listed: {people}"));
            assert!(people[at..].find(role).unwrap() < people[at..].find("</tr>").unwrap());
        }
        assert!(!body.contains("docente.lejana"), "not a member school");
        // The network's own people first, then by school and role.
        let order: Vec<usize> = [
            "Persona coordinadora",
            "Persona director.a",
            "Persona docente.a",
        ]
        .iter()
        .map(|n| people.find(n).unwrap())
        .collect();
        assert!(order.windows(2).all(|p| p[0] < p[1]), "{order:?}");
        assert!(people.contains(&format!(
            "<a href=\"/escuelas/{}\">Escuela Cerro San Francisco</a>",
            w.school_a
        )));
        // The coordinator may open only their own page: the others are names.
        assert!(!body.contains(&format!("href=\"/personas/{}\"", w.director)));
        assert!(!body.contains(&format!("href=\"/personas/{}\"", w.teacher)));
        // An administrator opens every person's page.
        let mut admin = app.signed_in("admin", &[]).await;
        let body = admin.get(&page).await.body;
        assert!(body.contains(&format!(
            "<a href=\"/personas/{}\">Persona director.a</a>",
            w.director
        )));

        // A school's page: its leadership and its staff.
        let school = format!("/escuelas/{}", w.school_a);
        let body = admin.get(&school).await.body;
        let leaders = body.find("Equipo directivo").unwrap();
        let staff = body.find("Docentes y equipo").unwrap();
        let director = body.find("Persona director.a").unwrap();
        let teacher = body.find("Persona docente.a").unwrap();
        assert!(
            leaders < director && director < staff && staff < teacher,
            "{body}"
        );
        assert!(body.contains(&format!("href=\"/personas/{}\"", w.teacher)));
        // Its teacher sees everyone, but links only to their own page.
        let mut teacher = app.client();
        teacher.login("docente.a", common::PASSWORD).await;
        let body = teacher.get(&school).await.body;
        assert!(body.contains("Persona director.a · Director(a)"), "{body}");
        assert!(body.contains(&format!(
            "<a href=\"/personas/{}\">Persona docente.a</a> · Docente",
            w.teacher
        )));
        assert!(!body.contains(&format!("href=\"/personas/{}\"", w.director)));
        // The other member school's people are on the network page, not here.
        assert!(!body.contains("jefa.b"));
        // The teacher sees no invitation form; the coordinator does.
        assert!(!teacher
            .get(&page)
            .await
            .body
            .contains("Invitar a una persona"));
        assert!(coordinator
            .get(&page)
            .await
            .body
            .contains("action=\"/redes/"));
    }
);

both_databases!(
    a_coordinator_invites_a_person_by_username_or_e_mail,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let page = format!("/redes/{}", w.network);
        let invite = format!("/redes/{}/personas", w.network);
        let memberships = "SELECT COUNT(*) FROM memberships WHERE scope_kind = 'network'";
        let before = app.count(memberships).await;
        let mut coordinator = app.client();
        coordinator.login("coordinadora", common::PASSWORD).await;
        assert!(coordinator
            .get(&page)
            .await
            .body
            .contains("Invitar a una persona"));

        // By e-mail, in any case: the person joins with the role.
        let added = coordinator
            .post_form(
                &invite,
                &[("person", " libre@example.ORG "), ("role", "teacher")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(
            added.location.as_deref(),
            Some(format!("{page}#personas").as_str())
        );
        assert_eq!(app.count(memberships).await, before + 1);
        let body = coordinator.get(&page).await.body;
        assert!(
            crate::common::cells_in_a_row(&body, &["Persona libre", "Docente", "En la red"]),
            "{body}"
        );
        // The person now sees the network.
        let mut libre = app.client();
        libre.login("libre", common::PASSWORD).await;
        assert_eq!(libre.get(&page).await.status, StatusCode::OK);

        // Problems are shown next to their field, with what was typed.
        let cases: [(&str, &str, &str, &str); 6] = [
            (
                "nadie@example.org",
                "teacher",
                "person",
                "Nadie en Redes tiene el usuario o el correo «nadie@example.org»",
            ),
            (
                "libre",
                "observer",
                "person",
                "Persona libre ya integra esta red (Docente)",
            ),
            (
                "comun@example.org",
                "teacher",
                "person",
                "Varias personas usan ese correo; escriba el nombre de usuario",
            ),
            (
                "otra",
                "director",
                "role",
                "Elija uno de los roles de la lista",
            ),
            (
                "",
                "teacher",
                "person",
                "Escriba el nombre de usuario o el correo de la persona",
            ),
            (
                &"x".repeat(300),
                "teacher",
                "person",
                "No puede superar 254 caracteres",
            ),
        ];
        for (person, role, field, message) in cases {
            let refused = coordinator
                .post_form(&invite, &[("person", person), ("role", role)])
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{person}");
            assert!(refused.body.contains(message), "{person}: {}", refused.body);
            assert!(
                refused.body.contains(&format!("id=\"f-{field}\""))
                    && refused
                        .body
                        .contains(&format!("aria-describedby=\"e-{field}\"")),
                "{person}: the error is not on {field}"
            );
            assert!(refused.body.contains("class=\"error-summary\""));
        }
        let typed = coordinator
            .post_form(
                &invite,
                &[("person", "nadie@example.org"), ("role", "tutor")],
            )
            .await;
        assert!(typed.body.contains("value=\"nadie@example.org\""));
        assert!(typed.body.contains("<option value=\"tutor\" selected>"));
        assert_eq!(app.count(memberships).await, before + 1, "nothing saved");

        // No right: a member school's teacher, the regional authority (who
        // edits the network but hands out no roles); no CSRF token.
        let mut teacher = app.client();
        teacher.login("docente.a", common::PASSWORD).await;
        let refused = teacher
            .post_form(&invite, &[("person", "otra"), ("role", "teacher")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            refused.body.contains("Solo la coordinación de la red"),
            "{}",
            refused.body
        );
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        let refused = seremi
            .post_form(&invite, &[("person", "otra"), ("role", "teacher")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(!seremi
            .get(&page)
            .await
            .body
            .contains("Invitar a una persona"));
        let no_token = coordinator
            .post_form_raw(&invite, &[("person", "otra"), ("role", "teacher")], None)
            .await;
        assert_eq!(no_token.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.count(memberships).await, before + 1, "nothing saved");

        // An administrator may make someone coordinator.
        let mut admin = app.signed_in("admin", &[]).await;
        let added = admin
            .post_form(
                &invite,
                &[("person", "otra"), ("role", "network_coordinator")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert!(admin
            .get(&page)
            .await
            .body
            .contains("Persona coordinadora</a>, <a href="));
    }
);

both_databases!(
    the_api_invites_with_the_same_rules,
    |app: common::TestApp| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/networks/{}/people", w.network);
        let token = app.token("coordinadora").await;
        let mut api = app.client();
        let created = api
            .json(
                "POST",
                &path,
                Some(json!({"person": "libre", "role": "observer"})),
                Some(&token),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let body = created.json();
        assert_eq!(body["full_name"], "Persona libre");
        assert_eq!(body["role"], "observer");
        assert_eq!(body["role_label"], "Observador");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.username = 'libre' AND m.scope_kind = 'network' AND m.role = 'observer'").await,
            1
        );
        for (person, role, field) in [
            ("libre", "teacher", "person"),
            ("nadie", "teacher", "person"),
            ("otra", "ministry", "role"),
        ] {
            let refused = api
                .json(
                    "POST",
                    &path,
                    Some(json!({"person": person, "role": role})),
                    Some(&token),
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{person}");
            assert!(
                refused.json()["fields"][field].is_string(),
                "{}",
                refused.body
            );
        }
        let teacher = app.token("docente.a").await;
        let refused = api
            .json(
                "POST",
                &path,
                Some(json!({"person": "otra", "role": "teacher"})),
                Some(&teacher),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let missing = api
            .json(
                "POST",
                "/api/v1/networks/999999/people",
                Some(json!({"person": "otra", "role": "teacher"})),
                Some(&token),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        // With a session cookie, the CSRF header is needed.
        let mut session = app.client();
        session.login("coordinadora", common::PASSWORD).await;
        let body = json!({"person": "otra", "role": "teacher"}).to_string();
        let refused = session.json_raw("POST", &path, &body, &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        let ok = session
            .json(
                "POST",
                &path,
                Some(json!({"person": "otra", "role": "teacher"})),
                None,
            )
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    }
);
