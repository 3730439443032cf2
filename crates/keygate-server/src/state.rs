//! The application state shared by every handler.

use std::sync::Arc;

use keygate_core::Provider;

use crate::oauth::discovery::metadata;
use crate::serving::{Serving, ServingState};
use crate::ui::Pages;
use crate::ui::cookies::CookieNames;

/// Everything a handler needs, behind one `Arc`: axum clones the state for every middleware
/// layer and handler of every request, and one reference count is the whole cost of that (a
/// struct of several `Arc`s and the outbound policy's lists cost about 3 µs per client
/// credentials token in atomic traffic and allocation; issue 22's profile).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Clone, Debug)]
pub struct Shared {
    /// The provider.
    pub provider: Arc<Provider>,
    /// The discovery document, serialized once.
    pub discovery_json: Arc<str>,
    /// The page templates.
    pub pages: Arc<Pages>,
    /// Cookie names and attributes for this issuer.
    pub cookies: CookieNames,
    /// Outgoing HTTP under the outbound policy (back-channel logout, JWKS, upstreams).
    pub http: crate::outbound::Outbound,
    /// Trusted proxies, HSTS and metrics.
    pub serving: Arc<ServingState>,
}

impl AppState {
    /// State around a provider.
    pub fn new(provider: Arc<Provider>) -> anyhow::Result<Self> {
        let settings = provider.settings();
        let pages =
            Pages::new(&settings.ui, &settings.mail.product_name, provider.catalogs().clone())?;
        let mut discovery = metadata(provider.settings());
        discovery.ui_locales_supported = pages.catalogs().tags();
        discovery.claims_locales_supported = pages.catalogs().tags();
        let discovery_json = serde_json::to_string(&discovery)?.into();
        let cookies = CookieNames::for_issuer(provider.issuer());
        let policy = crate::outbound::OutboundPolicy::for_settings(provider.settings())?;
        let http = crate::outbound::Outbound::new(policy)?;
        let fetcher = crate::oauth::jwks_fetch::HttpJwksFetcher(http.clone());
        provider.remote_jwks().set_fetcher(Arc::new(fetcher));
        let upstream = crate::oauth::upstream_http::HttpUpstream(http.clone());
        provider.federation().set_http(Arc::new(upstream));
        let serving = Arc::new(ServingState::new(provider.issuer(), &Serving::default()));
        Ok(Self(Arc::new(Shared { provider, discovery_json, pages, cookies, http, serving })))
    }

    /// The same state with these serving settings (trusted proxies, HSTS, metrics).
    pub fn with_serving(mut self, serving: &Serving) -> Self {
        let serving = Arc::new(ServingState::new(self.provider.issuer(), serving));
        Arc::make_mut(&mut self.0).serving = serving;
        self
    }
}
