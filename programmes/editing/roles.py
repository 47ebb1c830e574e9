"""Who may do what in the admin: the three staff groups and their permissions.

`manage.py sync_roles` makes the groups match this matrix exactly (it runs in
`make run`). The admin enforces the finer rule on top
(programmes/editing/roles_admin.py): a user without a model's publish_*
permission changes its text only.

- Editors create, edit, publish and archive content. They delete no programme,
  organisation, region or home page (archiving hides a page and keeps it); they
  may delete a programme's participation, source, key fact and result rows,
  whose deletions the history keeps.
- Translators change the translatable text of existing records; never add,
  delete or publish, glossary terms included (they correct them).
- Both see the translation dashboard, mark translations as checked, export
  and import translation files, and keep the glossary (editors add and delete
  its terms).
- Administrators have every permission of the site, users and groups included.
"""

EDITORS = "Editors"
TRANSLATORS = "Translators"
ADMINISTRATORS = "Administrators"

# Records editors write, and the rows edited inside a programme's form.
CONTENT = ["programme", "organisation", "region", "homepage"]
ROWS = ["participation", "source", "keyfact", "result"]
PUBLISHABLE = ["programme", "organisation", "region"]
# Revisions (django-simple-history): read by editors and translators, written
# by saves only.
HISTORY = [
    "historicalprogramme",
    "historicalprogramme_beneficiary_regions",
    "historicalorganisation",
    "historicalregion",
    "historicalparticipation",
    "historicalsource",
    "historicalkeyfact",
    "historicalresult",
    "historicalhomepage",
]


def permissions(actions, models, app_label="programmes"):
    return [f"{app_label}.{action}_{model}" for action in actions for model in models]


# The translators' tools (programmes/translating/status.py, the exchange files),
# given to editors too: they write text in both languages.
TRANSLATION_WORK = [
    "programmes.review_translations",
    "programmes.exchange_translations",
    *permissions(["view", "change"], ["glossaryterm"]),
]

# Group name -> "app_label.codename" permissions, or ALL for every permission.
ALL = "__all__"
ROLES = {
    EDITORS: [
        *permissions(["view", "add", "change"], CONTENT + ROWS),
        *permissions(["delete"], ROWS),
        *permissions(["publish"], PUBLISHABLE),
        *permissions(["add", "delete"], ["glossaryterm"]),
        *permissions(["view"], ["slugredirect", *HISTORY]),
        *TRANSLATION_WORK,
    ],
    TRANSLATORS: [
        *permissions(["view", "change"], CONTENT + ROWS),
        *permissions(["view"], ["slugredirect", *HISTORY]),
        *TRANSLATION_WORK,
    ],
    ADMINISTRATORS: ALL,
}
