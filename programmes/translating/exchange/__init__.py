"""Translation files for translators' own tools: XLIFF and PO, out and back in.

Export (export_translations): one unit per translated field of every record,
or only the missing and outdated ones, into one target language. Each unit has
a stable id ("programme.3.summary", translation_status.FieldStatus.unit_id),
the source text, the current translation if any, its status, and notes giving
the translator context: the record, the field, its maximum length, the page,
the admin form, the glossary pairs the source uses. translate-toolkit writes
the files, no XML or PO is written by hand here:

- XLIFF 1.2, which every CAT tool reads: the status is the target's `state`
  (needs-translation, needs-review-translation, translated); an outdated unit
  carries, as an <alt-trans alttranstype="previous-version">, the source it
  was translated from, so that the tool can show what changed.
- XLIFF 2.0: the same units, status as the segment's state (initial for work
  to do, translated otherwise).
- PO: msgctxt holds the id, "fuzzy" marks an outdated translation and "#|" the
  source it was translated from (what Poedit and Lokalize show as a diff).

Import (import_translations): the whole file is checked before anything is
written, and every problem is reported, each naming its unit: unreadable
files, languages, unknown ids, sources changed since the export, texts too
long for their field, XML elements in a target that are not the format's
inline markup (their words would be kept, the element lost), markup the site
does not allow, placeholders or markup that differ from the source. Glossary
terms of the other language are warnings. A file with any error changes
nothing; otherwise every change is written in one transaction, each record
saved once, so that its revision (django-simple-history) names the importing
user and the file, and the translation states follow (a translation catching
up is up to date).
An outdated translation sent back unchanged but marked done by the tool
(XLIFF state translated or final, PO without fuzzy) is marked as checked.
A unit the tool still marks as not final (PO fuzzy; XLIFF 1.2 new or needs-…;
XLIFF 2.0 initial) is the translator's draft: it is left out, with a warning
when its text differs from the site's, and the rest of the file imports. An
empty translation is not translated yet, whatever its state: left out, with a
warning (what an export holds for a missing translation, sent back as is).
Each unit also carries a digest of the site's translation at export
(formats.TARGET_DIGEST): a translation edited on the site since the export is
kept when the file holds it as exported, and is a conflict when the file
changes it too. Conflicts are applied only when asked (the admin preview's
boxes, the command's --take-file); a file without digests (exported before)
imports as before, with a warning that conflicts cannot be detected.
Applying a preview (the admin's import) also refuses the file when one of the
translations the preview showed as current has changed on the site since
(targets_fingerprint).

What CAT tools do to a file is accepted: reordered attributes and units, other
namespaces and attributes, notes, alt-trans, segments (<mrk>, XLIFF 2.0
segments of one unit), states, a byte order mark, CRLF line ends, xml:space
dropped (the site's texts keep their paragraphs: whitespace is always kept).

Untrusted XML: a file declaring a document type (DTD) is refused before
translate-toolkit reads it, so that no entity is ever expanded (the "billion
laughs") or fetched (XXE); the parser resolves none and uses no network.
"""
