//! The two ceremonies' checks: registering a new credential (WebAuthn L3 §7.1) and verifying
//! an authentication assertion (§7.2). Step numbers in comments are §7.1's and §7.2's. What
//! needs storage (is the credential id new, whose is it) is the caller's; what is here is pure.

use aws_lc_rs::digest::{SHA256, digest};
use coset::cbor::value::Value;
use serde::Deserialize;

use super::cose::{COSE_ALGORITHMS, PublicKey};
use super::{RelyingParty, WebauthnError, b64url, b64url_decode, flags};

/// §7.1 step 25: credential ids are at most 1023 bytes.
const MAX_CREDENTIAL_ID: usize = 1023;

/// A credential that passed §7.1, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    /// The credential id.
    pub id: Vec<u8>,
    /// The credential public key, COSE_Key CBOR.
    pub public_key: Vec<u8>,
    /// Its COSE algorithm.
    pub alg: i64,
    /// The signature counter.
    pub sign_count: u32,
    /// The authenticator's model (AAGUID).
    pub aaguid: Vec<u8>,
    /// UV was done at registration (§4 `uvInitialized`).
    pub user_verified: bool,
    /// May be backed up (synced): BE.
    pub backup_eligible: bool,
    /// Is backed up: BS.
    pub backup_state: bool,
    /// The transports the browser reported, for `allowCredentials` hints.
    pub transports: Vec<String>,
}

/// An authentication assertion as the browser sent it (§5.2.2), decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// `rawId`.
    pub credential_id: Vec<u8>,
    /// `response.userHandle`, if the authenticator returned one.
    pub user_handle: Option<Vec<u8>>,
    client_data: Vec<u8>,
    authenticator_data: Vec<u8>,
    signature: Vec<u8>,
}

