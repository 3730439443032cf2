//! `cargo run -p web-app`: see the crate docs and the README.

use std::net::SocketAddr;

use anyhow::Context;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn required(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| {
        format!("set {name}: register the app with `keygate clients create --type web ...` (see the README)")
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let port: u16 = env_or("PORT", &web_app::DEFAULT_PORT.to_string()).parse()?;
    let session_key = match std::env::var("SESSION_KEY") {
        Ok(text) => Some(web_app::seal::SessionKey::from_base64(&text)?),
        Err(_) => {
            println!(
                "SESSION_KEY not set: a new key is generated, so sessions end with the process"
            );
            None
        }
    };
    let config = web_app::Config {
        issuer: env_or("KEYGATE_ISSUER", "http://localhost:8080"),
        client_id: required("CLIENT_ID")?,
        client_secret: required("CLIENT_SECRET")?,
        app_url: env_or("APP_URL", &format!("http://localhost:{port}")),
        todo_api: env_or("TODO_API", "http://127.0.0.1:3002"),
        todo_audience: env_or("TODO_AUDIENCE", "http://localhost:3002/"),
        session_key,
        clock: web_app::system_clock(),
    };
    let app_url = config.app_url.clone();
    let app = web_app::WebApp::new(config).await?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("web-app on http://{addr}: open {app_url}/");
    axum::serve(listener, app.router()).await?;
    Ok(())
}
