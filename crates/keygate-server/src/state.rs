//! The application state shared by every handler.

use std::sync::Arc;

use keygate_core::Provider;

use crate::oauth::discovery::metadata;

/// Everything a handler needs: the provider and documents computed once at start.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The provider.
    pub provider: Arc<Provider>,
    /// The discovery document, serialized once.
    pub discovery_json: Arc<str>,
}

impl AppState {
    /// State around a provider.
    pub fn new(provider: Arc<Provider>) -> anyhow::Result<Self> {
        let discovery_json = serde_json::to_string(&metadata(provider.issuer()))?.into();
        Ok(Self { provider, discovery_json })
    }
}
