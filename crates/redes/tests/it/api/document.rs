//! The OpenAPI document: every endpoint, every status the server answers with,
//! the input limits, and the whole document as reviewed (a snapshot).

use crate::common;

use axum::http::StatusCode;
use serde_json::json;

/// The document lists every status the server really answers with (checked
/// from outside by scripts/schemathesis.sh), and the input limits the
/// handlers enforce.
#[tokio::test]
async fn openapi_document_lists_the_errors_and_limits_the_server_has() {
    let app = common::TestApp::new(redes::db::Backend::Sqlite).await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    for (path, method, statuses, secured) in [
        (
            "/api/v1/schools",
            "get",
            &["200", "400", "401", "422"][..],
            true,
        ),
        (
            "/api/v1/schools",
            "post",
            &["201", "400", "401", "403", "413", "422"][..],
            true,
        ),
        (
            "/api/v1/schools/{id}",
            "get",
            &["200", "400", "401", "403", "404"][..],
            true,
        ),
        (
            "/api/v1/schools/{id}",
            "put",
            &["200", "400", "401", "403", "404", "413", "422"][..],
            true,
        ),
        (
            "/api/v1/networks",
            "get",
            &["200", "400", "401", "422"][..],
            true,
        ),
        (
            "/api/v1/networks",
            "post",
            &["201", "400", "401", "403", "413", "422"][..],
            true,
        ),
        (
            "/api/v1/networks/{id}",
            "get",
            &["200", "400", "401", "403", "404"][..],
            true,
        ),
        (
            "/api/v1/networks/{id}",
            "put",
            &["200", "400", "401", "403", "404", "413", "422"][..],
            true,
        ),
        (
            "/api/v1/tokens",
            "post",
            &["201", "400", "401", "413", "422", "429"][..],
            false,
        ),
        ("/api/v1/tokens", "get", &["200", "401"][..], true),
        (
            "/api/v1/tokens/{id}",
            "delete",
            &["204", "400", "401", "404"][..],
            true,
        ),
    ] {
        let op = &doc["paths"][path][method];
        let responses = op["responses"].as_object().unwrap();
        let mut listed: Vec<&str> = responses.keys().map(String::as_str).collect();
        listed.sort();
        assert_eq!(listed, statuses, "{method} {path}");
        for (status, response) in responses {
            if status.starts_with('4') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ApiError",
                    "{method} {path} {status}"
                );
            }
        }
        let security = json!([{"bearer": []}]);
        assert_eq!(
            op["security"] == security,
            secured,
            "{method} {path} security"
        );
    }
    // The body middleware answers 400, 413 and 422 (a NUL anywhere in the
    // body) before any handler runs, so every operation with a body has them.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_none() {
                continue;
            }
            for status in ["400", "413", "422"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{method} {path} does not document {status}"
                );
            }
        }
    }
    for path in ["/api/v1/schools", "/api/v1/networks"] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let param = |name: &str| {
            params
                .iter()
                .find(|p| p["name"] == name)
                .unwrap_or_else(|| panic!("{path} lacks {name}"))["schema"]
                .clone()
        };
        for text in ["q", "country", "region"] {
            assert_eq!(param(text)["maxLength"], 200, "{path} {text}");
        }
        assert_eq!(param("page")["minimum"], 1, "{path} page");
    }
    app.finish().await;
}

#[tokio::test]
async fn openapi_document_lists_every_endpoint() {
    let app = common::TestApp::new(redes::db::Backend::Sqlite).await;
    let r = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.content_type.starts_with("application/json"));
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/schools", &["get", "post"][..]),
        ("/api/v1/schools/{id}", &["get", "put"][..]),
        ("/api/v1/networks", &["get", "post"][..]),
        ("/api/v1/networks/{id}", &["get", "put"][..]),
        ("/api/v1/tokens", &["post"][..]),
    ] {
        let entry = paths.get(path).unwrap_or_else(|| panic!("missing {path}"));
        for m in methods {
            assert!(entry.get(*m).is_some(), "{path} lacks {m}");
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "School",
        "SchoolInput",
        "Network",
        "NetworkInput",
        "ApiError",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every schema reference resolves.
    let text = r.body.clone();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling $ref {name}");
    }
    // The whole document, as reviewed: any change to an endpoint, a status
    // or a schema shows up here as a diff to accept or fix.
    insta::assert_json_snapshot!("openapi", doc);
    app.finish().await;
}
