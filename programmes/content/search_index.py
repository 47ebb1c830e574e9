"""The search index: the folded words of every programme, organisation and region.

One SearchEntry per object and language of the site, written whenever the
object is saved (however it is saved: the admin, an import, `load_content`, the
shell), deleted with it. Each entry keeps three columns of words, folded (no
case, no accents) and separated by single spaces, as the search compares them
(programmes/public/search.py):

- `names`: the names and acronyms in every language (visitors type the name
  they know, whatever the page's language), ranked first;
- `summary`: the programme's summary as the page in that language shows it;
- `body`: the description as that page shows it, without its markup.

On SQLite, an FTS5 table mirrors the entries (kept current by triggers, see the
migration); on PostgreSQL one partial GIN index per language of the site covers
the entries' full-text vector in that language (`document_vector`), made by
`migrate` (post_migrate) since the languages are configuration. Code that
writes with `queryset.update()` bypasses the signals: `manage.py
rebuild_search_index` (or `rebuild()`) writes every entry again, and `migrate`
does so when the index lacks a language of the site.
"""

import re
from functools import cache

from django.conf.locale import LANG_INFO
from django.db import connection, connections, models, transaction
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from programmes.languages import language_codes, sort_key

from .models import Organisation, Programme, Region
from .rich_text import plain_text

# Letters and digits: punctuation, underscores and symbols separate words, and
# nothing else can reach a full-text query's syntax.
WORD = re.compile(r"[^\W_]+")
FTS_TABLE = "programmes_searchentry_fts"
COLUMNS = ("names", "summary", "body")
# The text searched for each kind, by column.
INDEXED_FIELDS = {
    Programme: {
        "names": ("name", "acronym"),
        "summary": ("summary",),
        "body": ("description",),
    },
    Organisation: {
        "names": ("name", "acronym"),
        "summary": (),
        "body": ("description",),
    },
    Region: {"names": ("name",), "summary": (), "body": ()},
}


def fold(text):
    """Lower case without accents: "Cocaïne" and "COCAINE" both give "cocaine"."""
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE")):
        text = text.replace(ligature, letters)
    return sort_key(text)


def folded_words(*texts):
    """The folded words of `texts`, each once, separated by spaces."""
    words = dict.fromkeys(word for text in texts for word in WORD.findall(fold(text)))
    return " ".join(words)


class SearchEntry(models.Model):
    """The words of one programme, organisation or region in one language."""

    language = models.CharField(max_length=10)
    programme = models.ForeignKey(
        Programme, null=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, on_delete=models.CASCADE, related_name="+"
    )
    names = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", kind], name=f"search_entry_one_per_{kind}"
            )
            for kind in ("programme", "organisation", "region")
        ]

    def __str__(self):
        return f"{self.language}: {self.names}"


def kind_of(model):
    """The SearchEntry field naming an object of `model`."""
    return model._meta.model_name


def shown_text(obj, field_name, language):
    """A field's text as the page in `language` shows it, without markup."""
    options = translator.get_options_for_model(type(obj))
    if field_name in options.get_field_names():
        value = next(
            (
                text
                for code in resolution_order(language)
                if (text := getattr(obj, build_localized_fieldname(field_name, code)))
            ),
            "",
        )
    else:
        value = getattr(obj, field_name) or ""
    if field_name in getattr(obj, "rich_text_fields", ()):
        return plain_text(value)
    return value


def every_language_text(obj, field_name):
    options = translator.get_options_for_model(type(obj))
    if field_name not in options.get_field_names():
        return [getattr(obj, field_name) or ""]
    return [
        getattr(obj, build_localized_fieldname(field_name, code)) or ""
        for code in language_codes()
    ]


def entries_for(obj):
    """The unsaved SearchEntry of `obj` in every language of the site."""
    columns = INDEXED_FIELDS[type(obj)]
    names = folded_words(
        *(text for name in columns["names"] for text in every_language_text(obj, name))
    )
    return [
        SearchEntry(
            language=language,
            names=names,
            summary=folded_words(
                *(shown_text(obj, name, language) for name in columns["summary"])
            ),
            body=folded_words(
                *(shown_text(obj, name, language) for name in columns["body"])
            ),
            **{kind_of(type(obj)): obj},
        )
        for language in language_codes()
    ]


