//! The `redes` command: subcommands and their implementations.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db::{self, Db};
use crate::{app, AppState};

#[derive(Parser)]
#[command(
    name = "redes",
    version,
    about = "Redes: plataforma de trabajo de las redes de mejoramiento escolar"
)]
pub struct Cli {
    /// Database: sqlite://FILE (default sqlite://redes.db) or postgres://...
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Mark cookies Secure (when served behind HTTPS).
    #[arg(
        long,
        env = "REDES_SECURE_COOKIES",
        global = true,
        default_value_t = false
    )]
    pub secure_cookies: bool,
    /// Directory of the practices' search index (default: beside the SQLite
    /// file, FILE-search; with PostgreSQL, ./search-index). Rebuilt from the
    /// database when missing.
    #[arg(long, env = "REDES_SEARCH_DIR", global = true)]
    pub search_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web application.
    Serve {
        #[arg(long, env = "REDES_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Create (or re-create) a SQLite file with demo data from the seeds, then serve it.
    Demo {
        #[arg(long, env = "REDES_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The demo's SQLite file; it is replaced on every run.
        #[arg(long, default_value = "redes-demo.db")]
        file: PathBuf,
        /// Chile's official directory to import first (skipped if absent).
        #[arg(
            long,
            env = "REDES_CHILE_DIRECTORY",
            default_value = "../shared/data/chile/directorio_oficial_ee_2025.csv"
        )]
        chile_directory: PathBuf,
        /// Load the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Import data.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Online backup of the SQLite store into a new file.
    Backup { path: PathBuf },
    /// Encounter planning between schools (seed 003) on files.
    Plan {
        #[command(subcommand)]
        what: PlanCommand,
    },
}

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Plan clusters, hosts, groups and coordinators for the schools of a CSV
    /// (Redes' planner format or SEP's CCT catalogue).
    Encuentros {
        #[arg(long)]
        input: PathBuf,
        /// plan.json, plan.csv or plan.html
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a plan (also one edited by hand) against every rule.
    Validate { plan: PathBuf },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Schools from CSV or Excel (.xlsx): Chile's official directory as published, or Redes' own columns.
    Schools {
        file: PathBuf,
        /// Import the valid rows and report the invalid ones (default: import nothing if any row is invalid).
        #[arg(long)]
        skip_invalid: bool,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an administrator. The password is read from standard input (or REDES_PASSWORD).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = |addr| {
        let mut config = Config::new(cli.database_url.clone(), addr, cli.secure_cookies);
        if let Some(dir) = &cli.search_dir {
            config.search_dir = dir.clone();
        }
        config
    };
    let default_addr: SocketAddr = "127.0.0.1:8080".parse()?;
    match &cli.command {
        Command::Serve { addr } => {
            let config = config(*addr);
            let db = open(&config.database_url).await?;
            serve(db, config).await
        }
        Command::Demo {
            addr,
            file,
            chile_directory,
            no_serve,
        } => {
            let (db, config) = demo(file, chile_directory, config(*addr)).await?;
            if *no_serve {
                return Ok(());
            }
            serve(db, config).await
        }
        Command::Migrate => {
            let db = open(&config(default_addr).database_url).await?;
            println!("Migraciones aplicadas ({:?}).", db.backend);
            Ok(())
        }
        Command::Import {
            what: ImportCommand::Schools { file, skip_invalid },
        } => {
            let db = open(&config(default_addr).database_url).await?;
            import_schools(&db, file, *skip_invalid).await
        }
        Command::User {
            what: UserCommand::Add { username, name },
        } => {
            let db = open(&config(default_addr).database_url).await?;
            add_admin(&db, username, name).await
        }
        Command::Plan {
            what: PlanCommand::Encuentros { input, out },
        } => crate::encounters::cli::plan_file(input, out),
        Command::Plan {
            what: PlanCommand::Validate { plan },
        } => {
            let violations = crate::encounters::cli::validate_file(plan)?;
            if violations > 0 {
                anyhow::bail!("{violations} incumplimientos");
            }
            Ok(())
        }
        Command::Backup { path } => {
            let db = open(&config(default_addr).database_url).await?;
            let started = Instant::now();
            db::backup(&db, &path.to_string_lossy()).await?;
            println!(
                "Respaldo escrito en {} ({:.1?}).",
                path.display(),
                started.elapsed()
            );
            Ok(())
        }
    }
}

async fn open(url: &str) -> anyhow::Result<Db> {
    let db = db::connect(url).await?;
    db::migrate(&db).await?;
    Ok(db)
}

async fn serve(db: Db, config: Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("no se pudo escuchar en {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = ?db.backend, "serving");
    println!("Redes está funcionando en http://{addr}/  (Ctrl+C para detener)");
    let state = AppState::new(db, config);
    // Opened (and rebuilt if missing or outdated) before the first request,
    // so no visitor waits for it.
    crate::practices::search::open(&state).await?;
    // The peer address feeds login throttling per source.
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    Ok(())
}

async fn demo(
    file: &std::path::Path,
    directory: &std::path::Path,
    mut config: Config,
) -> anyhow::Result<(Db, Config)> {
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot replace {}", path.display()))?;
        }
    }
    let default_dir = crate::config::default_search_dir(&config.database_url);
    config.database_url = format!("sqlite://{}", file.display());
    if config.search_dir == default_dir {
        config.search_dir = crate::config::default_search_dir(&config.database_url);
        // The database is new, so is its index (rebuilt on start). Only the
        // directory Redes named itself is removed, never one given by hand.
        if config.search_dir.exists() {
            std::fs::remove_dir_all(&config.search_dir)
                .with_context(|| format!("cannot replace {}", config.search_dir.display()))?;
        }
    }
    let started = Instant::now();
    let db = open(&config.database_url).await?;
    let directory_text = match std::fs::read_to_string(directory) {
        Ok(text) => Some(text),
        Err(_) => {
            println!(
                "(No se encontró {}; la demo se carga sin el directorio completo de Chile.)",
                directory.display()
            );
            None
        }
    };
    let loaded = crate::demo::load(&db, directory_text.as_deref()).await?;
    println!(
        "Datos de demostración cargados en {} ({:.1?}).",
        file.display(),
        started.elapsed()
    );
    if loaded.directory_rows > 0 {
        println!(
            "Directorio oficial de Chile: {} establecimientos.",
            loaded.directory_rows
        );
    }
    println!(
        "Cuentas de demostración (contraseña: {}):",
        crate::demo::DEMO_PASSWORD
    );
    for p in &loaded.people {
        println!("  {:<20} {} — {}", p.username, p.full_name, p.role_es);
    }
    Ok((db, config))
}

