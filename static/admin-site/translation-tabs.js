// Opens the language tab of the field an address's #fragment names.
//
// modeltranslation shows one language of each field at a time, in jQuery UI
// tabs; a link to #id_summary_en (the translation dashboard's) would land on a
// hidden field. This shows that language in every field group, as the language
// switch does, then focuses the field. Without JavaScript there are no tabs and
// the browser scrolls to the field as usual.
"use strict";
{
    function openFieldTab() {
        const id = decodeURIComponent(window.location.hash.slice(1));
        const field = id && document.getElementById(id);
        const panel = field && field.closest(".ui-tabs-panel");
        if (!panel || !window.django || !django.jQuery) {
            return;
        }
        const tabs = panel.parentElement;
        const panels = Array.from(tabs.children).filter(
            (child) => child.classList.contains("ui-tabs-panel")
        );
        const index = panels.indexOf(panel);
        const languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (languageSwitch) {
            django.jQuery(languageSwitch).val(String(index)).trigger("change");
        }
        // The field's own group too, should the switch not know it.
        django.jQuery(tabs).tabs("option", "active", index);
        field.scrollIntoView({block: "center"});
        field.focus({preventScroll: true});
    }

    // After modeltranslation has built its tabs (on DOM ready).
    window.addEventListener("load", () => setTimeout(openFieldTab, 0));
    // Links within the page, such as the change form's translation status.
    window.addEventListener("hashchange", openFieldTab);
}
