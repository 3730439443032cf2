"""Keygate's login and consent pages driven over plain HTTP (no browser), for the interop
scripts: the OAuth client side is always the library under test."""

import html
import json
import os
import re
import sys
import traceback
from urllib.parse import urljoin

import requests

TIMEOUT = 30


class InteropError(Exception):
    """A disagreement with Keygate, reported as the failure message."""


def env(name):
    value = os.environ.get(name)
    if not value:
        raise InteropError(f"environment variable {name} is not set")
    return value


def check(condition, message):
    if not condition:
        raise InteropError(message)


class Agent:
    """A minimal user agent for Keygate's pages: no redirects followed, cookies kept by hand."""

    def __init__(self):
        self.http = requests.Session()
        self.cookies = {}

    def request(self, method, url, data=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method, url, data=data, headers=headers, allow_redirects=False, timeout=TIMEOUT
        )
        # requests folds several Set-Cookie headers into one; the raw headers keep them apart.
        for line in response.raw.headers.getlist("Set-Cookie"):
            name, _, value = line.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response

    def redirect(self, method, url, data=None):
        """The absolute Location of a redirect; anything else is an error."""
        response = self.request(method, url, data)
        location = response.headers.get("Location")
        check(
            response.is_redirect and location,
            f"expected a redirect from {url}, got {response.status_code}: {response.text[:500]}",
        )
        return urljoin(url, location)

    def submit(self, page_url, fields):
        """GETs a Keygate form page and POSTs it back with its hidden fields plus `fields`."""
        page = self.request("GET", page_url)
        check(page.status_code == 200, f"{page_url} answered {page.status_code}: {page.text[:500]}")
        form = {
            "req": html_attr(page.text, 'name="req" value="'),
            "csrf": html_attr(page.text, 'name="csrf" value="'),
            **fields,
        }
        action = urljoin(page_url, html_attr(page.text, '<form method="post" action="'))
        return self.redirect("POST", action, form)


def html_attr(page, prefix):
    """The attribute value that follows `prefix` in `page`, unescaped."""
    match = re.search(re.escape(prefix) + r'([^"]*)"', page)
    check(match, f'no {prefix}...") in the page')
    return html.unescape(match.group(1))


def walk_to_callback(authorization_url, issuer, redirect_uri, username, password, agent=None):
    """Follows an authorization URL through login (unless `agent` is signed in already) and
    consent (unless remembered) to the client's redirect URI."""
    agent = agent or Agent()
    url = agent.redirect("GET", authorization_url)
    if url.startswith(f"{issuer}/login"):
        url = agent.submit(url, {"username": username, "password": password})
    if url.startswith(f"{issuer}/consent"):
        url = agent.submit(url, {"decision": "allow"})
    check(url.startswith(redirect_uri), f"expected a redirect to {redirect_uri}, got {url}")
    return url


def report(library, summary):
    """Prints the JSON summary that `summary()` returns, or the failure, and exits 1 on one."""
    try:
        print(json.dumps(summary()))
    except InteropError as error:
        print(f"{library} interop FAILED: {error}", file=sys.stderr)
        sys.exit(1)
    except BaseException as error:  # noqa: BLE001 - a library error: keep its trace for the report
        traceback.print_exc()
        print(f"{library} interop FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
