//! Test harness: the whole HTTP application in process, on a fresh SQLite
//! file or a fresh PostgreSQL schema per test, with a cookie-keeping client
//! that logs in through the real login form.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use redes::db::{self, Backend, Db};
use redes::{app, AppState};
use tower::ServiceExt;

/// PostgreSQL used by the tests (trust auth on this machine and in CI).
pub fn postgres_url() -> String {
    std::env::var("REDES_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Runs the same test body against SQLite and PostgreSQL.
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::common::TestApp::new(redes::db::Backend::Sqlite).await;
                ($body)(app.clone()).await;
                app.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::common::TestApp::new(redes::db::Backend::Postgres).await;
                ($body)(app.clone()).await;
                app.finish().await;
            }
        }
    };
}

#[derive(Clone)]
pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub state: AppState,
    schema: Option<String>,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        // `REDES_TEST_LOG=redes=debug` shows the application's logs (e.g. the
        // database error behind a 500) in the output of failing tests.
        if let Ok(filter) = std::env::var("REDES_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, schema) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("test.db").display()),
                None,
            ),
            Backend::Postgres => {
                let schema = format!("t_{}", &redes::auth::random_token()[..16]);
                let admin = db::connect(&postgres_url())
                    .await
                    .expect("PostgreSQL for tests (set REDES_TEST_POSTGRES)");
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&admin.pool)
                    .await
                    .expect("create schema");
                admin.pool.close().await;
                let sep = if postgres_url().contains('?') {
                    '&'
                } else {
                    '?'
                };
                (
                    format!("{}{sep}options=-c%20search_path%3D{schema}", postgres_url()),
                    Some(schema),
                )
            }
        };
        let db = db::connect(&url).await.expect("connect");
        db::migrate(&db).await.expect("migrate");
        let mut config =
            redes::config::Config::new(Some(url), "127.0.0.1:0".parse().unwrap(), false);
        // Each test its own search index, whatever the database.
        config.search_dir = dir.path().join("search");
        let state = AppState::new(db.clone(), config);
        TestApp {
            db,
            router: app(state.clone()),
            state,
            schema,
            _dir: std::sync::Arc::new(dir),
        }
    }

    /// The application started again over the same database and settings:
    /// a new `AppState`, so what it keeps in memory (the search index) is
    /// opened anew.
    pub fn restarted(&self) -> TestApp {
        let state = AppState::new(self.db.clone(), (*self.state.config).clone());
        TestApp {
            db: self.db.clone(),
            router: app(state.clone()),
            state,
            schema: self.schema.clone(),
            _dir: self._dir.clone(),
        }
    }

    /// Drops the PostgreSQL schema (SQLite files go with the temp dir).
    pub async fn finish(self) {
        self.db.pool.close().await;
        if let Some(schema) = &self.schema {
            let admin = db::connect(&postgres_url()).await.expect("connect");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin.pool)
                .await
                .expect("drop schema");
            admin.pool.close().await;
        }
    }

    /// A browser-like client without a session.
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
        }
    }

    /// Creates a person with a password and the given grants:
    /// `(role, scope_kind, country, scope_name, school_id, network_id)`.
    pub async fn person(&self, username: &str, grants: &[Grant<'_>]) -> i64 {
        let person = redes::people::NewPerson {
            full_name: format!("Persona {username}"),
            email: String::new(),
            username: Some(username.into()),
            password: Some(PASSWORD.into()),
            is_admin: username.starts_with("admin"),
        };
        let mut conn = self.db.pool.acquire().await.unwrap();
        let id = redes::people::insert(&mut conn, &person).await.unwrap();
        for g in grants {
            sqlx::query(
                "INSERT INTO memberships (person_id, role, scope_kind, country, scope_name, school_id, network_id, starts_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, '2015-01-01')",
            )
            .bind(id)
            .bind(g.role)
            .bind(g.scope_kind)
            .bind(g.country)
            .bind(g.scope_name)
            .bind(g.school_id)
            .bind(g.network_id)
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        id.0
    }

    /// Logs a new person in and returns their client.
    pub async fn signed_in(&self, username: &str, grants: &[Grant<'_>]) -> Client {
        self.person(username, grants).await;
        let mut client = self.client();
        client.login(username, PASSWORD).await;
        client
    }

    pub async fn school(
        &self,
        country: &str,
        code: &str,
        name: &str,
        region: &str,
        province: &str,
    ) -> i64 {
        let input = redes::schools::model::SchoolInput {
            country: country.into(),
            official_code: code.into(),
            name: name.into(),
            region: region.into(),
            province: province.into(),
            commune: province.into(),
            ..Default::default()
        };
        let mut conn = self.db.pool.acquire().await.unwrap();
        redes::schools::store::insert(&mut conn, &input.parse().unwrap())
            .await
            .unwrap()
            .0
    }

    pub async fn network(&self, name: &str, region: &str) -> i64 {
        let input = redes::networks::model::NetworkInput {
            country: "cl".into(),
            name: name.into(),
            region: region.into(),
            ..Default::default()
        };
        let mut conn = self.db.pool.acquire().await.unwrap();
        redes::networks::store::insert(&mut conn, &input.parse().unwrap(), None, false)
            .await
            .unwrap()
            .0
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// One text value from the database.
    pub async fn text(&self, sql: &str) -> String {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// A bearer token for a person, through `POST /api/v1/tokens`.
    pub async fn token(&self, username: &str) -> String {
        let mut client = self.client();
        let response = client
            .json(
                "POST",
                "/api/v1/tokens",
                Some(serde_json::json!({ "username": username, "password": PASSWORD })),
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        response.json()["token"].as_str().unwrap().to_string()
    }
}

pub const PASSWORD: &str = "clave-de-prueba-1";

/// The Mexican zone of the encounter tests: state and municipality.
pub const ZONE_STATE: &str = "Querétaro";
pub const ZONE_MUNICIPALITY: &str = "Tequisquiapan";

/// The zone's schools: `(code, name, level, locality, lat, lon, teachers)`.
/// Two localities far apart, each with two levels: the planner makes one
/// cluster per locality.
pub const ZONE_SCHOOLS: [(&str, &str, &str, &str, f64, f64, i64); 4] = [
    (
        "22DJN0001A",
        "Jardín Norte",
        "preescolar",
        "La Laja",
        20.60,
        -99.90,
        6,
    ),
    (
        "22DPR0001B",
        "Primaria Norte",
        "primaria",
        "La Laja",
        20.601,
        -99.901,
        12,
    ),
    (
        "22DJN0002C",
        "Jardín Sur",
        "preescolar",
        "Fuentezuelas",
        20.40,
        -99.70,
        5,
    ),
    (
        "22DES0002D",
        "Secundaria Sur",
        "secundaria",
        "Fuentezuelas",
        20.401,
        -99.701,
        20,
    ),
];

/// Inserts [`ZONE_SCHOOLS`] in [`ZONE_MUNICIPALITY`], [`ZONE_STATE`].
pub async fn seed_zone(app: &TestApp) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    for (code, name, level, locality, lat, lon, teachers) in ZONE_SCHOOLS {
        let input = redes::schools::model::SchoolInput {
            country: "mx".into(),
            official_code: code.into(),
            name: name.into(),
            levels: level.into(),
            region: ZONE_STATE.into(),
            province: ZONE_MUNICIPALITY.into(),
            commune: locality.into(),
            shift: "matutino".into(),
            latitude: lat.to_string(),
            longitude: lon.to_string(),
            teachers: teachers.to_string(),
            classrooms: "8".into(),
            ..Default::default()
        };
        redes::schools::store::insert(&mut conn, &input.parse().unwrap())
            .await
            .unwrap();
    }
}

/// A zone supervisor of [`ZONE_MUNICIPALITY`].
pub fn zone_supervisor() -> Grant<'static> {
    Grant {
        role: "supervisor",
        scope_kind: "province",
        country: "mx",
        scope_name: ZONE_MUNICIPALITY,
        ..Default::default()
    }
}

#[derive(Clone, Copy, Default)]
pub struct Grant<'a> {
    pub role: &'a str,
    pub scope_kind: &'a str,
    pub country: &'a str,
    pub scope_name: &'a str,
    pub school_id: Option<i64>,
    pub network_id: Option<i64>,
}

pub fn grant<'a>(role: &'a str, scope_kind: &'a str, scope_name: &'a str) -> Grant<'a> {
    Grant {
        role,
        scope_kind,
        country: "cl",
        scope_name,
        ..Default::default()
    }
}

