//! `cargo run -p todo-api`: see the crate docs and the README.

use std::net::SocketAddr;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = env_or("PORT", &todo_api::DEFAULT_PORT.to_string()).parse()?;
    let issuer = env_or("KEYGATE_ISSUER", "http://localhost:8080");
    let audience = env_or("API_AUDIENCE", &format!("http://localhost:{port}/"));
    let (validator, metadata) = todo_api::protect(&issuer, &audience).await?;
    // Origins of browser apps allowed to call the API (CORS), comma-separated.
    let origins = env_or("ALLOWED_ORIGINS", "");
    let origins: Vec<&str> = origins.split(',').map(str::trim).filter(|o| !o.is_empty()).collect();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("todo-api on http://{addr} (audience {audience}, issuer {issuer}, CORS {origins:?})");
    let app = todo_api::app(validator, metadata).layer(todo_api::cors(&origins)?);
    axum::serve(listener, app).await?;
    Ok(())
}
