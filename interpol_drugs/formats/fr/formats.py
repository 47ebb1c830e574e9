"""Formats for "fr": Django's own, but digits are grouped with the narrow
no-break space (U+202F), as French typography and docs/style-sheet.md want;
Django's module has the ordinary no-break space (U+00A0). Django looks up each
format here first, then in its own module.

No form field of the site is localized (`localize=True`): editors type numbers
without separators, so input is not affected.
"""

THOUSAND_SEPARATOR = "\u202f"  # 1 200 000
