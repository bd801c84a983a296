"""Security headers on every response: one ``after_request`` hook.

Every response::

    X-Content-Type-Options: nosniff       a download is never run as a script or page
    Referrer-Policy: no-referrer          no proeftuin key or query leaks to another site
    X-Frame-Options: SAMEORIGIN           only our own pages may frame ours (the map)

and a Content-Security-Policy.  HTML pages get :func:`page_policy`: nothing
from another origin, ever (``default-src 'none'``, no host in any directive);
scripts and styles only from this site ('self': the API docs page's own
assets) or inline when their SHA-256 is in the policy.  The hook hashes the
inline ``<script>`` and ``<style>`` elements of the HTML it is about to send,
so the templates need no nonces and a script that was not in our template (an
injected one) does not run::

    default-src 'none'; script-src 'self' 'sha256-...'; style-src 'self' 'sha256-...';
    img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';
    frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'

``img-src data: blob:`` serves the map's PNG download (``canvas.toDataURL``);
``frame-src``/``frame-ancestors 'self'`` let a proeftuin page show its own map
in an iframe; ``connect-src 'self'`` lets the docs page fetch ``openapi.json``.
Every other response (JSON, files) gets :data:`NON_HTML_POLICY`: a document
that should not be one (a file opened in a tab) may load and run nothing.

A policy a view set itself is replaced: the app has one policy, written here.  A
``304 Not Modified`` carries none (see :func:`secure_headers`).
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from flask import Flask, Response

__all__ = ["NON_HTML_POLICY", "inline_hashes", "page_policy", "secure_headers", "init_app"]

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}

NON_HTML_POLICY = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

# <script type="..."> values that a browser runs; other types (application/json data
# blocks) are inert and need no hash.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _InlineCollector(HTMLParser):
    """The text of every inline ``<script>`` (that runs) and ``<style>``, as the browser sees it.

    ``script`` and ``style`` are raw-text elements: the parser hands their content
    over unchanged (no entity decoding), which is what CSP hashes are taken over.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if (
            tag == "script"
            and "src" not in values
            and values.get("type", "").strip().lower() in _SCRIPT_TYPES
        ):
            self._open = self.scripts
            self.scripts.append("")
        elif tag == "style":
            self._open = self.styles
            self.styles.append("")
        else:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """CSP hash sources (``'sha256-...'``) of the inline scripts and styles of ``html``.

    Each list is in document order without repeats.
    """
    collector = _InlineCollector()
    collector.feed(html)
    collector.close()
    return (
        list(dict.fromkeys(map(_sha256, collector.scripts))),
        list(dict.fromkeys(map(_sha256, collector.styles))),
    )


def page_policy(html: str) -> str:
    """The Content-Security-Policy of one HTML page (see the module docstring)."""
    scripts, styles = inline_hashes(html)
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src 'self'", *scripts]),
            " ".join(["style-src 'self'", *styles]),
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "frame-ancestors 'self'",
            "form-action 'self'",
            "base-uri 'none'",
        ]
    )


def secure_headers(response: Response) -> Response:
    """The ``after_request`` hook: the fixed headers and the right policy for this response."""
    for name, value in STATIC_HEADERS.items():
        response.headers[name] = value
    if response.status_code == 304:
        # A 304 has no body to hash, and a cache may merge its headers into the stored
        # page's: it carries no policy, so the stored page keeps its own (with its hashes).
        response.headers.pop("Content-Security-Policy", None)
        return response
    if (
        response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
    ):
        policy = page_policy(response.get_data(as_text=True))
    else:
        # Includes an HTML file sent straight from disk (none are): without its text
        # there is nothing to hash, so nothing inline may run.
        policy = NON_HTML_POLICY
    response.headers["Content-Security-Policy"] = policy
    return response


def init_app(app: Flask) -> None:
    """Register the hook; create_app does so first, so that it runs after all other hooks
    (Flask calls after_request functions in reverse order of registration)."""
    app.after_request(secure_headers)
