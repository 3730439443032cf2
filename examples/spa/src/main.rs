//! `cargo run -p spa`: see the crate docs and the README.

use std::net::SocketAddr;

use anyhow::Context;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = env_or("PORT", &spa::DEFAULT_PORT.to_string()).parse()?;
    let config = spa::SpaConfig {
        issuer: env_or("KEYGATE_ISSUER", "http://localhost:8080"),
        client_id: std::env::var("CLIENT_ID").context(
            "set CLIENT_ID: register the app with `keygate clients create --type spa ...` (see the README)",
        )?,
        todo_api: env_or("TODO_API", "http://127.0.0.1:3002"),
        todo_audience: env_or("TODO_AUDIENCE", "http://localhost:3002/"),
        scope: spa::SCOPE.to_owned(),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("spa on http://{addr}: open http://localhost:{port}/");
    axum::serve(listener, spa::app(config)?).await?;
    Ok(())
}
