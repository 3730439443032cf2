"""Keygate interop with Python's authlib: discovery (validated with authlib's OIDC Discovery
and RFC 8414 metadata models), the code flow with PKCE S256, state and nonce, ID token
validation (signature through the JWKS, iss, aud, exp, iat, nonce, at_hash), userinfo, refresh
and client credentials, against a running Keygate; then a pushed authorization request (RFC 9126)
carrying a request object (RFC 9101) signed with joserfc, authlib's JOSE library, and pushed
with authlib's client authentication. (authlib's client has no DPoP; openid-client covers it.)

Keygate's login and consent pages are driven over plain HTTP here (no browser); the OAuth
client side is authlib's OAuth2Session. Prints a JSON summary on success; exits 1 with a
message on any failure.

Env: KEYGATE_ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, USERNAME, PASSWORD,
M2M_CLIENT_ID, M2M_CLIENT_SECRET; M2M_SCOPE optional; JAR_PRIVATE_KEY (PKCS#8, base64url)
and JAR_KID, the web client's registered request object key.
"""

import base64
import os
import re
import time
from urllib.parse import parse_qs, parse_qsl, urlencode, urlparse

import authlib
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import rfc8414, rfc9207
from authlib.oidc.core import CodeIDToken, UserInfo
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet
from pages import TIMEOUT, check, env, report, walk_to_callback


def get_json(url):
    response = requests.get(url, timeout=TIMEOUT)
    check(response.status_code == 200, f"GET {url}: {response.status_code} {response.text[:500]}")
    return response.json()


def discover(issuer):
    """OIDC Discovery 1.0 §4 and RFC 8414 §3 documents, checked by authlib's models."""
    metadata = OpenIDProviderMetadata(get_json(f"{issuer}/.well-known/openid-configuration"))
    metadata.validate(metadata_classes=[rfc9207.AuthorizationServerMetadata])
    check(
        metadata["issuer"] == issuer,
        f"discovered issuer {metadata['issuer']!r}, expected {issuer!r}",
    )
    oauth = rfc8414.AuthorizationServerMetadata(
        get_json(f"{issuer}/.well-known/oauth-authorization-server")
    )
    oauth.validate()
    check(oauth["issuer"] == issuer, "RFC 8414 metadata names another issuer")
    return metadata


def validate_id_token(id_token, metadata, client_id, nonce, access_token):
    """OIDC Core §3.1.3.7: signature through the JWKS, then the claims with authlib's rules."""
    keys = KeySet.import_key_set(get_json(metadata["jwks_uri"]))
    decoded = jwt.decode(
        id_token, keys, algorithms=metadata["id_token_signing_alg_values_supported"]
    )
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": client_id},
        },
        {"nonce": nonce, "client_id": client_id, "access_token": access_token},
    )
    claims.validate(leeway=60)
    return claims


def code_request(metadata, client_id, redirect_uri, scope):
    """An authlib session for the web client and a fresh authorization request from it (state,
    nonce, PKCE S256): the session, the URL, state, verifier and nonce."""
    session = OAuth2Session(
        client_id,
        env("CLIENT_SECRET"),
        token_endpoint_auth_method="client_secret_basic",
        scope=scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    code_verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = session.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    return session, url, state, code_verifier, nonce


def request_object_key():
    """The web client's registered ES256 key, from its PKCS#8 DER (base64url)."""
    der = base64.urlsafe_b64decode(env("JAR_PRIVATE_KEY") + "==")
    body = "\n".join(re.findall(".{1,64}", base64.b64encode(der).decode()))
    pem = f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
    return ECKey.import_key(pem, {"kid": env("JAR_KID")})


def pushed_signed_flow(metadata, issuer, client_id, redirect_uri):
    """RFC 9126 + RFC 9101: authlib builds the request (state, nonce, PKCE); its parameters
    become the members of a request object signed with the client's key; authlib's
    client_secret_basic authenticates the push; the browser gets only client_id and the
    request_uri; authlib exchanges the code."""
    check(metadata.get("pushed_authorization_request_endpoint"), "no PAR endpoint in discovery")
    check(metadata.get("request_parameter_supported"), "request objects are not advertised")
    session, full_url, state, code_verifier, nonce = code_request(
        metadata, client_id, redirect_uri, "openid profile"
    )
    now = int(time.time())
    members = dict(parse_qsl(urlparse(full_url).query))
    members.update(
        {"iss": client_id, "aud": issuer, "iat": now, "nbf": now, "exp": now + 300,
         "jti": generate_token(16)}
    )
    header = {"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": env("JAR_KID")}
    request_object = jwt.encode(header, members, request_object_key())
    pushed = session.post(
        metadata["pushed_authorization_request_endpoint"],
        data={"client_id": client_id, "request": request_object},
        auth=session.client_auth("client_secret_basic"),
        withhold_token=True,
        timeout=TIMEOUT,
    )
    check(pushed.status_code == 201, f"PAR: {pushed.status_code} {pushed.text[:500]}")
    request_uri = pushed.json()["request_uri"]
    check(pushed.json().get("expires_in", 0) > 0, "PAR answered no expires_in")
    query = urlencode({"client_id": client_id, "request_uri": request_uri})
    callback = walk_to_callback(
        f"{metadata['authorization_endpoint']}?{query}",
        issuer,
        redirect_uri,
        env("USERNAME"),
        env("PASSWORD"),
    )
    token = session.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=code_verifier,
    )
    claims = validate_id_token(token["id_token"], metadata, client_id, nonce, token["access_token"])
    return {"request_uri": request_uri, "scope": token.get("scope"), "sub": claims["sub"]}


