//! Filters that help (issue 8 item 5): the schools list's level select
//! with level families ("media" is every media level), the networks list
//! without generated networks unless asked, and a census of one country.

use crate::common;

use axum::http::StatusCode;
use common::{grant, Grant};
use redes::ids::NetworkId;

/// A school with its levels (the test app's helper registers none).
async fn school_with_levels(app: &common::TestApp, country: &str, code: &str, levels: &str) {
    let input = redes::schools::model::SchoolInput {
        country: country.into(),
        official_code: code.into(),
        name: format!("Escuela {code}"),
        region: if country == "cl" {
            "Biobío"
        } else {
            "Antioquia"
        }
        .into(),
        province: "Centro".into(),
        commune: "Centro".into(),
        levels: levels.into(),
        ..Default::default()
    };
    let mut conn = app.db.pool.acquire().await.unwrap();
    redes::schools::store::insert(&mut conn, &input.parse().unwrap())
        .await
        .unwrap();
}

/// The codes of the schools a list page shows, in code order.
fn codes(body: &str) -> Vec<String> {
    let mut found: Vec<String> = crate::common::cells(body)
        .into_iter()
        .filter(|cell| cell.chars().all(|c| c.is_ascii_digit()) && cell.len() >= 4)
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

both_databases!(
    a_level_filter_matches_its_family,
    |app: common::TestApp| async move {
        school_with_levels(&app, "cl", "4101", "básica,media HC").await;
        school_with_levels(&app, "cl", "4102", "media TP").await;
        school_with_levels(&app, "cl", "4103", "parvularia,básica").await;
        school_with_levels(
            &app,
            "co",
            "105001000101",
            "básica primaria,básica secundaria,media",
        )
        .await;
        school_with_levels(&app, "co", "105001000102", "básica primaria").await;
        let mut admin = app.signed_in("admin", &[]).await;
        let list = |body: &str| codes(body);

        // "media" is every media level: HC and TP in Chile, Colombia's media.
        let media = admin.get("/escuelas?level=media").await;
        assert_eq!(media.status, StatusCode::OK, "{}", media.body);
        assert_eq!(list(&media.body), ["105001000101", "4101", "4102"]);
        assert_eq!(
            list(&admin.get("/escuelas?level=media&country=cl").await.body),
            ["4101", "4102"]
        );
        // One level is still one level.
        assert_eq!(
            list(&admin.get("/escuelas?level=media+TP").await.body),
            ["4102"]
        );
        // "básica": Chile's level and Colombia's primaria and secundaria.
        assert_eq!(
            list(&admin.get("/escuelas?level=b%C3%A1sica").await.body),
            ["105001000101", "105001000102", "4101", "4103"]
        );
        assert_eq!(
            list(
                &admin
                    .get("/escuelas?level=b%C3%A1sica+secundaria")
                    .await
                    .body
            ),
            ["105001000101"]
        );
        // Typed by hand: any case, no accents.
        assert_eq!(
            list(&admin.get("/escuelas?level=BASICA&country=cl").await.body),
            ["4101", "4103"]
        );
        // A level no country has is refused, naming the field.
        let unknown = admin.get("/escuelas?level=universitaria").await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.body.contains("Nivel desconocido"),
            "{}",
            unknown.body
        );
        let long = admin
            .get(&format!("/escuelas?level={}", "x".repeat(300)))
            .await;
        assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The select offers the country's levels, each family first.
        let chile = admin.get("/escuelas?country=cl&level=media").await.body;
        assert!(chile.contains("<select id=\"f-level\" name=\"level\">"));
        let at = |text: &str| {
            chile
                .find(text)
                .unwrap_or_else(|| panic!("no {text} in {chile}"))
        };
        assert!(
            at("<option value=\"media\" selected>media (todas)</option>")
                < at("<option value=\"media HC\">")
        );
        assert!(at("<option value=\"media HC\">") < at("<option value=\"media TP\">"));
        assert!(!chile.contains("<option value=\"primaria\">"));
        // Without a country, every country's levels, each once.
        let all = admin.get("/escuelas").await.body;
        assert!(all.contains("<option value=\"primaria\">primaria</option>"));
        assert!(all.contains("<option value=\"media HC\">media HC</option>"));
        assert_eq!(all.matches("<option value=\"básica\">").count(), 1);
    }
);

