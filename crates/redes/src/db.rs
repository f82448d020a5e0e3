//! Database pool and migrations for the two supported stores.
//!
//! We use sqlx's `Any` driver with runtime-checked queries: one set of SQL
//! serves SQLite and PostgreSQL. Placeholders are written `$1, $2, ...`,
//! which both backends accept. Booleans are stored as integers and timestamps
//! as ISO-8601 text, so decoding never depends on the backend. Only the DDL
//! differs, so migrations live in one folder per dialect.

use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::memo::Memo;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which store a pool talks to; only for the few places where SQL must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// A connection pool plus the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: writers queue here, holding no
    /// connection while they wait, so readers always find one.
    writer: Arc<Mutex<()>>,
    /// What is remembered between requests; every commit makes it stale.
    memo: Arc<Memo>,
}

/// A write transaction: every change to the store goes through one, so a
/// request never holds two connections and never half-writes. Dropped
/// without `commit`, it rolls back.
pub struct Write {
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
    memo: Arc<Memo>,
}

impl Write {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        self.memo.written();
        Ok(())
    }
}

impl Deref for Write {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl Db {
    /// Starts a write transaction. On SQLite it waits for its turn first
    /// (one writer per process) and takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so it cannot fail half-way on a lock upgrade;
    /// other processes (a CLI import) are waited for by `busy_timeout`.
    pub async fn write(&self) -> Result<Write, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Write {
                    tx,
                    _turn: Some(turn),
                    memo: self.memo.clone(),
                })
            }
            Backend::Postgres => Ok(Write {
                tx: self.pool.begin().await?,
                _turn: None,
                memo: self.memo.clone(),
            }),
        }
    }

    /// The value remembered under `key` since the last committed write
    /// (at most `memo::TTL` old), or `load`'s result, remembered. For reads
    /// that many requests repeat; see `memo`.
    pub async fn remember<T, E, F, Fut>(&self, key: String, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        self.memo.remember(key, load).await
    }
}

/// Opens the store, creating the SQLite file when missing.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url);
    let url = match backend {
        Backend::Sqlite if !url.contains("mode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        }
        _ => url.to_string(),
    };
    let options =
        AnyConnectOptions::from_str(&url).with_context(|| format!("invalid DATABASE_URL {url}"))?;
    // Every statement is logged (target `sqlx::query`, level debug) only
    // when asked: the page benchmark counts each page's queries this way.
    let options = if std::env::var_os("REDES_LOG_QUERIES").is_some() {
        options.log_statements(log::LevelFilter::Debug)
    } else {
        options.disable_statement_logging()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(pool_size(backend))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers proceed while one writer commits;
                    // NORMAL sync is safe under WAL and much faster.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open database {url}"))?;
    Ok(Db {
        pool,
        backend,
        writer: Arc::new(Mutex::new(())),
        memo: Arc::default(),
    })
}

/// Connections per pool, for this machine's cores (`DATABASE_POOL_SIZE`
/// overrides it). PostgreSQL: twice the cores plus one, the usual starting
/// point (a connection waits on I/O about half the time); more only queue
/// inside the server. SQLite: one connection writes at a time (see
/// `Db::write`) and the others read in parallel under WAL, each read using
/// a core, so twice the cores (at least 4) keep every core busy while one
/// connection writes. 2 cores: 5 and 4; 8 cores: 17 and 16.
pub fn pool_size(backend: Backend) -> u32 {
    if let Some(n) = std::env::var("DATABASE_POOL_SIZE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    match backend {
        Backend::Postgres => 2 * cores + 1,
        Backend::Sqlite => (2 * cores).max(4),
    }
}

/// Applies pending migrations for the pool's backend.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    let migrator = match db.backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.run(&db.pool).await.context("migrations failed")?;
    Ok(())
}

/// Online backup of a SQLite store into a new file (`VACUUM INTO`), safe
/// while the server runs. PostgreSQL is backed up with `pg_dump`.
pub async fn backup(db: &Db, path: &str) -> anyhow::Result<()> {
    match db.backend {
        Backend::Sqlite => {
            if std::path::Path::new(path).exists() {
                anyhow::bail!("{path} ya existe; elija otro nombre de archivo");
            }
            sqlx::query("VACUUM INTO $1")
                .bind(path)
                .execute(&db.pool)
                .await
                .context("backup failed")?;
            Ok(())
        }
        Backend::Postgres => anyhow::bail!(
            "Para PostgreSQL use pg_dump: pg_dump --format=custom --file={path} \"$DATABASE_URL\""
        ),
    }
}

/// A nullable `f64` bound identically on both stores. sqlx 0.8.6's `Any`
/// driver sends `None::<f64>` to PostgreSQL as a `float4` NULL (its mapping
/// of `Real` and `Double` nulls is swapped); a statement first prepared with
/// such a NULL is cached with a `float4` parameter and then rejects real
/// `f64` values ("incorrect binary data format"). `None::<f32>` maps to a
/// `float8` NULL, which matches.
#[derive(Debug, Clone, Copy)]
pub struct Float(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for Float {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Float {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

/// Current time as ISO-8601 text (UTC), the format every timestamp column uses.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The current calendar year (UTC).
pub fn current_year() -> i64 {
    time::OffsetDateTime::now_utc().year().into()
}

/// Today's date as `YYYY-MM-DD`.
pub fn today() -> String {
    now()[..10].to_string()
}