def main():
    issuer = env("KEYGATE_ISSUER")
    client_id = env("CLIENT_ID")
    redirect_uri = env("REDIRECT_URI")
    metadata = discover(issuer)

    session, authorization_url, state, code_verifier, nonce = code_request(
        metadata, client_id, redirect_uri, "openid profile email offline_access"
    )
    callback = walk_to_callback(
        authorization_url, issuer, redirect_uri, env("USERNAME"), env("PASSWORD")
    )

    # RFC 9207 §2.4: authlib's client does not look at `iss` in the authorization response,
    # so the check is made here, as the RFC asks of a client when the metadata announces it.
    iss = parse_qs(urlparse(callback).query).get("iss", [None])[0]
    if metadata.get("authorization_response_iss_parameter_supported"):
        check(iss == issuer, f"callback iss {iss!r}, expected {issuer!r}")

    # authlib checks `state` against the callback, sends the PKCE verifier, and authenticates
    # with client_secret_basic.
    token = session.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=code_verifier,
    )
    check("id_token" in token, f"no ID token after the code exchange: {sorted(token)}")
    check(token.get("refresh_token"), "no refresh token for offline_access")
    claims = validate_id_token(token["id_token"], metadata, client_id, nonce, token["access_token"])

    response = session.get(metadata["userinfo_endpoint"], timeout=TIMEOUT)
    check(response.status_code == 200, f"userinfo: {response.status_code} {response.text[:500]}")
    userinfo = UserInfo(response.json())
    check(
        userinfo["sub"] == claims["sub"],
        "userinfo sub differs from the ID token's (OIDC Core §5.3.2)",
    )
    check(userinfo.get("email"), f"userinfo has no email: {dict(userinfo)}")

    refreshed = session.refresh_token(
        metadata["token_endpoint"], refresh_token=token["refresh_token"]
    )
    check(refreshed.get("access_token"), "no access token from the refresh")
    check(refreshed.get("refresh_token"), "no refresh token from the refresh")
    check(refreshed["refresh_token"] != token["refresh_token"], "the refresh token was not rotated")
    if "id_token" in refreshed:
        # OIDC Core §12.2: a refreshed ID token names the same issuer, subject and audience,
        # and carries no nonce but the original one.
        again = validate_id_token(
            refreshed["id_token"], metadata, client_id, None, refreshed["access_token"]
        )
        check(again["sub"] == claims["sub"], "the refreshed ID token names another subject")
        check(again.get("nonce") in (None, nonce), "the refreshed ID token has another nonce")

    machine_session = OAuth2Session(
        env("M2M_CLIENT_ID"),
        env("M2M_CLIENT_SECRET"),
        token_endpoint_auth_method="client_secret_basic",
        scope=os.environ.get("M2M_SCOPE") or None,
    )
    machine = machine_session.fetch_token(
        metadata["token_endpoint"], grant_type="client_credentials"
    )
    check(machine.get("access_token"), "no access token from client credentials")
    check("refresh_token" not in machine, "client credentials must not return a refresh token")

    pushed = pushed_signed_flow(metadata, issuer, client_id, redirect_uri)

    summary = {
        "library": "authlib",
        "version": authlib.__version__,
        "issuer": metadata["issuer"],
        "iss_in_callback": iss,
        "id_token": {k: claims.get(k) for k in ("sub", "aud", "email", "nonce")},
        "userinfo": {k: userinfo.get(k) for k in ("sub", "email", "name")},
        "refresh": {"rotated": True, "id_token": "id_token" in refreshed},
        "client_credentials": {
            "token_type": machine.get("token_type"),
            "scope": machine.get("scope"),
        },
        "par_jar": pushed,
    }
    return summary


if __name__ == "__main__":
    report("authlib", main)
