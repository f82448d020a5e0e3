//! The JSON API under /api/v1: tokens, schools and networks with the same
//! permissions as the pages, JSON errors naming the problem, OpenAPI.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{grant, network_grant, school_grant, PASSWORD};
use serde_json::json;

mod document;

both_databases!(
    tokens_are_exchanged_for_a_password,
    |app: common::TestApp| async move {
        app.person("ana", &[grant("regional_authority", "region", "Maule")])
            .await;
        let mut client = app.client();
        let ok = client
            .json(
                "POST",
                "/api/v1/tokens",
                Some(json!({"username": "ana", "password": PASSWORD, "label": "script"})),
                None,
            )
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        assert!(ok.content_type.starts_with("application/json"));
        let token = ok.json()["token"].as_str().unwrap().to_string();
        assert!(token.len() >= 32);
        // Stored hashed, never in clear.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"
            ))
            .await,
            0
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 1);
        let wrong = client
            .json(
                "POST",
                "/api/v1/tokens",
                Some(json!({"username": "ana", "password": "mala"})),
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.json()["error"].is_string());
        let missing = client
            .json(
                "POST",
                "/api/v1/tokens",
                Some(json!({"username": "ana"})),
                None,
            )
            .await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(
            missing.json()["error"]
                .as_str()
                .unwrap()
                .contains("password"),
            "{}",
            missing.body
        );
        // The token works; no token means 401 JSON, not a login page.
        let list = app
            .client()
            .json("GET", "/api/v1/schools", None, Some(&token))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let anonymous = app
            .client()
            .json("GET", "/api/v1/schools", None, None)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert!(anonymous.json()["error"].is_string());
    }
);

both_databases!(
    bearer_schools_crud_with_permissions,
    |app: common::TestApp| async move {
        let maule = app
            .school("cl", "3001", "Escuela Maule Uno", "Maule", "Linares")
            .await;
        let biobio = app
            .school("cl", "4001", "Escuela Biobío Uno", "Biobío", "Concepción")
            .await;
        app.person("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        app.person("profe", &[school_grant("teacher", maule)]).await;
        let seremi = app.token("seremi").await;
        let teacher = app.token("profe").await;
        let mut c = app.client();

        let list = c
            .json("GET", "/api/v1/schools", None, Some(&seremi))
            .await
            .json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["official_code"], "3001");
        assert_eq!(list["page_size"], 50);
        let one = c
            .json(
                "GET",
                &format!("/api/v1/schools/{maule}"),
                None,
                Some(&seremi),
            )
            .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json()["name"], "Escuela Maule Uno");
        assert_eq!(one.json()["region"], "Maule");
        assert_eq!(
            c.json(
                "GET",
                &format!("/api/v1/schools/{biobio}"),
                None,
                Some(&seremi)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        let created = c
        .json("POST", "/api/v1/schools", Some(json!({"country": "cl", "official_code": "3002", "name": "Escuela Vega", "region": "Maule", "latitude": "-35.5", "longitude": "-71.7", "students": "120"})), Some(&seremi))
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let body = created.json();
        assert_eq!(body["latitude"], -35.5);
        assert_eq!(body["students"], 120);
        let id = body["id"].as_i64().unwrap();
        let updated = c
        .json("PUT", &format!("/api/v1/schools/{id}"), Some(json!({"country": "cl", "official_code": "3002", "name": "Escuela Vega Alta", "region": "Maule"})), Some(&seremi))
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.json()["name"], "Escuela Vega Alta");
        assert_eq!(
            app.text(&format!("SELECT name FROM schools WHERE id = {id}"))
                .await,
            "Escuela Vega Alta"
        );
        // Outside the region: refused, nothing written.
        let there = c.json("POST", "/api/v1/schools", Some(json!({"country": "cl", "official_code": "4002", "name": "Ajena", "region": "Biobío"})), Some(&seremi)).await;
        assert_eq!(there.status, StatusCode::FORBIDDEN);
        assert!(there.json()["error"].is_string());
        let put_there = c
        .json("PUT", &format!("/api/v1/schools/{biobio}"), Some(json!({"country": "cl", "official_code": "4001", "name": "Tomada", "region": "Biobío"})), Some(&seremi))
        .await;
        assert_eq!(put_there.status, StatusCode::FORBIDDEN);
        // Duplicate code: 422 naming the field.
        let dup = c.json("POST", "/api/v1/schools", Some(json!({"country": "cl", "official_code": "3001", "name": "Copia", "region": "Maule"})), Some(&seremi)).await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            dup.json()["fields"]["official_code"],
            "Ya existe una escuela con el código RBD 3001"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 3);

        // The teacher: their school only, read-only.
        let list = c
            .json("GET", "/api/v1/schools", None, Some(&teacher))
            .await
            .json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], maule);
        assert_eq!(
            c.json(
                "GET",
                &format!("/api/v1/schools/{id}"),
                None,
                Some(&teacher)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let put = c
        .json("PUT", &format!("/api/v1/schools/{maule}"), Some(json!({"country": "cl", "official_code": "3001", "name": "Cambiada", "region": "Maule"})), Some(&teacher))
        .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN);
        let post = c.json("POST", "/api/v1/schools", Some(json!({"country": "cl", "official_code": "3009", "name": "Nueva", "region": "Maule"})), Some(&teacher)).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.text(&format!("SELECT name FROM schools WHERE id = {maule}"))
                .await,
            "Escuela Maule Uno"
        );
    }
);

