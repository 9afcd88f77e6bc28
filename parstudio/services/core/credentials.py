"""The database server's password in the system keyring (optional: asked for when there is none)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

SERVICE = "PAR Studio"


def keyring_key(url: str) -> str:
    """What the password is filed under: the server login, host, port and database."""
    parsed = make_url(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def keyring_problem() -> str | None:
    """Why the system keyring cannot be used here, or None when it can."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "The keyring library is not installed, so the password cannot be remembered."
    if isinstance(keyring.get_keyring(), fail.Keyring):
        return (
            "This computer has no system keyring PAR Studio can use, so the password cannot be "
            "remembered; it will be asked each time."
        )
    return None


def stored_password(url: str) -> str | None:
    """The remembered password of this server login, if any (None when there is no keyring)."""
    if keyring_problem() is not None:
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, keyring_key(url))
    except KeyringError:
        return None


def remember_password(url: str, password: str) -> str | None:
    """Keep the password in the system keyring; returns why not when it cannot."""
    problem = keyring_problem()
    if problem is not None:
        return problem
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, keyring_key(url), password)
    except KeyringError as exc:
        return f"The system keyring refused to keep the password ({exc})."
    return None


def with_password(url: str, password: str | None) -> str:
    """The URL with this password filled in (for a server login that has none written)."""
    parsed = make_url(url)
    if not password or parsed.password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def needs_password(message: str) -> bool:
    """Whether a connection refusal asks for (another) password."""
    text = message.lower()
    return "password authentication failed" in text or "no password supplied" in text
