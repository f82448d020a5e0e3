//! The store and the `redes serve` process the probe kills, and a plain
//! HTTP client for talking to it.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use axum::body::Bytes;
use axum::http::{header, Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

use crate::common;

/// A fresh store: a SQLite file in a temp dir, or a PostgreSQL schema that
/// is dropped when the probe ends, also when it fails.
pub struct Store {
    pub name: &'static str,
    pub url: String,
    pub schema: Option<String>,
    pub dir: tempfile::TempDir,
}

impl Store {
    pub fn sqlite() -> Store {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("redes.db").display());
        Store {
            name: "sqlite",
            url,
            schema: None,
            dir,
        }
    }

    pub async fn postgres() -> Store {
        let schema = format!("durability_{}", &redes::auth::random_token()[..12]);
        let admin = redes::db::connect(&common::postgres_url())
            .await
            .expect("PostgreSQL for tests (set REDES_TEST_POSTGRES)");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin.pool)
            .await
            .expect("create schema");
        admin.pool.close().await;
        let base = common::postgres_url();
        let sep = if base.contains('?') { '&' } else { '?' };
        Store {
            name: "postgres",
            // Named, so that `settle` can see the killed server's sessions.
            url: format!(
                "{base}{sep}options=-c%20search_path%3D{schema}&application_name={schema}"
            ),
            schema: Some(schema),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Waits until PostgreSQL has ended every session of a killed server: a
    /// COMMIT it sent just before dying may still be applied until then, and
    /// a check made earlier would miss it.
    pub async fn settle(&self) {
        let Some(schema) = &self.schema else {
            return;
        };
        let admin = redes::db::connect(&common::postgres_url())
            .await
            .expect("connect");
        for _ in 0..200 {
            let left: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1",
            )
            .bind(schema)
            .fetch_one(&admin.pool)
            .await
            .expect("pg_stat_activity");
            if left == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        admin.pool.close().await;
    }

    pub fn log(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(db) = redes::db::connect(&common::postgres_url()).await {
                    let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                        .execute(&db.pool)
                        .await;
                    db.pool.close().await;
                }
            });
        })
        .join()
        .ok();
    }
}

/// The `redes serve` process. Its stdout stays open: the server would fail
/// on a closed pipe if it ever printed again.
pub struct Server {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub base: String,
}

impl Server {
    /// Starts on port 0 and reads the address the server prints once it
    /// listens, so no port is guessed and none can be taken meanwhile.
    pub async fn start(store: &Store) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(store.log())
            .expect("server log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_redes"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("DATABASE_URL", &store.url)
            .env("REDES_SEARCH_DIR", store.dir.path().join("search"))
            .env("RUST_LOG", "redes=warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start redes serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).await.expect("read stdout");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| {
                panic!(
                    "the server did not start: {line:?}\n{}",
                    log_errors(&store.log()).join("\n")
                )
            });
        Server {
            base: format!("http://{addr}"),
            child,
            _stdout: stdout,
        }
    }

    /// SIGKILL: no graceful shutdown, no flush, as in a power cut of the process.
    pub async fn kill(mut self) {
        self.child.start_kill().expect("kill");
        self.child.wait().await.expect("reap");
    }
}

/// The lines of the server log that report errors (the 500s' causes).
pub fn log_errors(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("ERROR"))
        .map(str::to_string)
        .collect()
}

pub type Http = Client<HttpConnector, Full<Bytes>>;

pub fn http() -> Http {
    Client::builder(TokioExecutor::new()).build_http()
}

/// `None` when the connection broke before a whole answer arrived: the
/// write's outcome is then unknown.
pub async fn send(
    http: &Http,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, Value)> {
    let mut req = Request::builder()
        .method(method)
        .uri(url)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let bytes = body.map(|b| b.to_string()).unwrap_or_default();
    let req = req.body(Full::new(Bytes::from(bytes))).expect("request");
    let resp = http.request(req).await.ok()?;
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.ok()?.to_bytes();
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()));
    Some((status, value))
}
