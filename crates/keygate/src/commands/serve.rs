//! `keygate serve`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use keygate_core::SystemClock;
use keygate_server::boot::open_provider;
use keygate_server::serving::metrics::PATH as METRICS;
use keygate_server::serving::{MetricsExposure, Tls};
use keygate_server::{AppState, Config, ServeOptions};
use tokio::net::TcpListener;

/// Starts the server and runs until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    // Start-up time is a duration, not a protocol time: the injected clock does not apply.
    #[allow(clippy::disallowed_methods)]
    let started = std::time::Instant::now();
    let tls = config.serving.tls.clone().map(Tls::load).transpose()?;
    let (provider, store) = open_provider(&config, Arc::new(SystemClock)).await?;
    let mail = keygate_server::mail::install(&provider, &config.mail)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let metrics_listener = bind_metrics(&config).await?;
    let clients = provider.store().list_clients().await?.len();
    let users = provider.store().list_users().await?.len();
    let state = AppState::new(provider.clone())?.with_serving(&config.serving);
    let reload = tls.clone().map(reload_on_sighup);
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "Keygate listening on {scheme}://{addr} (issuer {}, database {}, ready in {} ms)",
        config.settings.issuer,
        config.database_display(),
        started.elapsed().as_millis()
    );
    match (&metrics_listener, config.serving.metrics) {
        (Some(metrics), _) => println!("Metrics: http://{}{METRICS}", metrics.local_addr()?),
        (None, MetricsExposure::Main) => println!("Metrics: {scheme}://{addr}{METRICS}"),
        _ => {}
    }
    println!("Discovery: {}/.well-known/openid-configuration", config.settings.issuer);
    println!("Mail: {mail}");
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
    let options = ServeOptions {
        tls,
        metrics_listener,
        drain_timeout: Some(config.drain_timeout),
        ..ServeOptions::default()
    };
    keygate_server::serve_with(listener, state, options, shutdown_signal()).await?;
    if let Some(task) = reload {
        task.abort();
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The listener of `[metrics] listen`, if set.
async fn bind_metrics(config: &Config) -> anyhow::Result<Option<TcpListener>> {
    let MetricsExposure::Separate(at) = config.serving.metrics else { return Ok(None) };
    let listener = TcpListener::bind(at)
        .await
        .with_context(|| format!("cannot listen for metrics on {at}"))?;
    Ok(Some(listener))
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

/// Re-reads the TLS certificate and key on SIGHUP (they are also watched for changes). The
/// handler is installed before this returns, so a SIGHUP sent once the start-up line is out
/// never meets the default action (ending the process).
fn reload_on_sighup(tls: Arc<Tls>) -> tokio::task::JoinHandle<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangup = match signal(SignalKind::hangup()) {
            Ok(hangup) => hangup,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGHUP");
                return tokio::spawn(async {});
            }
        };
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                match tls.reload() {
                    Ok(()) => tracing::info!("TLS certificate reloaded (SIGHUP)"),
                    Err(e) => tracing::warn!(
                        error = %format!("{e:#}"),
                        "SIGHUP: the TLS files cannot be used; the current certificate stays"
                    ),
                }
            }
        })
    }
    #[cfg(not(unix))]
    {
        drop(tls);
        tokio::spawn(async {})
    }
}
