//! Ready-made upstreams that need only Keygate's client id and secret at the provider.

use super::{ClaimMapping, TokenAuth, UpstreamKind, UpstreamProvider};

/// The preset names.
pub const PRESETS: [&str; 5] = ["google", "microsoft", "facebook", "github", "gitlab"];

/// Microsoft's issuer for one tenant, or for any (`common`, `organizations`, `consumers`).
fn microsoft_issuer(tenant: &str) -> String {
    format!("https://login.microsoftonline.com/{tenant}/v2.0")
}

/// The provider for preset `name` with id `name`; `tenant` only applies to Microsoft (default
/// `common`). `None` for an unknown preset.
pub fn preset(name: &str, client_id: &str, tenant: Option<&str>) -> Option<UpstreamProvider> {
    let oidc = |issuer: &str| UpstreamKind::Oidc { issuer: issuer.to_owned() };
    let mut provider = match name {
        "google" => {
            UpstreamProvider::new(name, "Google", oidc("https://accounts.google.com"), client_id)
        }
        "microsoft" => UpstreamProvider::new(
            name,
            "Microsoft",
            oidc(&microsoft_issuer(tenant.unwrap_or("common"))),
            client_id,
        ),
        "gitlab" => UpstreamProvider::new(name, "GitLab", oidc("https://gitlab.com"), client_id),
        "github" => {
            let kind = UpstreamKind::Oauth2 {
                authorization_endpoint: "https://github.com/login/oauth/authorize".into(),
                token_endpoint: "https://github.com/login/oauth/access_token".into(),
                userinfo_endpoint: "https://api.github.com/user".into(),
                emails_endpoint: Some("https://api.github.com/user/emails".into()),
            };
            let mut p = UpstreamProvider::new(name, "GitHub", kind, client_id);
            p.scopes = vec!["read:user".into(), "user:email".into()];
            p.token_auth = TokenAuth::ClientSecretPost;
            p
        }
        "facebook" => {
            let graph = "https://graph.facebook.com/v19.0";
            let kind = UpstreamKind::Oauth2 {
                authorization_endpoint: "https://www.facebook.com/v19.0/dialog/oauth".into(),
                token_endpoint: format!("{graph}/oauth/access_token"),
                userinfo_endpoint: format!(
                    "{graph}/me?fields=id,name,email,first_name,last_name,picture"
                ),
                emails_endpoint: None,
            };
            let mut p = UpstreamProvider::new(name, "Facebook", kind, client_id);
            p.scopes = vec!["email".into(), "public_profile".into()];
            p.token_auth = TokenAuth::ClientSecretPost;
            p.mapping = ClaimMapping {
                subject: "id".into(),
                email: Some("email".into()),
                email_verified: None,
                name: Some("name".into()),
                given_name: Some("first_name".into()),
                family_name: Some("last_name".into()),
                preferred_username: None,
                picture: Some("picture.data.url".into()),
            };
            p
        }
        _ => return None,
    };
    provider.preset = Some(name.to_owned());
    Some(provider)
}
