//! Integration tests: a real Keygate on port 0, spoken to over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_changes;
mod admin_api;
mod authorize;
mod browser;
mod claims;
mod client_credentials;
mod cluster;
mod code_grant;
mod console;
mod cors;
mod device;
mod discovery;
mod federation;
mod health;
mod interop_clients;
mod interop_openidconnect;
mod introspection;
mod keys;
mod lockout;
mod logout;
mod metrics;
mod outbound;
mod pages;
mod private_key_jwt;
mod refresh;
mod registration;
mod revocation;
mod rich_authorization;
mod shutdown;
mod signin_log;
mod support;
mod throttle;
mod tls;
mod trusted_proxy;
