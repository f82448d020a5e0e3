//! Runtime configuration, from command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the data lives and how the server listens.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://path` (embedded default) or `postgres://...` (production).
    pub database_url: String,
    /// Address `redes serve` binds to.
    pub addr: SocketAddr,
    /// Mark session cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// Directory of the full-text index of good practices (`REDES_SEARCH_DIR`).
    /// It can always be rebuilt from the database, so losing it loses nothing.
    pub search_dir: PathBuf,
}

/// The SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://redes.db";

impl Config {
    pub fn new(database_url: Option<String>, addr: SocketAddr, secure_cookies: bool) -> Self {
        let database_url = database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        Config {
            search_dir: default_search_dir(&database_url),
            database_url,
            addr,
            secure_cookies,
        }
    }
}

/// Next to the SQLite file (`redes.db` → `redes.db-search`), so a copy of
/// the data directory carries its index; with PostgreSQL, `search-index-`
/// and a digest of the URL in the working directory. Either way two
/// databases never share an index (a server holds its index's lock).
pub fn default_search_dir(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|path| !path.is_empty() && !path.contains(":memory:"));
    match file {
        Some(path) => PathBuf::from(format!("{path}-search")),
        None => {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(database_url.as_bytes());
            let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
            PathBuf::from(format!("search-index-{short}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lives_beside_the_sqlite_file() {
        assert_eq!(
            default_search_dir("sqlite:///var/lib/redes/redes.db?mode=rwc"),
            PathBuf::from("/var/lib/redes/redes.db-search")
        );
        assert_eq!(
            default_search_dir("sqlite://redes.db"),
            PathBuf::from("redes.db-search")
        );
        let pg = default_search_dir("postgres://u@localhost/redes");
        assert!(pg.to_string_lossy().starts_with("search-index-"), "{pg:?}");
        assert_ne!(pg, default_search_dir("postgres://u@localhost/other"));
    }
}
