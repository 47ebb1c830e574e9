"""A new editor and a new translator in the admin (issue 18), in Chromium:
a broken source on the editors' home after check_links; forms that open on the
right language, errors naming it, previews at the top, 1280 and 768 px; the
translation view from the dashboard to 100 %. axe runs on
every page the journeys visit, in French and in English. Screenshots of each
step go to test-artifacts/screenshots/.

Two tests, one live server and one content load each: the editor's English and
French starts share theirs (CI's clock is tight).
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from playwright.sync_api import expect

from programmes.management.commands import check_links
from programmes.models import Programme, Source
from programmes.translating.status import Status, object_statuses, states_by_key

from .helpers import describe, log_in, run_axe, show_language_tabs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def layout(page):
    # modeltranslation's script builds the language switch once the page has loaded.
    page.locator("#modeltranslation-main-switch").wait_for(state="attached")
    return page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth,
            language: document.getElementById("modeltranslation-main-switch")
                ?.selectedOptions[0]?.textContent,
            timezoneNotes: document.querySelectorAll(".timezonewarning").length,
        })"""
    )


class Journey:
    """One person's browser in one interface language: each step audited by
    axe and photographed; the addresses audited are kept, so that the other
    language's journey can audit them too."""

    def __init__(self, browser, site, axe_source, screenshots, language, name):
        # A browser an hour behind the server (Europe/Paris): Django's time-zone note.
        self.context = browser.new_context(
            locale={"en": "en-GB", "fr": "fr-FR"}[language],
            timezone_id="UTC",
            viewport={"width": 1280, "height": 900},
        )
        self.page = self.context.new_page()
        self.site = site
        self.axe_source = axe_source
        self.language = language
        self.name = name
        self.screenshots = screenshots
        self.shots = 0
        self.audited = {}

    def log_in(self, user, password):
        """Sign in, auditing the login page and the home it leads to (the
        editors' home, or the translators' dashboard)."""
        self.page.goto(self.site + "/admin/login/")
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        self.audit()
        log_in(self.page, self.site, user.username, password)
        self.step("home")

    def audit(self):
        violations = run_axe(self.page, self.axe_source)["violations"]
        assert violations == [], f"{self.page.url}: {describe(violations)}"
        self.audited[self.page.url.split("#")[0]] = True

    def step(self, name, audit=True):
        if audit:
            self.audit()
        self.shots += 1
        self.page.screenshot(
            path=self.screenshots / f"{self.name}-{self.shots}-{name}.png",
            full_page=True,
        )

    def draft_previews(self, programme, view_on_site_language):
        """The draft's two preview links, at the top of the form; View on
        site previews it too."""
        previews = self.page.locator("p.preview-links a")
        expect(previews).to_have_count(2)
        view_on_site = self.page.locator(".viewsitelink").get_attribute("href")
        assert view_on_site.endswith(
            f"/{programme.pk}/preview/{view_on_site_language}/"
        )
        return previews

    def open_preview(self, link, heading, name):
        link.click()
        expect(self.page.get_by_role("heading", name=heading)).to_be_visible()
        # A public page: tests/browser/test_audits.py audits those.
        self.step(name, audit=False)

    def publish(self, programme=None):
        """Choose "published" and save (on the programme's form if given)."""
        if programme is not None:
            self.page.goto(
                f"{self.site}/admin/programmes/programme/{programme.pk}/change/"
            )
        self.page.select_option("#id_status", "published")
        self.page.click("input[name=_continue]")

    def audit_the_pages_of(self, other):
        """The admin pages `other` visited, seen in this journey's language
        (previews are public pages, in their own language)."""
        for url in other.audited:
            if url not in self.audited and "/preview/" not in url:
                assert self.page.goto(url).status == 200, url
                expect(self.page.locator("html")).to_have_attribute(
                    "lang", self.language
                )
                self.audit()

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, site, axe_source, screenshots):
    journeys = []

    def start(user, password, language, name):
        journey = Journey(browser, site, axe_source, screenshots, language, name)
        journeys.append(journey)
        journey.log_in(user, password)
        return journey

    yield start
    for journey in journeys:
        journey.close()


