//! `keygate serve`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use keygate_core::SystemClock;
use keygate_server::boot::open_provider;
use keygate_server::{AppState, Config};
use tokio::net::TcpListener;

/// Starts the server and runs until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    // Start-up time is a duration, not a protocol time: the injected clock does not apply.
    #[allow(clippy::disallowed_methods)]
    let started = std::time::Instant::now();
    let (provider, store) = open_provider(&config, Arc::new(SystemClock)).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let clients = provider.store().list_clients().await?.len();
    let users = provider.store().list_users().await?.len();
    let state = AppState::new(provider.clone())?;
    println!(
        "Keygate listening on http://{addr} (issuer {}, database {}, ready in {} ms)",
        config.settings.issuer,
        config.database_display(),
        started.elapsed().as_millis()
    );
    println!("Discovery: {}/.well-known/openid-configuration", config.settings.issuer);
    if clients == 0 {
        println!(
            "No applications yet. Register one with:\n  keygate clients create --name demo --type m2m"
        );
    }
    if users == 0 {
        // First start: an administrator to sign in to the console with.
        let admin = keygate_core::admin::Admin::new(provider.store(), provider.clock());
        let made = admin
            .bootstrap("admin", "admin@keygate.localhost", None, &config.settings.passwords)
            .await;
        match made {
            Ok(Some(made)) => super::apis::print_admin_sign_in(
                &config,
                &made.user.username,
                Some(made.password.expose_secret()),
            ),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not create the first administrator"),
        }
    } else {
        println!("Admin console: {}/admin", config.settings.issuer);
    }
    keygate_server::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
