//! DPoP-bound access tokens at the API (RFC 9449 §7): `Authorization: DPoP <token>` with a
//! `DPoP` proof for this request, signed by the key the token names in `cnf.jkt`.

use serde_json::Value;

use crate::{Caller, Error, Validator};

/// The scheme an access token came with (RFC 6750 §2.1, RFC 9449 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer`.
    Bearer,
    /// `Authorization: DPoP`.
    Dpop,
}

/// What a request presents: its `Authorization` and `DPoP` headers, method and path.
#[derive(Debug, Clone, Copy)]
pub struct Presentation<'a> {
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `DPoP` header (more than one is refused before this).
    pub dpop: Option<&'a str>,
    /// The request's method (`htm`).
    pub method: &'a str,
    /// The request's path below [`crate::ValidatorBuilder::public_url`] (`htu`).
    pub path: &'a str,
}

/// The token and its scheme from an `Authorization` header.
pub(crate) fn token_of(authorization: Option<&str>) -> Result<(&str, Scheme), Error> {
    let Some(value) = authorization else { return Err(Error::MissingToken) };
    let (scheme, token) =
        value.split_once(' ').filter(|(_, token)| !token.trim().is_empty()).ok_or_else(|| {
            Error::InvalidRequest("the Authorization header is not <scheme> <token>".into())
        })?;
    let scheme = if scheme.eq_ignore_ascii_case("bearer") {
        Scheme::Bearer
    } else if scheme.eq_ignore_ascii_case("dpop") {
        Scheme::Dpop
    } else {
        return Err(Error::InvalidRequest("the Authorization scheme is not Bearer or DPoP".into()));
    };
    Ok((token.trim(), scheme))
}

/// The `cnf.jkt` of a caller's token, if it is DPoP-bound.
fn bound_key(caller: &Caller) -> Option<&str> {
    caller.claims.get("cnf")?.get("jkt").and_then(Value::as_str)
}

impl Validator {
    /// Validates a request's token as it was presented: a bearer token as `Bearer`; a
    /// DPoP-bound one only as `DPoP`, with a proof for this method and URL carrying the token's
    /// hash (`ath`), by the bound key, not seen before (RFC 9449 §7.1, §7.2, §11.1).
    pub async fn validate_request(&self, request: Presentation<'_>) -> Result<Caller, Error> {
        let (token, scheme) = token_of(request.authorization)?;
        let caller = self.validate(token).await?;
        match (scheme, bound_key(&caller)) {
            (Scheme::Bearer, None) => Ok(caller),
            (Scheme::Bearer, Some(_)) => Err(Error::InvalidToken(
                "the token is DPoP-bound: present it with the DPoP scheme and a proof".into(),
            )),
            (Scheme::Dpop, None) => Err(Error::InvalidToken("the token is not DPoP-bound".into())),
            (Scheme::Dpop, Some(jkt)) => {
                let proof = request
                    .dpop
                    .ok_or_else(|| Error::InvalidDpopProof("a DPoP proof is required".into()))?;
                let htu = format!("{}{}", self.public_url, request.path);
                let checked =
                    keygate_dpop::check_proof(proof, request.method, &htu, self.now(), Some(token))
                        .map_err(|why| Error::InvalidDpopProof(why.into_owned()))?;
                if checked.jkt != jkt {
                    return Err(Error::InvalidDpopProof(
                        "the proof's key is not the one the token is bound to".into(),
                    ));
                }
                if !self.replay.first_use(&checked, self.now()) {
                    return Err(Error::InvalidDpopProof("the proof was used before".into()));
                }
                Ok(caller)
            }
        }
    }
}