def test_an_editor_creates_programmes_starting_in_english_and_in_french(
    site, journey, staff_user, monkeypatch
):
    # A source whose address is gone, checked by check_links (this one
    # address only: the seed's addresses are real sites).
    gone = site + "/no-such-page/"
    Source.objects.create(
        programme=Programme.objects.get(acronym="AIRCOP"),
        title_en="A page that went",
        url=gone,
    )
    monkeypatch.setattr(check_links, "cited_addresses", lambda: [gone])
    call_command("check_links", "--timeout=5", stdout=StringIO())

    user, password = staff_user
    english = journey(user, password, "en", "editor-journey")
    # The editors' home, where the journey starts, lists it.
    expect(english.page.locator("section[aria-labelledby=home-links]")).to_contain_text(
        f"A page that went — {gone} — error 404"
    )
    start_in_english(english)
    french = journey(user, password, "fr", "editor-journey-fr")
    start_in_french(french)
    # Every admin page either journey visited, in the other language too.
    english.audit_the_pages_of(french)
    french.audit_the_pages_of(english)


def start_in_english(journey):
    page, site = journey.page, journey.site
    page.goto(site + "/admin/programmes/programme/add/")
    assert layout(page)["language"] == "en"
    journey.step("add-form-in-english")
    page.fill("#id_name_en", "Test programme in English")
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    # The French name is missing: the error says so, and its tab is open.
    expect(page.get_by_text("Name in French: This field is required.")).to_be_visible()
    assert layout(page)["language"] == "fr"
    journey.step("french-name-missing")
    page.fill("#id_name_fr", "Programme d’essai")
    page.fill("#id_slug_fr", "programme-d-essai")
    page.click("input[name=_continue]")
    programme = Programme.objects.get(name_en="Test programme in English")
    assert programme.display_order > 0

    # The saved draft: previews at the top, View on site previews it too.
    page.wait_for_load_state("load")
    previews = journey.draft_previews(programme, "en")
    facts = layout(page)
    assert facts["width"] <= 1280
    assert facts["timezoneNotes"] == 1
    journey.step("draft-saved")
    journey.open_preview(
        previews.nth(1), "Test programme in English", "preview-in-english"
    )

    # Publishing needs the texts in every language: the errors say which.
    journey.publish(programme)
    expect(
        page.get_by_text("Publishing needs the summary in French.", exact=False)
    ).to_be_visible()
    assert layout(page)["language"] == "fr"
    journey.step("publishing-needs-french")
    for code, summary, description in [
        ("fr", "Un résumé.", "Une description."),
        ("en", "A summary.", "A description."),
    ]:
        show_language_tabs(page, code)
        page.fill(f"#id_summary_{code}", summary)
        page.fill(f"#id_description_{code}", description)
    journey.publish()
    expect(page.locator(".messagelist .success")).to_be_visible()
    programme.refresh_from_db()
    assert programme.is_public
    journey.step("published", audit=False)

    # A programme with participations and sources fits, at 1280 and 768 px.
    aircop = Programme.objects.get(acronym="AIRCOP")
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}/admin/programmes/programme/{aircop.pk}/change/")
        page.wait_for_timeout(100)
        assert layout(page)["width"] <= width
        assert layout(page)["timezoneNotes"] == 1
        journey.step(f"aircop-{width}", audit=width == 1280)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_texts(page, code, name, summary, description):
    """The texts a programme needs in a language to be published."""
    page.fill(f"#id_name_{code}", name)
    page.fill(f"#id_slug_{code}", slugify(name))
    page.fill(f"#id_summary_{code}", summary)
    page.fill(f"#id_description_{code}", description)


