// Accessibility fixes for markup that Django's admin widgets and
// modeltranslation's language tabs build in the browser.
"use strict";
{
    const script = document.currentScript;

    function fix() {
        // The language switch above a translated form has no label.
        const languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
            languageSwitch.setAttribute("aria-label", script.dataset.languageSwitchLabel);
        }
        // jQuery UI tabs put a link inside each focusable tab. The tab handles
        // the keyboard and knows its panel (aria-controls), and the click
        // handler stays on the link: without its href the link is no longer a
        // second, nested control.
        for (const link of document.querySelectorAll(".ui-tabs-nav [role=tab] > a[href]")) {
            link.removeAttribute("href");
            link.removeAttribute("tabindex");
        }
        // The search icon of the two-pane selector carries a label on a bare span.
        for (const icon of document.querySelectorAll("span.help-tooltip[aria-label]")) {
            icon.setAttribute("role", "img");
        }
    }

    // jQuery UI loads a tab whose link is not a local #fragment by Ajax: a
    // link without href is one of ours and stays local.
    const tabs = window.django && django.jQuery && django.jQuery.ui && django.jQuery.ui.tabs;
    if (tabs) {
        const isLocal = tabs.prototype._isLocal;
        tabs.prototype._isLocal = function (anchor) {
            return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
        };
    }

    // Django puts "Note: You are 1 hour behind server time." after every date
    // and time input, each source row's included: once, at the first, is enough.
    const shortcuts = window.DateTimeShortcuts;
    if (shortcuts) {
        const addTimezoneWarning = shortcuts.addTimezoneWarning;
        shortcuts.addTimezoneWarning = function (input) {
            if (!document.querySelector("." + shortcuts.timezoneWarningClass)) {
                addTimezoneWarning.call(this, input);
            }
        };
    }

    // After the widgets' own load handlers have built their markup.
    window.addEventListener("load", () => setTimeout(fix, 0));
}