pub fn school_grant(role: &str, school_id: i64) -> Grant<'_> {
    Grant {
        role,
        scope_kind: "school",
        country: "cl",
        school_id: Some(school_id),
        ..Default::default()
    }
}

pub fn network_grant(role: &str, network_id: i64) -> Grant<'_> {
    Grant {
        role,
        scope_kind: "network",
        country: "cl",
        network_id: Some(network_id),
        ..Default::default()
    }
}

pub struct Response {
    pub status: StatusCode,
    /// Every response header (e.g. all `Set-Cookie` values).
    pub headers: axum::http::HeaderMap,
    pub location: Option<String>,
    pub content_type: String,
    pub body: String,
    /// The body as sent (a PDF, a workbook).
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Keeps cookies between requests, like a browser.
pub struct Client {
    router: Router,
    cookies: HashMap<String, String>,
}

impl Client {
    pub async fn send(&mut self, request: Request<Body>) -> Response {
        let mut request = request;
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            headers,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// The CSRF token (cookie), fetching a page first if needed.
    pub async fn csrf(&mut self) -> String {
        if !self.cookies.contains_key("redes_csrf") {
            self.get("/login").await;
        }
        self.cookies["redes_csrf"].clone()
    }

    /// Submits a form with the CSRF token added.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        self.post_form_raw(path, fields, Some(&csrf)).await
    }

