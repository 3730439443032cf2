//! Graceful shutdown: a request in flight when the signal comes is answered; a client that
//! never finishes its request cannot hold the server past the drain deadline.

use std::time::Duration;

use keygate_testkit::{Serve, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEAD: &str = "POST /token HTTP/1.1\r\nHost: keygate\r\n\
                    Content-Type: application/x-www-form-urlencoded\r\n\
                    Content-Length: 29\r\n\r\ngrant_type=client_";

/// A server whose in-flight requests get `drain` after shutdown, and a connection that has
/// sent all but the end of a token request.
async fn half_sent_request(drain: Duration) -> (TestApp, TcpStream) {
    let serve = Serve { drain_timeout: Some(drain), ..Default::default() };
    let app = TestApp::spawn_serving(serve, |_| {}).await;
    let mut stream = TcpStream::connect(app.issuer.trim_start_matches("http://")).await.unwrap();
    stream.write_all(HEAD.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    (app, stream)
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    let (app, mut stream) = half_sent_request(Duration::from_secs(30)).await;
    let stopping = tokio::spawn(app.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!stopping.is_finished(), "the server waits for the request in flight");
    stream.write_all(b"credentials").await.unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "answered (no client credentials): {answer}");
    let stopped = tokio::time::timeout(Duration::from_secs(5), stopping).await;
    assert!(stopped.unwrap().unwrap().is_ok(), "then the server stops");
}

#[tokio::test]
async fn a_stuck_client_cannot_hold_shutdown_past_the_drain_deadline() {
    let (app, _stream) = half_sent_request(Duration::from_millis(300)).await;
    let stopped = tokio::time::timeout(Duration::from_secs(5), app.stop()).await;
    assert!(stopped.expect("stopped within the deadline").is_ok());
}
