//! Runtime configuration, from command-line flags and environment variables.

use std::net::SocketAddr;

/// Where the data lives and how the server listens.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://path` (embedded default) or `postgres://...` (production).
    pub database_url: String,
    /// Address `redes serve` binds to.
    pub addr: SocketAddr,
    /// Mark session cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
}

/// The SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://redes.db";

impl Config {
    pub fn new(database_url: Option<String>, addr: SocketAddr, secure_cookies: bool) -> Self {
        Config {
            database_url: database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            addr,
            secure_cookies,
        }
    }
}