    /// Submits a form with the CSRF token and extra headers (a source
    /// address, an origin).
    pub async fn post_form_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let csrf = self.csrf().await;
        let body = {
            let mut body = form_urlencoded::Serializer::new(String::new());
            for (k, v) in fields {
                body.append_pair(k, v);
            }
            body.append_pair("_csrf", &csrf);
            body.finish()
        };
        let mut builder =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form with one file (`multipart/form-data`), with the CSRF
    /// token as a part, as a browser sends a file upload.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        data: &[u8],
    ) -> Response {
        let csrf = self.csrf().await;
        let boundary = "----redes-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn post_form_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> Response {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        if let Some(token) = csrf {
            body.append_pair("_csrf", token);
        }
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.finish()))
            .unwrap();
        self.send(request).await
    }

    /// JSON call; with a session, the CSRF header is sent too.
    pub async fn json(
        &mut self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        bearer: Option<&str>,
    ) -> Response {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        } else if let Some(csrf) = self.cookies.get("redes_csrf") {
            builder = builder.header("x-csrf-token", csrf.clone());
        }
        let body = body
            .map(|b| Body::from(b.to_string()))
            .unwrap_or_else(Body::empty);
        self.send(builder.body(body).unwrap()).await
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Response {
        let response = self
            .post_form(
                "/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        response
    }

    pub fn has_session(&self) -> bool {
        self.cookies.contains_key("redes_session")
    }

    /// The value of a cookie the client holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }

    /// Sets (or with `None` drops) a cookie, e.g. to replay an old session.
    pub fn set_cookie(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(v) => self.cookies.insert(name.to_string(), v.to_string()),
            None => self.cookies.remove(name),
        };
    }

    /// A JSON request with exactly the given extra headers (no automatic CSRF header).
    pub async fn json_raw(
        &mut self,
        method: &str,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder.body(Body::from(body.to_string())).unwrap())
            .await
    }
}

impl Response {
    /// All `Set-Cookie` header values.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }
}

/// The contents of every table cell of a page, in order, whatever the
/// cell's attributes (`<td data-label="...">` on lists that stack on a
/// phone).
pub fn cells(html: &str) -> Vec<&str> {
    html.split("<td")
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .filter_map(|(_, cell)| cell.split("</td>").next())
        .collect()
}

/// Do these cells follow one another somewhere in the page's tables?
pub fn cells_in_a_row(html: &str, row: &[&str]) -> bool {
    cells(html).windows(row.len()).any(|w| w == row)
}
