//! RFC 9470 step-up: an API answers `401` with `error="insufficient_user_authentication"` and
//! the `acr_values` and/or `max_age` it needs in `WWW-Authenticate` (§3); the app signs the
//! user in again asking for them (§4: the same parameters on the authorization request).

/// What an API's step-up challenge asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepUp {
    /// `acr_values`, space-separated, in order of preference.
    pub acr_values: Option<String>,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
}

impl StepUp {
    /// The step-up a `WWW-Authenticate: Bearer ...` value asks for, if its `error` is
    /// `insufficient_user_authentication` (RFC 9470 §3).
    pub fn from_challenge(www_authenticate: &str) -> Option<Self> {
        let params = www_authenticate.trim().strip_prefix("Bearer")?;
        let mut step_up = Self::default();
        let mut is_step_up = false;
        for (name, value) in auth_params(params) {
            match name.as_str() {
                "error" => is_step_up = value == "insufficient_user_authentication",
                "acr_values" => step_up.acr_values = Some(value),
                "max_age" => step_up.max_age = value.parse().ok(),
                _ => {}
            }
        }
        is_step_up.then_some(step_up)
    }
}

/// The `name=value` pairs of a challenge (RFC 9110 §11.2 auth-params; values are tokens or
/// quoted strings).
fn auth_params(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let (value, tail) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        pairs.push((name, value));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9470_3_a_step_up_challenge_names_acr_values_and_max_age() {
        let header = "Bearer realm=\"todo\", error=\"insufficient_user_authentication\", \
                      error_description=\"A different authentication level is required\", \
                      acr_values=\"urn:keygate:acr:mfa\", max_age=\"300\"";
        let step_up = StepUp::from_challenge(header).unwrap_or_default();
        assert_eq!(step_up.acr_values.as_deref(), Some("urn:keygate:acr:mfa"));
        assert_eq!(step_up.max_age, Some(300));
        let scope = "Bearer realm=\"todo\", error=\"insufficient_scope\", scope=\"todo:write\"";
        assert_eq!(StepUp::from_challenge(scope), None, "other errors are not a step-up");
        let tokens = "Bearer error=insufficient_user_authentication, max_age=60";
        assert_eq!(StepUp::from_challenge(tokens).and_then(|s| s.max_age), Some(60));
        assert_eq!(StepUp::from_challenge("Basic realm=\"x\""), None);
    }
}
