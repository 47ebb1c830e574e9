"""Django's entry point for the admin: each workflow registers its own pages."""

from .editing import admin as editing_admin  # noqa: F401
from .translating import glossary_admin  # noqa: F401