def start_in_french(journey):
    """A French editor writes the French text first: every message in French,
    the English tab opened when English is what publishing lacks."""
    page, site = journey.page, journey.site
    page.goto(site + "/admin/programmes/programme/add/")
    assert layout(page)["language"] == "fr"
    journey.step("add-form-in-french")
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    expect(
        page.get_by_text("Nom en français\u202f: Ce champ est obligatoire.")
    ).to_be_visible()
    assert layout(page)["language"] == "fr"
    journey.step("nom-manquant")
    fill_texts(
        page,
        "fr",
        "Programme commencé en français",
        "Un résumé écrit d’abord en français.",
        "Une description écrite d’abord en français.",
    )
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    programme = Programme.objects.get(name_fr="Programme commencé en français")
    assert not programme.is_public

    # The draft: the French preview first, at the top of the form.
    previews = journey.draft_previews(programme, "fr")
    expect(previews.first).to_have_text("Aperçu en français")
    journey.step("brouillon-enregistre")
    journey.open_preview(
        previews.first, "Programme commencé en français", "apercu-en-francais"
    )

    # Publishing lacks the English: the errors say so in French, English opens.
    journey.publish(programme)
    expect(page.locator(".errornote")).to_be_visible()
    for field in ("nom", "résumé", "description"):
        expect(
            page.get_by_text(
                f"La publication demande le champ « {field} » en anglais",
                exact=False,
            ).first
        ).to_be_visible()
    expect(page.get_by_text("Publishing needs", exact=False)).to_have_count(0)
    assert layout(page)["language"] == "en"
    journey.step("publication-demande-l-anglais")
    fill_texts(
        page,
        "en",
        "Programme started in French",
        "A summary written in French first.",
        "A description written in French first.",
    )
    journey.publish()
    expect(page.locator(".messagelist .success")).to_be_visible()
    programme.refresh_from_db()
    assert programme.is_public
    journey.step("publie", audit=False)


def english_statuses(programme):
    programme.refresh_from_db()
    return {
        status.field: status.status
        for status in object_statuses(programme, states_by_key([programme]))
        if status.language == "en"
    }


TRANSLATIONS = {
    "name": "Programme to translate",
    "slug": "programme-to-translate",  # its English address (issue 19)
    "summary": "A summary to translate.",
    "description": "A description to translate.",
    "facts_note": "A note on the figures.",
}


def test_a_translator_brings_a_record_to_100_percent_from_the_dashboard(
    site, journey, translator_user
):
    # Written in French only: every text of it is the translator's work.
    programme = Programme.objects.create(
        name_fr="Programme à traduire",
        slug_fr="programme-a-traduire",
        summary_fr="Un résumé à traduire.",
        description_fr="Une description à traduire.",
        facts_note_fr="Une note sur les chiffres.",
    )
    assert set(english_statuses(programme).values()) == {Status.MISSING}
    user, password = translator_user
    french = journey(user, password, "fr", "translator-journey")
    page, record = french.page, "Programme à traduire"

    page.goto(site + "/admin/translations/")
    page.select_option("#id_language", "en")
    page.select_option("#id_model", "programme")
    page.get_by_role("button", name="Afficher").click()
    french.step("tableau-de-bord")
    page.locator("a.translate-beside", has_text=record).first.click()
    progress = page.locator(".translate-progress")
    expect(progress).to_contain_text(re.compile(r"0 sur 5 champs \(0\s%\)"))
    french.step("vue-de-traduction")

    page.get_by_role("link", name=re.compile("^Premier champ à traduire")).click()
    fields = list(TRANSLATIONS)
    for index, field in enumerate(fields):
        expect(page).to_have_url(re.compile(f"#field-{field}$"))
        page.fill(f"#id_{field}_en", TRANSLATIONS[field])
        if index + 1 < len(fields):
            page.locator(f"#field-{field}").get_by_role(
                "link", name=re.compile("^Champ suivant à traduire")
            ).click()
    french.step("champs-remplis", audit=False)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"« {record} » enregistré en anglais"
    )
    expect(progress).to_contain_text(re.compile(r"5 sur 5 champs \(100\s%\)"))
    expect(page.locator(".translate-links")).to_contain_text(
        "Tous les champs de cet enregistrement sont à jour dans cette langue."
    )
    french.step("cent-pour-cent")
    assert set(english_statuses(programme).values()) == {Status.UP_TO_DATE}

    # Back on the dashboard, the record has no work left.
    page.locator(".breadcrumbs").get_by_role("link", name="Traductions").click()
    page.select_option("#id_model", "programme")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("a.translate-beside", has_text=record)).to_have_count(0)
    french.step("plus-rien-a-faire")

    english = journey(user, password, "en", "translator-journey-en")
    english.audit_the_pages_of(french)
