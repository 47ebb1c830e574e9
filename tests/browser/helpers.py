"""Helpers the browser tests share: logging in, the admin's tabs, axe, CSP."""

from pathlib import Path

from playwright.sync_api import expect

AXE = (
    Path(__file__).resolve().parents[2] / "tools" / "a11y" / "node_modules" / "axe-core"
)
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

ADMIN_PAGES = [
    "/admin/",
    "/admin/programmes/programme/",
    "/admin/programmes/programme/add/",
    "/admin/programmes/programme/{aircop}/change/",
    "/admin/programmes/organisation/",
    "/admin/programmes/organisation/{unodc}/change/",
    "/admin/programmes/region/",
    "/admin/programmes/region/add/",
    "/admin/programmes/homepage/1/change/",
    "/admin/translations/translate/programme/{aircop}/en/",
]

# Runs before any script of the page, so no violation goes unseen.
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` (${event.sourceFile}:${event.lineNumber}): ${event.sample}`
    );
});
"""


def run_axe(page, axe_source):
    page.evaluate(axe_source)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_AA_TAGS,
    )


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )


def log_in(page, site, username, password):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    expect(page.locator("#user-tools")).to_be_visible()


def show_language_tabs(page, code):
    # modeltranslation's switch shows one language's tab in every field group;
    # it listens for "change", which selecting the option already shown skips.
    switch = page.locator("#modeltranslation-main-switch")
    switch.select_option(label=code)
    switch.dispatch_event("change")


SCROLLS_SIDEWAYS = """() => {
    const root = document.documentElement;
    return root.scrollWidth > root.clientWidth;
}"""
# The texts of a page's timeline drawn outside its chart: cut off by the
# screen's edge (the page itself does not scroll sideways).
TIMELINE_TEXT_OUTSIDE = """() => {
    const chart = document.querySelector(".timeline__chart");
    if (!chart) return [];
    const box = chart.getBoundingClientRect();
    return [...chart.querySelectorAll("text")]
        .filter(text => {
            const own = text.getBoundingClientRect();
            return own.left < box.left - 1 || own.right > box.right + 1;
        })
        .map(text => text.textContent);
}"""
