// Opens the right language tab of a change form.
//
// modeltranslation shows one language of each field at a time, in jQuery UI
// tabs. A link to #id_summary_en (the translation dashboard's) would land on a
// hidden field: this shows that language in every field group, as the language
// switch does, then focuses the field. Otherwise the form opens on the language
// the server names in #form-language (programmes/editing/change_form.py): the
// first with an error, else the editor's interface language; the switch beside
// the title then says the same. Without JavaScript there are no tabs: every
// language is shown and each error names its language. Table headers of
// inlines without rows name their language.
"use strict";
{
    function showLanguage(index) {
        const languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (languageSwitch && index >= 0) {
            django.jQuery(languageSwitch).val(String(index)).trigger("change");
        }
    }

    function languageIndex(code) {
        const languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (!languageSwitch) {
            return -1;
        }
        return Array.from(languageSwitch.options).findIndex(
            (option) => option.textContent.trim() === code
        );
    }

    function openFieldTab() {
        const id = decodeURIComponent(window.location.hash.slice(1));
        const field = id && document.getElementById(id);
        const panel = field && field.closest(".ui-tabs-panel");
        if (!panel || !window.django || !django.jQuery) {
            return false;
        }
        const tabs = panel.parentElement;
        const panels = Array.from(tabs.children).filter(
            (child) => child.classList.contains("ui-tabs-panel")
        );
        const index = panels.indexOf(panel);
        showLanguage(index);
        // The field's own group too, should the switch not know it.
        django.jQuery(tabs).tabs("option", "active", index);
        field.scrollIntoView({block: "center"});
        field.focus({preventScroll: true});
        return true;
    }

    function openFormLanguage() {
        const named = document.getElementById("form-language");
        if (!named || !window.django || !django.jQuery) {
            return;
        }
        showLanguage(languageIndex(JSON.parse(named.textContent)));
    }

    // A tabular inline's headers read "Note [fr]", "Note [en]"; modeltranslation
    // strips the language (its tabs, in each row, show it). A table without
    // rows gets no tabs: its headers read "Note", "Note". They are kept here,
    // before modeltranslation runs (on DOM ready, after this deferred script),
    // and given back with the language's name to a table that got no tabs.
    const headers = Array.from(
        document.querySelectorAll(".inline-group .tabular thead th")
    ).map((th) => [th, th.textContent.trim()]);

    function languageName(code) {
        try {
            return new Intl.DisplayNames([document.documentElement.lang], {type: "language"}).of(code);
        } catch (error) {
            return code;
        }
    }

    function nameHeaderLanguages() {
        for (const [th, label] of headers) {
            const match = label.match(/^(.*) \[([\w-]+)\]$/);
            if (match && !th.closest("table").querySelector(".ui-tabs")) {
                th.textContent = `${match[1]} (${languageName(match[2])})`;
            }
        }
    }

    // After modeltranslation has built its tabs (on DOM ready).
    window.addEventListener("load", () => setTimeout(() => {
        nameHeaderLanguages();
        if (!openFieldTab()) {
            openFormLanguage();
        }
    }, 0));
    // Links within the page, such as the change form's translation status.
    window.addEventListener("hashchange", openFieldTab);
}
