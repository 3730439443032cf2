//! The "private API" of the classic guide: `GET /public` answers anyone; `GET /private` answers
//! only a request with a valid access token for this API, and says why not otherwise
//! (RFC 6750). `GET /.well-known/oauth-protected-resource` tells clients where to get one
//! (RFC 9728).

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use keygate_resource::{
    BearerLayer, Caller, ProtectedResourceMetadata, Validator, metadata_router,
};
use serde_json::{Value, json};

/// Where the API listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3001;

/// The application, given this API's validator and metadata.
pub fn app(validator: Arc<Validator>, metadata: ProtectedResourceMetadata) -> Router {
    let private = Router::new().route("/private", get(private)).layer(BearerLayer::new(validator));
    Router::new().route("/public", get(public)).merge(private).merge(metadata_router(metadata))
}

async fn public() -> Json<Value> {
    Json(
        json!({ "message": "Hello from a public endpoint! You don't need to be authenticated to see this." }),
    )
}

async fn private(caller: Caller) -> Json<Value> {
    tracing::info!(sub = %caller.sub, "private message read");
    Json(json!({ "message": "Only authenticated users can read this message" }))
}

/// The validator and metadata for `audience` protected by `issuer`, for an API that clients
/// call at `public_url` (where DPoP proofs point, RFC 9449 §4.2 `htu`).
pub async fn protect(
    issuer: &str,
    audience: &str,
    public_url: &str,
) -> anyhow::Result<(Arc<Validator>, ProtectedResourceMetadata)> {
    let metadata = ProtectedResourceMetadata::new(audience, issuer, &[]);
    let validator = Validator::builder(issuer, audience)
        .realm("private-api")
        .public_url(public_url)
        .resource_metadata(metadata.url())
        .build()
        .await?;
    Ok((Arc::new(validator), metadata))
}
