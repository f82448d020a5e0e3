use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG")
                .unwrap_or_else(|_| EnvFilter::new("redes=info,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(error) = redes::cli::run(redes::cli::Cli::parse()).await {
        // The message chain, not a backtrace: this is read by people.
        eprintln!("Error: {}", redes::text::es(&format!("{error:#}")));
        std::process::exit(1);
    }
}
