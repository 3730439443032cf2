//! The listeners of one server: the main one (plain TCP or TLS) and the optional metrics one,
//! stopped together, with a deadline for in-flight requests.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::ServeOptions;
use crate::AppState;

/// How long in-flight requests may run after the shutdown signal. Keygate's requests take
/// milliseconds; this bounds a client that never finishes its request or never answers an
/// HTTP/2 GOAWAY, which would otherwise hold the process forever.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `state` on `listener` (and metrics, if asked) until `shutdown`, then drains.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let signal = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let mut tasks = Vec::new();
    if let Some(metrics) = options.metrics_listener {
        let app = super::metrics::router(state.clone());
        let stopping = signal();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, app).with_graceful_shutdown(stopping).await {
                tracing::warn!(error = %e, "the metrics listener stopped");
            }
        }));
    }
    tasks.push(tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    }));
    let app = crate::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let serving = async {
        match options.tls {
            None => axum::serve(listener, app).with_graceful_shutdown(signal()).await,
            Some(tls) => {
                tasks.push(tls.spawn_watch(options.tls_poll.unwrap_or(super::tls::POLL_INTERVAL)));
                // `tap_io` only so that axum gives `ConnectInfo<SocketAddr>` here too.
                let listener = tls.listener(listener).tap_io(|_| {});
                axum::serve(listener, app).with_graceful_shutdown(signal()).await
            }
        }
    };
    let drain = options.drain_timeout.unwrap_or(DRAIN_TIMEOUT);
    let deadline = signal();
    let result = tokio::select! {
        result = serving => result,
        () = async { deadline.await; tokio::time::sleep(drain).await } => {
            tracing::warn!(seconds = drain.as_secs_f64(), "requests still running at the deadline were dropped");
            Ok(())
        }
    };
    for task in tasks {
        task.abort();
    }
    result
}
