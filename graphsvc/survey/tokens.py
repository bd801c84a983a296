"""Personal survey links and the form tokens of the answering pages.

A link token is ``secrets.token_urlsafe(24)``: 192 random bits, so guessing one is
hopeless and the store may keep a fast, unsalted SHA-256 of it (looked up through a
unique index, like API keys: see :func:`graphsvc.web.auth.hash_key`).  The token itself
is shown once (to the editor, on the printed sheet) and never stored or logged.

A respondent is authenticated by the link, not by a cookie, so the answering forms carry
their own CSRF token: an HMAC of the app's secret over the invitation (its id and token
hash), checked in constant time.  A page of another site cannot know it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

__all__ = ["new_token", "hash_token", "well_formed", "new_id", "form_token", "form_token_ok"]

# token_urlsafe(24) encodes 24 bytes as 32 characters of the URL-safe base64 alphabet.
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")


def new_token() -> tuple[str, str]:
    """A fresh ``(token, hash)``; store only the hash."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(f"graphsvc-survey:{token}".encode()).hexdigest()


def well_formed(token: str) -> bool:
    """True for a string that could be a token (anything else is not looked up)."""
    return _TOKEN_RE.fullmatch(token) is not None


def new_id(prefix: str) -> str:
    """A public id of an invitation or proposal (``inv-...``, ``prop-...``): not a secret."""
    return f"{prefix}-{secrets.token_hex(6)}"


def form_token(secret: str, invitation_id: str, token_hash: str) -> str:
    """The hidden form field that binds a POST to this invitation and this app."""
    message = f"survey-form:{invitation_id}:{token_hash}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def form_token_ok(secret: str, invitation_id: str, token_hash: str, presented: str) -> bool:
    """Constant-time check of a presented form token."""
    return hmac.compare_digest(form_token(secret, invitation_id, token_hash), str(presented))