both_databases!(
    bearer_networks_crud_with_permissions,
    |app: common::TestApp| async move {
        let own = app.network("Red Talcahuano", "Biobío").await;
        let other = app.network("Red Linares", "Maule").await;
        app.person("coord", &[network_grant("network_coordinator", own)])
            .await;
        let token = app.token("coord").await;
        let mut c = app.client();
        let list = c
            .json("GET", "/api/v1/networks", None, Some(&token))
            .await
            .json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["name"], "Red Talcahuano");
        assert!(
            list["items"][0].get("objective").is_some(),
            "items carry the charter"
        );
        assert_eq!(
            c.json(
                "GET",
                &format!("/api/v1/networks/{own}"),
                None,
                Some(&token)
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            c.json(
                "GET",
                &format!("/api/v1/networks/{other}"),
                None,
                Some(&token)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );

        let created = c
        .json("POST", "/api/v1/networks", Some(json!({"country": "cl", "kind": "rme", "name": "Red Hualpén", "region": "Biobío", "since_year": "2016", "objective": "Leer"})), Some(&token))
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let body = created.json();
        assert_eq!(body["since_year"], 2016);
        assert_eq!(body["objective"], "Leer");
        let id = body["id"].as_i64().unwrap();
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM network_years WHERE network_id = {id} AND year = 2016 AND active = 1")).await, 1);
        let elsewhere = c
            .json(
                "POST",
                "/api/v1/networks",
                Some(json!({"country": "cl", "name": "Red Talca", "region": "Maule"})),
                Some(&token),
            )
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);

        let updated = c
        .json("PUT", &format!("/api/v1/networks/{own}"), Some(json!({"country": "cl", "name": "Red Talcahuano", "region": "Biobío", "key_idea": "Juntos"})), Some(&token))
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.json()["key_idea"], "Juntos");
        let other_put = c
            .json(
                "PUT",
                &format!("/api/v1/networks/{other}"),
                Some(json!({"country": "cl", "name": "Tomada", "region": "Maule"})),
                Some(&token),
            )
            .await;
        assert_eq!(other_put.status, StatusCode::FORBIDDEN);
        let move_away = c
            .json(
                "PUT",
                &format!("/api/v1/networks/{own}"),
                Some(json!({"country": "cl", "name": "Red Talcahuano", "region": "Maule"})),
                Some(&token),
            )
            .await;
        assert_eq!(move_away.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.text(&format!("SELECT region FROM networks WHERE id = {own}"))
                .await,
            "Biobío"
        );
        assert_eq!(
            app.text(&format!("SELECT name FROM networks WHERE id = {other}"))
                .await,
            "Red Linares"
        );
        // Validation: 422 with a message per field.
        let invalid = c.json("POST", "/api/v1/networks", Some(json!({"country": "cl", "region": "Biobío", "kind": "club", "since_year": "15"})), Some(&token)).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &invalid.json()["fields"];
        assert_eq!(fields["name"], "El nombre de la red es obligatorio");
        assert!(fields["kind"].as_str().unwrap().contains("club"));
        assert!(fields["since_year"].is_string());
        assert_eq!(app.count("SELECT COUNT(*) FROM networks").await, 3);
    }
);

