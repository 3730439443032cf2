//! `cargo run -p private-api`: see the crate docs and the README.

use std::net::SocketAddr;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = env_or("PORT", &private_api::DEFAULT_PORT.to_string()).parse()?;
    let issuer = env_or("KEYGATE_ISSUER", "http://localhost:8080");
    let audience = env_or("API_AUDIENCE", &format!("http://localhost:{port}/"));
    let public_url = env_or("PUBLIC_URL", &format!("http://127.0.0.1:{port}"));
    let (validator, metadata) = private_api::protect(&issuer, &audience, &public_url).await?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("private-api on http://{addr} (audience {audience}, issuer {issuer})");
    axum::serve(listener, private_api::app(validator, metadata)).await?;
    Ok(())
}
