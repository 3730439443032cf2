//! `cargo run -p mcp-server`: see the crate docs and the README.

use std::net::SocketAddr;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = env_or("PORT", &mcp_server::DEFAULT_PORT.to_string()).parse()?;
    let issuer = env_or("KEYGATE_ISSUER", "http://localhost:8080");
    let resource = env_or("MCP_RESOURCE", &format!("http://127.0.0.1:{port}/mcp"));
    let (validator, metadata) = mcp_server::protect(&issuer, &resource).await?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("MCP server at {resource} (issuer {issuer})");
    axum::serve(listener, mcp_server::app(validator, metadata)).await?;
    Ok(())
}
