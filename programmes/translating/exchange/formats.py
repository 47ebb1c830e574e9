"""The three file formats, and what export and import agree on."""

import hashlib
import re
from dataclasses import dataclass

from programmes.content.text import normalise_text
from programmes.translating.status import (
    TRACKED_MODELS,
    source_language,
)

# The <file original="…"> of XLIFF 1.2 and the PO project name.
ORIGINAL = "interpol-drugs"

XLIFF = "xliff"
XLIFF2 = "xliff2"
PO = "po"
FORMAT_NAMES = {XLIFF: "XLIFF 1.2", XLIFF2: "XLIFF 2.0", PO: "PO"}
EXTENSIONS = {XLIFF: "xlf", XLIFF2: "xlf", PO: "po"}
CONTENT_TYPES = {
    XLIFF: "application/x-xliff+xml",
    XLIFF2: "application/xliff+xml",
    PO: "text/x-gettext-translation",
}

XLIFF_1_NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.1",
    "urn:oasis:names:tc:xliff:document:1.2",
}
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_20_METADATA = "urn:oasis:names:tc:xliff:metadata:2.0"

# Each unit carries the digest of the site's translation at export (text_digest),
# so that an import can tell a translation edited on the site since: in XLIFF
# 1.2 a <context-group>'s <context context-type="…">, in XLIFF 2.0 a metadata
# module <mda:meta type="…">, in PO a developer comment "#. …: digest". Each
# format's standard allows it, CAT tools keep it, translators need not see it.
TARGET_DIGEST = "x-target-sha256"

# States a translator's tool writes when a unit is done (XLIFF 1.2 and 2.0).
DONE_STATES = {"translated", "signed-off", "final", "reviewed"}
# States saying a translation is not final yet: XLIFF 1.2's new and needs-…
# (what the export writes for work to do), XLIFF 2.0's initial. Without a
# state, a unit is neither done nor a draft: its text is imported.
XLIFF_1_DRAFT_STATES = {
    "new",
    "needs-translation",
    "needs-review-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-adaptation",
    "needs-review-l10n",
}
XLIFF_2_DRAFT_STATES = {"initial"}

# The inline markup each XLIFF version allows in a target. Any other element
# (a <script>, in the XLIFF namespace or another) is refused: reading the text
# would keep its words and drop the element without a word.
XLIFF_1_INLINE = {"g", "x", "bx", "ex", "bpt", "ept", "ph", "it", "sub", "mrk"}
XLIFF_2_INLINE = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}

# Placeholders a text may hold, which a translation must keep: %(name)s, %s,
# {name}. None is expected in content, but a translation must not add or drop one.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")

# The biggest file the admin accepts (the command reads any size).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def exchange_models():
    """{model name: model} of the records translators work on."""
    return {model._meta.model_name: model for model in TRACKED_MODELS}


def source_language_for(target):
    """The language translations into `target` are made from."""
    return source_language(target, {})


def text_digest(text):
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


# Characters XML 1.0 cannot hold (control characters pasted into a field):
# left out of XLIFF files, and of the comparison of a file's source with ours.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return NOT_XML.sub("", text or "")


def same_source(file_source, site_source):
    return xml_safe(normalise_text(file_source)) == xml_safe(
        normalise_text(site_source)
    )


@dataclass
class Problem:
    message: str
    unit: str = ""
    # The record and field, when the id names one: "Programme “X”, Summary".
    where: str = ""

    def __str__(self):
        if not self.unit:
            return self.message
        place = f"{self.unit} ({self.where})" if self.where else self.unit
        return f"{place}: {self.message}"