both_databases!(
    synthetic_networks_show_only_when_asked,
    |app: common::TestApp| async move {
        app.network("Red de Talcahuano", "Biobío").await;
        let generated = redes::networks::model::NetworkInput {
            country: "cl".into(),
            name: "Red sintética 17 del Biobío".into(),
            region: "Biobío".into(),
            ..Default::default()
        };
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::insert(&mut conn, &generated.parse().unwrap(), None, true)
            .await
            .unwrap();
        drop(conn);
        let mut admin = app.signed_in("admin", &[]).await;

        let list = admin.get("/redes").await;
        assert!(list.body.contains("Red de Talcahuano"));
        assert!(!list.body.contains("Red sintética 17"), "{}", list.body);
        assert!(list.body.contains("<p>1 redes</p>"), "{}", list.body);
        assert!(list.body.contains("Mostrar redes sintéticas"));
        assert!(list.body.contains(
            "<input type=\"checkbox\" id=\"f-synthetic\" name=\"synthetic\" value=\"1\">"
        ));

        let all = admin.get("/redes?synthetic=1").await;
        assert!(all.body.contains("Red de Talcahuano"));
        assert!(all.body.contains("Red sintética 17"));
        assert!(all.body.contains("value=\"1\" checked>"));
        // With other filters, and with the switch off again.
        assert!(admin
            .get("/redes?q=biobio&synthetic=1")
            .await
            .body
            .contains("Red sintética 17"));
        assert!(!admin
            .get("/redes?q=biobio")
            .await
            .body
            .contains("Red sintética 17"));

        // The API lists every network, each saying whether it is generated.
        let api = admin.json("GET", "/api/v1/networks", None, None).await;
        assert_eq!(api.status, StatusCode::OK);
        let json = api.json();
        assert_eq!(json["total"], 2, "{json}");
        assert!(json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["synthetic"] == 1));
    }
);

/// Marks a network active in a year.
async fn active(app: &common::TestApp, network: i64, year: i64) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    redes::networks::store::set_active(&mut conn, NetworkId(network), year, true)
        .await
        .unwrap();
}

both_databases!(
    the_census_shows_one_country,
    |app: common::TestApp| async move {
        let chile = app.network("Red de Talcahuano", "Biobío").await;
        active(&app, chile, 2016).await;
        let cartagena = redes::networks::model::NetworkInput {
            country: "co".into(),
            kind: "teacher_network".into(),
            name: "Red de maestros de Cartagena".into(),
            region: "Bolívar".into(),
            ..Default::default()
        };
        let mut conn = app.db.pool.acquire().await.unwrap();
        let colombia =
            redes::networks::store::insert(&mut conn, &cartagena.parse().unwrap(), None, false)
                .await
                .unwrap();
        drop(conn);
        active(&app, colombia.0, 2023).await;

        // Signed out: Chile, without Cartagena's year.
        let mut anonymous = app.client();
        let census = anonymous.get("/censo").await;
        assert_eq!(census.status, StatusCode::OK);
        assert!(census
            .body
            .contains("<td data-year=\"2016\"><strong>1</strong>"));
        assert!(
            !census.body.contains("data-year=\"2023\""),
            "{}",
            census.body
        );
        assert!(!census.body.contains("Bolívar"));
        assert!(census
            .body
            .contains("<option value=\"cl\" selected>Chile</option>"));
        // Another country on request.
        let colombia = anonymous.get("/censo?country=co").await;
        assert!(colombia
            .body
            .contains("<td data-year=\"2023\"><strong>1</strong>"));
        assert!(!colombia.body.contains("data-year=\"2016\"") && colombia.body.contains("Bolívar"));
        let mexico = anonymous.get("/censo?country=mx").await;
        assert!(mexico
            .body
            .contains("No hay redes activas registradas en este país."));
        // An unknown country is refused, naming the field.
        let peru = anonymous.get("/censo?country=pe").await;
        assert_eq!(peru.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(peru.body.contains("Elija Chile, Colombia o México"));

        // The viewer's own country by default.
        let bolivar = Grant {
            country: "co",
            ..grant("secretariat", "region", "Bolívar")
        };
        let mut secretariat = app.signed_in("secretaria", &[bolivar]).await;
        let own = secretariat.get("/censo").await;
        assert!(own
            .body
            .contains("<td data-year=\"2023\"><strong>1</strong>"));
        assert!(own
            .body
            .contains("<option value=\"co\" selected>Colombia</option>"));

        // The API too.
        let api = anonymous.json("GET", "/api/v1/census", None, None).await;
        let json = api.json();
        assert_eq!(json["country"], "cl", "{json}");
        assert_eq!(json["years"], serde_json::json!([2016]));
        let api = anonymous
            .json("GET", "/api/v1/census?country=co", None, None)
            .await
            .json();
        assert_eq!(api["totals"][0]["year"], 2023, "{api}");
        let bad = anonymous
            .json("GET", "/api/v1/census?country=pe", None, None)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.json()["fields"]["country"].is_string());
    }
);