async fn import_schools(db: &Db, file: &std::path::Path, skip_invalid: bool) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("no se pudo leer {}", file.display()))?;
    let started = Instant::now();
    let is_excel = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let text = if is_excel {
        crate::schools::import::xlsx_to_csv(&bytes)?
    } else {
        crate::schools::import::decode(&bytes)?
    };
    match crate::schools::import::import(db, &text, skip_invalid).await {
        Ok(report) => {
            println!(
                "{} filas: {} escuelas nuevas, {} actualizadas, {} omitidas ({:.2?}).",
                report.rows,
                report.inserted,
                report.updated,
                report.skipped.len(),
                started.elapsed()
            );
            for e in &report.skipped {
                println!("  línea {}: {}", e.line, e.reason);
            }
            Ok(())
        }
        Err(crate::schools::import::ImportError::InvalidRows(errors)) => {
            for e in &errors {
                eprintln!("línea {}: {}", e.line, e.reason);
            }
            anyhow::bail!(
                "{} filas con errores; no se importó nada. Corrija el archivo o use --skip-invalid para importar solo las filas válidas.",
                errors.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_admin(db: &Db, username: &str, name: &str) -> anyhow::Result<()> {
    let password = match std::env::var("REDES_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!(
                "Escriba la contraseña (mínimo {} caracteres) y presione Enter:",
                crate::people::MIN_PASSWORD
            );
            let mut line = String::new();
            std::io::stdin().take(1024).read_to_string(&mut line)?;
            line.lines().next().unwrap_or_default().to_string()
        }
    };
    let input = crate::people::PersonInput {
        full_name: name.into(),
        username: username.into(),
        password,
        email: String::new(),
    };
    let mut person = input.parse().map_err(|errors| {
        anyhow::anyhow!(errors
            .iter()
            .map(|(f, m)| format!("{f}: {m}"))
            .collect::<Vec<_>>()
            .join("; "))
    })?;
    person.is_admin = true;
    let mut conn = db.pool.acquire().await?;
    let id = crate::people::insert(&mut conn, &person)
        .await
        .map_err(|e| match e {
            crate::error::StoreError::Invalid { message, .. } => anyhow::anyhow!(message),
            other => anyhow::anyhow!(other),
        })?;
    println!("Administrador «{username}» creado (id {id}).");
    Ok(())
}
