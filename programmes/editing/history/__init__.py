"""Revisions in the admin: history, comparison, restore and recovery.

django-simple-history keeps a row per save in a history table holding every
language's column (translation.py registers it after modeltranslation), and
the regions a programme had at that time. Its own admin (SimpleHistoryAdmin)
restores through a change form built from the old record, which would bring
back status and slugs unchecked and does not fit modeltranslation's tabs; these
views are the site's own, on top of the records:

- a history page per object (Django's "History" button leads to it): who,
  when, what kind of change, which fields in which languages;
- a comparison of any two revisions, field by field and language by language,
  with a word-level difference;
- a restore, which writes the old text back as a new revision, keeps the
  current publication status and date, and goes through full_clean();
- a list of deleted objects, each recoverable with the same id (a programme
  with its participations and sources as they were when it was deleted).

A change reason is stored in English, as a key (the column holds 100
characters); pages show it translated (reason_display).
"""