/// What a verified assertion says, for the credential record (§7.2 steps 23–25).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssertionChecked {
    /// The new signature counter.
    pub sign_count: u32,
    /// UV was done.
    pub user_verified: bool,
    /// The credential is backed up now (BS).
    pub backup_state: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default)]
    cross_origin: Option<bool>,
    #[serde(default)]
    top_origin: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialJson<R> {
    raw_id: String,
    #[serde(rename = "type")]
    kind: String,
    response: R,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttestationJson {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
    #[serde(default)]
    transports: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssertionJson {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    authenticator_data: String,
    signature: String,
    #[serde(default)]
    user_handle: Option<String>,
}

/// Authenticator data (§6.1), split.
struct AuthData<'a> {
    rp_id_hash: &'a [u8],
    flags: u8,
    sign_count: u32,
    /// AAGUID, credential id and public key, when AT is set.
    attested: Option<(Vec<u8>, Vec<u8>, Value)>,
}

fn decode(field: &str, name: &'static str) -> Result<Vec<u8>, WebauthnError> {
    b64url_decode(field).ok_or(WebauthnError::Malformed(name))
}

fn parse_json<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, WebauthnError> {
    serde_json::from_str(json).map_err(|_| WebauthnError::Malformed("JSON"))
}

/// §7.1 steps 5–10 and §7.2 steps 9–14: the client data is JSON of the right type, for the
/// challenge sent, from our origin, and not in a cross-origin frame.
fn check_client_data(
    bytes: &[u8],
    kind: &str,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<(), WebauthnError> {
    let data: ClientData =
        serde_json::from_slice(bytes).map_err(|_| WebauthnError::Malformed("client data"))?;
    if data.kind != kind {
        return Err(WebauthnError::WrongType);
    }
    if data.challenge != b64url(challenge) {
        return Err(WebauthnError::WrongChallenge);
    }
    if data.origin != rp.origin {
        return Err(WebauthnError::WrongOrigin(data.origin));
    }
    if data.cross_origin == Some(true) || data.top_origin.is_some() {
        return Err(WebauthnError::WrongOrigin("a frame on another page".to_owned()));
    }
    Ok(())
}

/// Splits authenticator data (§6.1; attested credential data §6.5.2).
fn parse_auth_data(data: &[u8]) -> Result<AuthData<'_>, WebauthnError> {
    let short = WebauthnError::Malformed("authenticator data");
    if data.len() < 37 {
        return Err(short);
    }
    let flag_byte = data[32];
    let sign_count = u32::from_be_bytes([data[33], data[34], data[35], data[36]]);
    let mut rest = &data[37..];
    let mut attested = None;
    if flag_byte & flags::AT != 0 {
        if rest.len() < 18 {
            return Err(short);
        }
        let aaguid = rest[..16].to_vec();
        let id_len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        rest = &rest[18..];
        if rest.len() < id_len {
            return Err(short);
        }
        let id = rest[..id_len].to_vec();
        rest = &rest[id_len..];
        let key: Value = coset::cbor::de::from_reader(&mut rest).map_err(|_| short.clone())?;
        attested = Some((aaguid, id, key));
    }
    if flag_byte & flags::ED != 0 {
        let _: Value = coset::cbor::de::from_reader(&mut rest).map_err(|_| short.clone())?;
    }
    if !rest.is_empty() {
        return Err(short);
    }
    Ok(AuthData { rp_id_hash: &data[..32], flags: flag_byte, sign_count, attested })
}

/// §7.1 steps 13–16 and §7.2 steps 15–18: our RP ID, user present, verified if required,
/// and BS only with BE.
fn check_flags(
    auth: &AuthData<'_>,
    rp: &RelyingParty,
    require_uv: bool,
) -> Result<(), WebauthnError> {
    if auth.rp_id_hash != digest(&SHA256, rp.id.as_bytes()).as_ref() {
        return Err(WebauthnError::WrongRpId);
    }
    if auth.flags & flags::UP == 0 {
        return Err(WebauthnError::NotPresent);
    }
    if require_uv && auth.flags & flags::UV == 0 {
        return Err(WebauthnError::NotVerified);
    }
    if auth.flags & flags::BE == 0 && auth.flags & flags::BS != 0 {
        return Err(WebauthnError::BackupFlags);
    }
    Ok(())
}

/// Verifies a registration response (`PublicKeyCredential` with an
/// `AuthenticatorAttestationResponse`, JSON) for `challenge`, per §7.1.
pub fn verify_registration(
    json: &str,
    challenge: &[u8],
    rp: &RelyingParty,
    require_uv: bool,
) -> Result<NewCredential, WebauthnError> {
    let credential: CredentialJson<AttestationJson> = parse_json(json)?;
    if credential.kind != "public-key" {
        return Err(WebauthnError::Malformed("type"));
    }
    let client_data = decode(&credential.response.client_data_json, "client data")?;
    check_client_data(&client_data, "webauthn.create", challenge, rp)?;
    let client_data_hash = digest(&SHA256, &client_data);
    // Step 12: the attestation object.
    let object = decode(&credential.response.attestation_object, "attestation object")?;
    let object: Value = coset::cbor::de::from_reader(object.as_slice())
        .map_err(|_| WebauthnError::Malformed("attestation object"))?;
    let field = |name: &str| {
        object.as_map()?.iter().find(|(k, _)| k.as_text() == Some(name)).map(|(_, v)| v.clone())
    };
    let fmt = field("fmt").and_then(|v| v.as_text().map(str::to_owned));
    let auth_bytes = field("authData").and_then(|v| v.as_bytes().cloned());
    let statement = field("attStmt");
    let (Some(fmt), Some(auth_bytes), Some(statement)) = (fmt, auth_bytes, statement) else {
        return Err(WebauthnError::Malformed("attestation object"));
    };
    let auth = parse_auth_data(&auth_bytes)?;
    check_flags(&auth, rp, require_uv)?;
    let Some((aaguid, id, key)) = auth.attested.clone() else {
        return Err(WebauthnError::Malformed("no credential in authenticator data"));
    };
    // Step 19: an algorithm we offered.
    let (public_key, key_bytes) = PublicKey::from_value(key)?;
    if !COSE_ALGORITHMS.contains(&public_key.alg) {
        return Err(WebauthnError::UnsupportedAlgorithm);
    }
    // Steps 21–22: the statement.
    let signed = [auth_bytes.as_slice(), client_data_hash.as_ref()].concat();
    check_attestation(&fmt, &statement, &public_key, &signed)?;
    // Step 25.
    if id.is_empty() || id.len() > MAX_CREDENTIAL_ID || b64url(&id) != credential.raw_id {
        return Err(WebauthnError::Malformed("credential id"));
    }
    Ok(NewCredential {
        id,
        public_key: key_bytes,
        alg: public_key.alg,
        sign_count: auth.sign_count,
        aaguid,
        user_verified: auth.flags & flags::UV != 0,
        backup_eligible: auth.flags & flags::BE != 0,
        backup_state: auth.flags & flags::BS != 0,
        transports: credential.response.transports,
    })
}

/// §8.7 `none` (an empty statement) or §8.2 `packed` self attestation (no `x5c`: signed by the
/// credential's own key with its own algorithm). Others need trust anchors Keygate keeps none of.
fn check_attestation(
    fmt: &str,
    statement: &Value,
    key: &PublicKey,
    signed: &[u8],
) -> Result<(), WebauthnError> {
    let Some(map) = statement.as_map() else {
        return Err(WebauthnError::Malformed("attestation statement"));
    };
    let get = |name: &str| map.iter().find(|(k, _)| k.as_text() == Some(name)).map(|(_, v)| v);
    match fmt {
        "none" if map.is_empty() => Ok(()),
        "packed" if get("x5c").is_none() => {
            let alg = get("alg").and_then(Value::as_integer).and_then(|i| i64::try_from(i).ok());
            let sig = get("sig").and_then(Value::as_bytes);
            match (alg, sig) {
                (Some(alg), Some(sig)) if alg == key.alg => key.verify(signed, sig),
                _ => Err(WebauthnError::BadSignature),
            }
        }
        other => Err(WebauthnError::UnsupportedAttestation(other.to_owned())),
    }
}

impl Assertion {
    /// Reads an assertion (`PublicKeyCredential` with an `AuthenticatorAssertionResponse`,
    /// JSON).
    pub fn from_json(json: &str) -> Result<Self, WebauthnError> {
        let credential: CredentialJson<AssertionJson> = parse_json(json)?;
        if credential.kind != "public-key" {
            return Err(WebauthnError::Malformed("type"));
        }
        let r = credential.response;
        let user_handle = match r.user_handle.as_deref() {
            None | Some("") => None,
            Some(handle) => Some(decode(handle, "user handle")?),
        };
        Ok(Self {
            credential_id: decode(&credential.raw_id, "credential id")?,
            user_handle,
            client_data: decode(&r.client_data_json, "client data")?,
            authenticator_data: decode(&r.authenticator_data, "authenticator data")?,
            signature: decode(&r.signature, "signature")?,
        })
    }
}

/// The stored record an assertion is checked against.
#[derive(Debug, Clone, Copy)]
pub struct StoredCredential<'a> {
    /// COSE_Key CBOR.
    pub public_key: &'a [u8],
    /// The last signature counter.
    pub sign_count: u32,
    /// BE at registration.
    pub backup_eligible: bool,
}

