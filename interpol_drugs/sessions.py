"""Django's database sessions, ignoring a session cookie Django cannot have issued.

The cookie's value is looked up in the database as sent. A quoted cookie may
hold octal escapes (sessionid="abcdefgh\\000"), which Python's cookie parser
turns into a NUL character, and PostgreSQL answers a query holding one with an
error: the admin's login page would be a 500 for anyone.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        # Django makes keys of lowercase letters and digits only; any other
        # value means no session, as an unknown key does.
        return super()._validate_session_key(key) and set(key) <= set(VALID_KEY_CHARS)