def update_entries(sender, instance, raw=False, **kwargs):
    """post_save: the object's entries say what it says now.

    Only the entries whose words changed are written: a save that changes
    nothing searched writes nothing here.
    """
    if raw:
        return  # loaddata: rebuild() afterwards
    kind = kind_of(sender)
    existing = {
        entry.language: entry
        for entry in SearchEntry.objects.filter(**{kind: instance})
    }
    with transaction.atomic():
        for entry in entries_for(instance):
            old = existing.pop(entry.language, None)
            if old is None:
                entry.save()
            elif any(
                getattr(old, column) != getattr(entry, column) for column in COLUMNS
            ):
                for column in COLUMNS:
                    setattr(old, column, getattr(entry, column))
                old.save(update_fields=COLUMNS)
        # Languages no longer on the site.
        SearchEntry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()


def rebuild():
    """Writes every entry again; returns how many."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        count = 0
        for model in INDEXED_FIELDS:
            batch = []
            for obj in model.objects.iterator(chunk_size=500):
                batch += entries_for(obj)
                if len(batch) >= 1000:
                    count += len(SearchEntry.objects.bulk_create(batch))
                    batch = []
            count += len(SearchEntry.objects.bulk_create(batch))
    return count


def text_search_configuration(language):
    """PostgreSQL's text search configuration for `language` (its stemmer and
    stop words): the one named after the language in English ("french",
    "spanish", "arabic"...) when this server has it, else 'simple'."""
    name = LANG_INFO.get(language, {}).get("name", "").lower()
    return name if name in text_search_configurations() else "simple"


@cache
def text_search_configurations():
    """The names of the server's text search configurations (pg_ts_config).

    Plain lower-case names only: they are written into the query's SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        names = {row[0] for row in cursor.fetchall()}
    return frozenset(name for name in names if re.fullmatch(r"[a-z_]+", name))


def document_vector(language, text):
    """The SQL of the full-text vector of `text` in `language`: the words as
    typed ('simple') and their stems in the language's configuration.

    The search and the index share it: PostgreSQL uses the index only for the
    very same expression."""
    configs = dict.fromkeys(["simple", text_search_configuration(language)])
    return " || ".join(
        f"to_tsvector('{config}'::regconfig, {text})" for config in configs
    )


DOCUMENT = "names || ' ' || summary || ' ' || body"


def full_text_index_name(language):
    return f"{SearchEntry._meta.db_table}_document_{re.sub(r'[^a-z]', '_', language)}"


def make_full_text_indexes(using="default", **kwargs):
    """post_migrate, PostgreSQL: a partial GIN index per language of the site
    (its entries, its configuration); a language added later gets its own."""
    if connections[using].vendor != "postgresql":
        return
    table = SearchEntry._meta.db_table
    with connections[using].cursor() as cursor:
        for language in language_codes():
            if not re.fullmatch(r"[a-z]+(-[a-z]+)?", language):
                continue  # never reaches SQL: the search falls back to a scan
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {full_text_index_name(language)} "
                f"ON {table} USING gin (({document_vector(language, DOCUMENT)})) "
                f"WHERE language = '{language}'"
            )


def rebuild_if_incomplete(**kwargs):
    """post_migrate: fills the index when a language of the site is missing from
    it (a new installation's content, an added language, an upgrade)."""
    if not any(model.objects.exists() for model in INDEXED_FIELDS):
        return
    indexed = set(SearchEntry.objects.values_list("language", flat=True).distinct())
    if indexed != set(language_codes()):
        rebuild()


_fts5_tables = {}


def has_fts5():
    """Whether this database has the FTS5 table (SQLite with FTS5 only).

    Asked once per database file and process: the migration makes it or not.
    """
    if connection.vendor != "sqlite":
        return False
    name = connection.settings_dict["NAME"]
    if name not in _fts5_tables:
        with connection.cursor() as cursor:
            _fts5_tables[name] = FTS_TABLE in connection.introspection.table_names(
                cursor
            )
    return _fts5_tables[name]
