"""Keygate with the official MCP Python SDK (PyPI `mcp`), as an MCP client meets an MCP server
protected by Keygate. The SDK's OAuthClientProvider does everything OAuth: it reads the
server's 401, discovers Keygate from the RFC 9728 metadata, registers (a Client ID Metadata
Document when CLIENT_METADATA_URL is set, else dynamic registration), builds the
authorization request (PKCE S256, `resource`, the 401's scope plus `offline_access`), checks
state and `iss` (RFC 9207) on the callback, exchanges the code, steps up on a tool's
`403 insufficient_scope`, and refreshes once the access token has expired.

This script only plays the user: it follows the authorization URL the SDK hands to its
redirect handler through Keygate's login and consent pages, and returns the callback's
parameters from the callback handler. Prints a JSON summary on success; exits 1 with a
message on any failure.

Env: MCP_URL, KEYGATE_ISSUER, REDIRECT_URI (loopback), USERNAME, PASSWORD, EXPIRY_WAIT_MS
(longer than the access token lives); CLIENT_METADATA_URL optional.
"""

import asyncio
import importlib.metadata
import os
from urllib.parse import parse_qs, urlparse

import anyio
import httpx2
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata

from pages import Agent, check, env, report, walk_to_callback


class Storage:
    """The SDK's TokenStorage, in memory, counting what it is given."""

    def __init__(self):
        self.tokens = None
        self.client_info = None
        self.token_responses = 0

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens
        self.token_responses += 1

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


class User:
    """The user's browser: signs in once (later authorizations reuse Keygate's session),
    consents, and hands the callback to the SDK as a native app's loopback listener would."""

    def __init__(self):
        self.agent = Agent()
        self.pending = None
        self.authorizations = []

    async def on_redirect(self, url):
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        self.authorizations.append(
            {k: query.get(k) for k in ("client_id", "scope", "resource", "code_challenge_method", "prompt")}
        )
        self.pending = url

    async def on_callback(self):
        url, self.pending = self.pending, None
        check(url, "the SDK asked for a callback without an authorization URL")
        callback = await anyio.to_thread.run_sync(
            lambda: walk_to_callback(
                url, env("KEYGATE_ISSUER"), env("REDIRECT_URI"), env("USERNAME"), env("PASSWORD"), self.agent
            )
        )
        params = {k: v[0] for k, v in parse_qs(urlparse(callback).query).items()}
        return AuthorizationCodeResult(code=params["code"], state=params.get("state"), iss=params.get("iss"))


async def call_tool(session, user, name, arguments=None):
    before = len(user.authorizations)
    result = await session.call_tool(name, arguments or {})
    check(not result.is_error, f"{name}: {result}")
    return {"text": result.content[0].text, "authorizations": len(user.authorizations) - before}


async def run():
    storage, user = Storage(), User()
    metadata = OAuthClientMetadata(
        client_name="MCP Python SDK interop",
        redirect_uris=[env("REDIRECT_URI")],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        token_endpoint_auth_method="none",
    )
    provider = OAuthClientProvider(
        server_url=env("MCP_URL"),
        client_metadata=metadata,
        storage=storage,
        redirect_handler=user.on_redirect,
        callback_handler=user.on_callback,
        client_metadata_url=os.environ.get("CLIENT_METADATA_URL") or None,
    )
    async with httpx2.AsyncClient(auth=provider, timeout=30) as http:
        async with streamable_http_client(env("MCP_URL"), http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                check(user.authorizations, "initializing asked for no authorization")
                tools = await session.list_tools()
                listed = await call_tool(session, user, "list_todos")
                before_step_up = storage.tokens
                added = await call_tool(session, user, "add_todo", {"title": "Buy milk"})
                step_up = user.authorizations[-1]
                responses_before = storage.token_responses
                refresh_before = storage.tokens.refresh_token if storage.tokens else None
                await asyncio.sleep(int(env("EXPIRY_WAIT_MS")) / 1000)
                later = await call_tool(session, user, "list_todos")
    refresh_after = storage.tokens.refresh_token if storage.tokens else None
    return {
        "library": "mcp",
        "version": importlib.metadata.version("mcp"),
        "client_id": storage.client_info.client_id if storage.client_info else None,
        "registered": "metadata document" if os.environ.get("CLIENT_METADATA_URL") else "dynamic registration",
        "first_authorization": user.authorizations[0],
        "tools": [tool.name for tool in tools.tools],
        "listed": listed,
        "step_up": {
            "had_refresh_token": bool(before_step_up and before_step_up.refresh_token),
            "authorization": step_up,
            "added": added,
        },
        "after_expiry": {
            **later,
            "had_refresh_token": bool(refresh_before),
            "token_responses": storage.token_responses - responses_before,
            "refresh_token_rotated": bool(refresh_before) and refresh_after != refresh_before,
        },
    }


if __name__ == "__main__":
    report("MCP Python SDK", lambda: asyncio.run(run()))
