//! The ceiling of the stack, for `scripts/bench.sh`: a bare axum server on
//! the same runtime settings as Redes, answering every GET with one fixed
//! page of about the size of a Redes page. Prints its address like
//! `redes serve` does, then serves until killed.
//!
//!     cargo run --release -p redes --example bench_minimal

use axum::response::Html;
use axum::routing::get;
use axum::Router;

/// About 6 KB of HTML, the size of a list page.
fn page() -> String {
    let rows: String = (1..=50)
        .map(|i| format!("<tr><td>{i}</td><td>Escuela {i}</td><td>Región</td></tr>\n"))
        .collect();
    format!("<!doctype html><html lang=\"es\"><title>Redes</title><table>{rows}</table></html>")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let body: &'static str = Box::leak(page().into_boxed_str());
    let app = Router::new().fallback(get(move || async move { Html(body) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
