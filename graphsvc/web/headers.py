"""Security headers on every response: one ``after_request`` hook.

Every response::

    X-Content-Type-Options: nosniff       a download is never run as a script or page
    Referrer-Policy: no-referrer          no proeftuin key or query leaks to another site
    X-Frame-Options: SAMEORIGIN           only our own pages may frame ours (the map)

and a Content-Security-Policy.  HTML pages get :func:`page_policy`: nothing
from another origin, ever (``default-src 'none'``, no host in any directive);
scripts and styles only from this site ('self': the API docs page's own
assets) or inline when their SHA-256 is in the policy::

    default-src 'none'; script-src 'self' 'sha256-...'; style-src 'self' 'sha256-...';
    img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';
    frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'

The hashes are those of *our own code*, known before any request: the inline
``<script>`` and ``<style>`` elements written in the source of the app's templates
(graphsvc/web/templates, read once at start-up; they must be static text, data
goes in an inert ``application/json`` block) and those every map inlines
(:func:`visualize.render.inline_code`).  The finished page is never looked at:
a script that reached a page some other way (an actor named
``</script><script>...``, a template that forgot to escape) has no hash in the
policy and does not run, whatever the page holds.

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
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from flask import Flask, Response, current_app
from jinja2 import BaseLoader, Environment

from visualize.render import inline_code as map_inline_code

__all__ = [
    "NON_HTML_POLICY",
    "InlineCode",
    "inline_code",
    "template_inline_code",
    "page_policy",
    "secure_headers",
    "init_app",
]

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}

_EXT = "graphsvc.web.headers"

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


@dataclass(frozen=True)
class InlineCode:
    """The inline scripts and styles the app may send, as CSP hash sources (no repeats)."""

    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()

    @classmethod
    def of(cls, scripts: list[str], styles: list[str]) -> InlineCode:
        return cls(
            tuple(dict.fromkeys(map(_sha256, scripts))), tuple(dict.fromkeys(map(_sha256, styles)))
        )

    def __add__(self, other: InlineCode) -> InlineCode:
        return InlineCode(
            tuple(dict.fromkeys(self.scripts + other.scripts)),
            tuple(dict.fromkeys(self.styles + other.styles)),
        )


def inline_code(html: str) -> tuple[list[str], list[str]]:
    """The bodies of the inline scripts (that run) and styles of ``html``, in document order."""
    collector = _InlineCollector()
    collector.feed(html)
    collector.close()
    return collector.scripts, collector.styles


_JINJA = re.compile(r"\{\{|\{%|\{#")


def template_inline_code(loader: BaseLoader, environment: Environment) -> InlineCode:
    """The hashes of the inline scripts and styles written in the source of every template.

    A script or style that holds template syntax would have a body known only once it is
    rendered, with whatever data it was given: it is refused here, at start-up, with the
    template's name, rather than hashed from a finished page.
    """
    scripts: list[str] = []
    styles: list[str] = []
    for name in sorted(loader.list_templates()):
        source, _, _ = loader.get_source(environment, name)
        # Jinja renders text outside its tags verbatim, with newlines as "\n".
        found_scripts, found_styles = inline_code(source.replace("\r\n", "\n"))
        for body in found_scripts + found_styles:
            if _JINJA.search(body):
                raise RuntimeError(
                    f"template {name}: an inline <script> or <style> must be static text, so "
                    "that its hash is known before any page is made; put data in a "
                    '<script type="application/json"> block and read it from there'
                )
        scripts += found_scripts
        styles += found_styles
    return InlineCode.of(scripts, styles)


def page_policy(code: InlineCode) -> str:
    """The Content-Security-Policy of every HTML page: our own inline ``code`` may run."""
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src 'self'", *code.scripts]),
            " ".join(["style-src 'self'", *code.styles]),
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
    if response.mimetype == "text/html":
        policy = current_app.extensions[_EXT]
    else:
        policy = NON_HTML_POLICY
    response.headers["Content-Security-Policy"] = policy
    return response


def init_app(app: Flask) -> None:
    """Work out the page policy from our templates and the map, and register the hook.

    create_app calls this first, so that the hook runs after all other hooks (Flask calls
    after_request functions in reverse order of registration).  Only the app's own
    template folder counts: a blueprint's template (flask-smorest's API docs page) is
    overridden there when it has inline code (templates/swagger_ui.html).
    """
    if app.jinja_loader is None:  # pragma: no cover - the app always has its templates
        raise RuntimeError("the app has no template folder")
    code = template_inline_code(app.jinja_loader, app.jinja_env)
    code += InlineCode.of(*map_inline_code())
    app.extensions[_EXT] = page_policy(code)
    app.after_request(secure_headers)