/// Verifies an assertion for `challenge` against the credential's record, per §7.2 steps
/// 9–23. The caller found the record by the credential id and checked its owner (steps 5–7).
pub fn verify_assertion(
    assertion: &Assertion,
    stored: StoredCredential<'_>,
    challenge: &[u8],
    rp: &RelyingParty,
    require_uv: bool,
) -> Result<AssertionChecked, WebauthnError> {
    check_client_data(&assertion.client_data, "webauthn.get", challenge, rp)?;
    let auth = parse_auth_data(&assertion.authenticator_data)?;
    check_flags(&auth, rp, require_uv)?;
    // Step 19: backup eligibility never changes.
    if (auth.flags & flags::BE != 0) != stored.backup_eligible {
        return Err(WebauthnError::BackupFlags);
    }
    // Steps 21–22.
    let key = PublicKey::from_cose(stored.public_key)?;
    let hash = digest(&SHA256, &assertion.client_data);
    let signed = [assertion.authenticator_data.as_slice(), hash.as_ref()].concat();
    key.verify(&signed, &assertion.signature)?;
    // Step 23: a counter in use must grow.
    if (auth.sign_count != 0 || stored.sign_count != 0) && auth.sign_count <= stored.sign_count {
        return Err(WebauthnError::CounterRegression);
    }
    Ok(AssertionChecked {
        sign_count: auth.sign_count,
        user_verified: auth.flags & flags::UV != 0,
        backup_state: auth.flags & flags::BS != 0,
    })
}