both_databases!(
    api_errors_are_json_naming_the_problem,
    |app: common::TestApp| async move {
        app.person("admin", &[]).await;
        let token = app.token("admin").await;
        let auth = format!("Bearer {token}");
        let mut c = app.client();
        // Unknown ids and routes.
        for path in [
            "/api/v1/schools/999999",
            "/api/v1/networks/999999",
            "/api/v1/nada",
        ] {
            let r = c.json("GET", path, None, Some(&token)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(r.content_type.starts_with("application/json"), "{path}");
            assert_eq!(r.json()["error"], "No encontrado");
        }
        let r = c
            .json(
                "PUT",
                "/api/v1/schools/999999",
                Some(
                    json!({"country": "cl", "official_code": "1", "name": "x", "region": "Maule"}),
                ),
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = c
            .json("GET", "/api/v1/schools/abc", None, Some(&token))
            .await;
        assert!(r.status.is_client_error());
        assert!(r.json()["error"].is_string(), "{}", r.body);

        // Malformed JSON.
        let r = c
            .json_raw(
                "POST",
                "/api/v1/schools",
                "{\"name\": ",
                &[("authorization", &auth)],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.contains("JSON") && (error.contains("EOF") || error.contains("line 1")),
            "{error}"
        );
        // A value of the wrong type names the field.
        let r = c
            .json_raw(
                "POST",
                "/api/v1/schools",
                "{\"country\": \"cl\", \"name\": 5}",
                &[("authorization", &auth)],
            )
            .await;
        assert!(r.status.is_client_error());
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.contains("name") && error.contains("string"),
            "{error}"
        );
        // Not JSON at all.
        let r = c
            .json_raw("POST", "/api/v1/schools", "", &[("authorization", &auth)])
            .await;
        assert!(r.status.is_client_error());
        assert!(r.json()["error"].is_string());
        // Validation: 422 with `fields`.
        let r = c.json("POST", "/api/v1/schools", Some(json!({"country": "cl", "official_code": "12A", "name": "", "region": "Maule", "latitude": "99"})), Some(&token)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = r.json();
        assert_eq!(body["fields"]["name"], "El nombre es obligatorio");
        assert_eq!(
            body["fields"]["official_code"],
            "El RBD debe tener de 1 a 5 dígitos"
        );
        assert!(body["fields"]["latitude"].as_str().unwrap().contains("-90"));
        assert!(body["error"].is_string());
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
    }
);

async fn send_big(
    app: &common::TestApp,
    token: &str,
    path: &str,
    content_type: &str,
    size: usize,
    with_length: bool,
) -> StatusCode {
    let mut body = String::from("{\"name\": \"");
    body.push_str(&"a".repeat(size));
    body.push_str("\"}");
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if with_length {
        builder = builder.header(header::CONTENT_LENGTH, body.len());
    }
    app.client()
        .send(builder.body(Body::from(body)).unwrap())
        .await
        .status
}

both_databases!(
    oversized_bodies_get_413,
    |app: common::TestApp| async move {
        app.person("admin", &[]).await;
        let token = app.token("admin").await;
        let three_mib = 3 * 1024 * 1024;
        assert_eq!(
            send_big(
                &app,
                &token,
                "/api/v1/schools",
                "application/json",
                three_mib,
                true
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            send_big(
                &app,
                &token,
                "/api/v1/schools",
                "application/json",
                three_mib,
                false
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            send_big(
                &app,
                &token,
                "/api/v1/networks",
                "application/json",
                three_mib,
                false
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        // Just under the limit is read (and then validated).
        assert_eq!(
            send_big(
                &app,
                &token,
                "/api/v1/schools",
                "application/json",
                1024 * 1024,
                true
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // Forms, as browsers send them (with Content-Length).
        let mut client = app.signed_in("admin2", &[]).await;
        let csrf = client.csrf().await;
        let body = format!(
            "_csrf={csrf}&country=cl&official_code=1&region=Maule&name={}",
            "a".repeat(three_mib)
        );
        let request = Request::post("/escuelas")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap();
        assert_eq!(
            client.send(request).await.status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
    }
);
