//! Institutional calls (issue 8 item 8): calls have opening and closing
//! dates and a territory (country, region, province); networks are advisory
//! (seed 000), so a network's coordination proposes a call to the authority
//! of a territory, which puts it under consideration, issues it (the call is
//! linked to the proposal) or declines it with a reason, and the network
//! follows the state of its proposals. Pages and API call the same store
//! functions.

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant, Grant, TestApp};
use serde_json::json;

/// A teachers' network of Cartagena (Bolívar), a member school, and the
/// people around it.
struct World {
    network: i64,
}

fn region(role: &'static str, country: &'static str, name: &'static str) -> Grant<'static> {
    Grant {
        country,
        ..grant(role, "region", name)
    }
}

async fn world(app: &TestApp) -> World {
    let input = redes::networks::model::NetworkInput {
        country: "co".into(),
        kind: "teacher_network".into(),
        name: "Red de Maestros de Lenguaje".into(),
        region: "Bolívar".into(),
        province: "Cartagena de Indias".into(),
        ..Default::default()
    };
    let mut conn = app.db.pool.acquire().await.unwrap();
    let network = redes::networks::store::insert(&mut conn, &input.parse().unwrap(), None, false)
        .await
        .unwrap()
        .0;
    let school = app
        .school(
            "co",
            "113001000101",
            "Institución Educativa Soledad Acosta",
            "Bolívar",
            "Cartagena de Indias",
        )
        .await;
    redes::networks::store::add_member(
        &mut conn,
        redes::ids::NetworkId(network),
        redes::ids::SchoolId(school),
        None,
    )
    .await
    .unwrap();
    drop(conn);
    app.person(
        "coordinadora",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    app.person("docente", &[school_grant("teacher", school)])
        .await;
    app.person("sec.bolivar", &[region("secretariat", "co", "Bolívar")])
        .await;
    app.person("sec.tolima", &[region("secretariat", "co", "Tolima")])
        .await;
    let district = Grant {
        role: "secretariat",
        scope_kind: "province",
        country: "co",
        scope_name: "Cartagena de Indias",
        ..Default::default()
    };
    app.person("sed.cartagena", &[district]).await;
    World { network }
}

async fn client(app: &TestApp, username: &str) -> common::Client {
    let mut client = app.client();
    client.login(username, common::PASSWORD).await;
    assert!(client.has_session(), "{username}");
    client
}

const PROPOSAL: [(&str, &str); 5] = [
    ("title", "Encuentro distrital de lectura en voz alta"),
    (
        "body",
        "Proponemos convocar a las instituciones del distrito.",
    ),
    ("opens_on", "2027-03-01"),
    ("closes_on", "2027-04-15"),
    ("level", "region"),
];

fn proposal_id(location: Option<String>) -> i64 {
    let location = location.expect("a redirect to the proposal");
    let id = location
        .strip_prefix("/convocatorias/propuestas/")
        .unwrap_or_else(|| panic!("{location}"));
    id.parse().unwrap()
}

both_databases!(
    a_network_proposes_a_call_and_the_secretariat_of_its_region_issues_it,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut coordinator = client(&app, "coordinadora").await;
        let page = format!("/redes/{}/convocatorias", w.network);
        let form = coordinator.get(&page).await;
        assert_eq!(form.status, StatusCode::OK);
        // The network chooses the territory among its own.
        assert!(
            form.body
                .contains("Colombia · Bolívar · Cartagena de Indias"),
            "{}",
            form.body
        );
        let proposed = coordinator.post_form(&page, &PROPOSAL).await;
        assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
        let id = proposal_id(proposed.location);
        let listed = coordinator.get(&page).await.body;
        assert!(
            listed.contains("Encuentro distrital de lectura") && listed.contains(">Propuesta<")
        );

        // A member school's teacher follows it but cannot propose or decide.
        let mut teacher = client(&app, "docente").await;
        let seen = teacher.get(&page).await;
        assert!(
            seen.body.contains("Encuentro distrital")
                && !seen.body.contains("Proponer una convocatoria")
        );
        let refused = teacher.post_form(&page, &PROPOSAL).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = teacher
            .post_form(&format!("/convocatorias/propuestas/{id}/emitir"), &[])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // Another department's secretariat neither sees nor decides it.
        let mut tolima = client(&app, "sec.tolima").await;
        let list = tolima.get("/convocatorias/propuestas").await.body;
        assert!(!list.contains("Encuentro distrital"), "{list}");
        let path = format!("/convocatorias/propuestas/{id}");
        assert_eq!(tolima.get(&path).await.status, StatusCode::FORBIDDEN);

        // The secretariat of Bolívar studies it, then issues it with a
        // later closing date.
        let mut secretariat = client(&app, "sec.bolivar").await;
        let list = secretariat.get("/convocatorias/propuestas").await.body;
        assert!(
            list.contains("Encuentro distrital") && list.contains("Red de Maestros de Lenguaje"),
            "{list}"
        );
        let studied = secretariat.post_form(&format!("{path}/estudio"), &[]).await;
        assert_eq!(studied.status, StatusCode::SEE_OTHER, "{}", studied.body);
        assert!(coordinator.get(&page).await.body.contains("En estudio"));
        let issued = secretariat
            .post_form(
                &format!("{path}/emitir"),
                &[
                    ("title", "Encuentro distrital de lectura en voz alta 2027"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-04-30"),
                    ("body", ""),
                ],
            )
            .await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        let call: (String, String, String, String, Option<i64>, String) = sqlx::query_as(
            "SELECT country, region, province, closes_on, proposal_id, body FROM calls",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            call,
            (
                "co".into(),
                "Bolívar".into(),
                String::new(),
                "2027-04-30".into(),
                Some(id),
                // An empty field keeps the proposal's text.
                "Proponemos convocar a las instituciones del distrito.".into()
            )
        );
        // The network sees it issued; the member school's teacher reads the
        // call, with the network that proposed it.
        let listed = coordinator.get(&page).await.body;
        assert!(listed.contains("Emitida"), "{listed}");
        let calls = teacher.get("/convocatorias").await.body;
        assert!(
            calls.contains("Encuentro distrital de lectura en voz alta 2027"),
            "{calls}"
        );
        assert!(calls.contains("a propuesta de") && calls.contains("Red de Maestros de Lenguaje"));
        assert!(calls.contains("cierra 2027-04-30"), "{calls}");
        // Issued once: a second decision is a conflict and writes nothing.
        let again = secretariat.post_form(&format!("{path}/emitir"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let again = secretariat
            .post_form(&format!("{path}/declinar"), &[("decline_reason", "Tarde")])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 1);
    }
);

both_databases!(
    the_district_declines_a_proposal_with_a_reason_the_network_reads,
    |app: TestApp| async move {
        let w = world(&app).await;
        let coordinator = app.token("coordinadora").await;
        let mut api = app.client();
        let body = json!({
            "title": "Feria distrital de proyectos de aula",
            "body": "",
            "opens_on": "2027-05-01",
            "closes_on": "2027-05-30",
            "level": "province",
        });
        let path = format!("/api/v1/networks/{}/call-proposals", w.network);
        let made = api
            .json("POST", &path, Some(body.clone()), Some(&coordinator))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let proposal = made.json();
        assert_eq!(proposal["status"], "proposed");
        assert_eq!(proposal["province"], "Cartagena de Indias");
        let id = proposal["id"].as_i64().unwrap();
        // Only the coordination proposes.
        let teacher = app.token("docente").await;
        let refused = api.json("POST", &path, Some(body), Some(&teacher)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // The district secretariat receives it; the reason is required.
        let district = app.token("sed.cartagena").await;
        let list = api
            .json("GET", "/api/v1/call-proposals", None, Some(&district))
            .await;
        assert_eq!(list.json().as_array().unwrap().len(), 1, "{}", list.body);
        let decline = format!("/api/v1/call-proposals/{id}/decline");
        let empty = api
            .json(
                "POST",
                &decline,
                Some(json!({"decline_reason": "  "})),
                Some(&district),
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.json()["fields"]["decline_reason"].is_string(),
            "{}",
            empty.body
        );
        let reason = "El calendario distrital de mayo ya está completo.";
        let declined = api
            .json(
                "POST",
                &decline,
                Some(json!({"decline_reason": reason})),
                Some(&district),
            )
            .await;
        assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
        assert_eq!(declined.json()["status"], "declined");
        assert_eq!(declined.json()["decided_by_name"], "Persona sed.cartagena");
        // Declined is final.
        let issue = format!("/api/v1/call-proposals/{id}/issue");
        let late = api
            .json("POST", &issue, Some(json!({})), Some(&district))
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 0);

        // The network reads the state and the reason.
        let seen = api
            .json(
                "GET",
                &format!("/api/v1/call-proposals/{id}"),
                None,
                Some(&coordinator),
            )
            .await;
        assert_eq!(seen.json()["decline_reason"], reason);
        let mut page = client(&app, "coordinadora").await;
        let body = page
            .get(&format!("/redes/{}/convocatorias", w.network))
            .await
            .body;
        assert!(
            body.contains("Declinada") && body.contains(reason),
            "{body}"
        );
        // The secretariat of another department is not its addressee.
        let tolima = app.token("sec.tolima").await;
        let other = api
            .json(
                "GET",
                &format!("/api/v1/call-proposals/{id}"),
                None,
                Some(&tolima),
            )
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
    }
);

both_databases!(
    a_proposal_needs_a_title_dates_in_order_and_a_territory_of_the_network,
    |app: TestApp| async move {
        let w = world(&app).await;
        let chilean = app.network("Red Sin Provincia", "Biobío").await;
        app.person("coord.cl", &[network_grant("network_coordinator", chilean)])
            .await;
        let mut coordinator = client(&app, "coordinadora").await;
        let page = format!("/redes/{}/convocatorias", w.network);
        let bad = coordinator
            .post_form(
                &page,
                &[
                    ("title", " "),
                    ("opens_on", "2027-05-10"),
                    ("closes_on", "2027-05-01"),
                    ("level", "barrio"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "El título es obligatorio",
            "El cierre no puede ser anterior a la apertura (2027-05-10)",
            "Elija el territorio: provincia, región o país",
        ] {
            assert!(bad.body.contains(message), "{message}: {}", bad.body);
        }
        let mut other = client(&app, "coord.cl").await;
        let no_province = other
            .post_form(
                &format!("/redes/{chilean}/convocatorias"),
                &[
                    ("title", "Jornada"),
                    ("opens_on", "2027-05-01"),
                    ("closes_on", "2027-05-02"),
                    ("level", "province"),
                ],
            )
            .await;
        assert_eq!(no_province.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_province.body.contains("La red no tiene provincia"),
            "{}",
            no_province.body
        );
        // Nor may a coordinator propose in the name of another network.
        let foreign = other.post_form(&page, &PROPOSAL).await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM call_proposals").await, 0);
    }
);

both_databases!(
    calls_have_dates_and_reach_the_territory_they_name,
    |app: TestApp| async move {
        world(&app).await;
        let ministry = app
            .person(
                "min.co",
                &[Grant {
                    country: "co",
                    ..grant("ministry", "national", "")
                }],
            )
            .await;
        assert!(ministry > 0);
        let token = app.token("min.co").await;
        let mut api = app.client();
        let today = redes::db::today();
        for (region, province, title, opens, closes) in [
            (
                "Bolívar",
                "Cartagena de Indias",
                "Llamado distrital",
                "2000-01-01",
                "2999-12-31",
            ),
            (
                "Bolívar",
                "Magangué",
                "Llamado de Magangué",
                "2000-01-01",
                "2999-12-31",
            ),
            (
                "",
                "",
                "Llamado nacional cerrado",
                "2000-01-01",
                "2000-02-01",
            ),
        ] {
            let made = api
                .json(
                    "POST",
                    "/api/v1/calls",
                    Some(json!({"country": "co", "region": region, "province": province, "title": title, "body": "", "opens_on": opens, "closes_on": closes})),
                    Some(&token),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        }
        let bad = api
            .json(
                "POST",
                "/api/v1/calls",
                Some(json!({"country": "co", "region": "Bolívar", "title": "Sin fechas"})),
                Some(&token),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.json()["fields"]["opens_on"].is_string(), "{}", bad.body);
        // A Cartagena teacher reads the district's call and the national
        // one, not another municipality's; each with its phase.
        let mut teacher = client(&app, "docente").await;
        let page = teacher.get("/convocatorias").await.body;
        assert!(
            page.contains("Llamado distrital") && page.contains("Llamado nacional cerrado"),
            "{page}"
        );
        assert!(!page.contains("Magangué"), "{page}");
        assert!(
            page.contains(">Abierta<") && page.contains(">Cerrada<"),
            "{page}"
        );
        assert!(
            page.contains("Colombia · Bolívar · Cartagena de Indias"),
            "{page}"
        );
        // The district secretariat issues in its district only.
        let district = app.token("sed.cartagena").await;
        let outside = api
            .json("POST", "/api/v1/calls", Some(json!({"country": "co", "region": "Bolívar", "title": "Departamental", "opens_on": "2027-01-01", "closes_on": "2027-01-02"})), Some(&district))
            .await;
        assert_eq!(outside.status, StatusCode::FORBIDDEN);
        let listed = api
            .json("GET", "/api/v1/calls", None, Some(&district))
            .await
            .json();
        let titles: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles.len(), 2, "{titles:?} ({today})");
        assert!(titles.contains(&"Llamado distrital") && !titles.contains(&"Llamado de Magangué"));
    }
);
