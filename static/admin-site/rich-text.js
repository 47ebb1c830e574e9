// A small formatting toolbar above each rich-text textarea (descriptions).
//
// The buttons only type the few tags the site accepts into the textarea, so
// editors and translators keep seeing and editing plain markup; without
// JavaScript the textarea works the same. The labels come translated from the
// server, in the textarea's data-rich-text attribute (programmes/editing/rich_text_admin.py).
"use strict";
{
    function escapeAttribute(value) {
        return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    }

    // Replaces the selection, keeping the browser's undo history where it can.
    function replaceSelection(textarea, text, caretStart, caretEnd) {
        const start = textarea.selectionStart;
        textarea.focus();
        let typed = false;
        try {
            typed = document.execCommand("insertText", false, text);
        } catch (error) {
            typed = false;
        }
        if (!typed) {
            textarea.setRangeText(text, start, textarea.selectionEnd, "end");
            textarea.dispatchEvent(new Event("input", {bubbles: true}));
        }
        textarea.setSelectionRange(start + caretStart, start + caretEnd);
    }

    function selected(textarea) {
        return textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    }

    // Inline markup around the selection; the selection stays on the text.
    function wrap(textarea, open, close) {
        const text = selected(textarea);
        replaceSelection(textarea, open + text + close, open.length, open.length + text.length);
    }

    // A block (heading, list) on lines of its own, a blank line around it,
    // as paragraphs are separated.
    function insertBlock(textarea, block, caretStart, caretEnd) {
        const before = textarea.value.slice(0, textarea.selectionStart);
        const after = textarea.value.slice(textarea.selectionEnd);
        let prefix = "";
        if (before && !before.endsWith("\n\n")) {
            prefix = before.endsWith("\n") ? "\n" : "\n\n";
        }
        let suffix = "";
        if (after && !after.startsWith("\n\n")) {
            suffix = after.startsWith("\n") ? "\n" : "\n\n";
        }
        replaceSelection(
            textarea,
            prefix + block + suffix,
            prefix.length + caretStart,
            prefix.length + caretEnd,
        );
    }

    function heading(textarea, level) {
        const text = selected(textarea).replace(/\s+/g, " ").trim();
        const open = "<h" + level + ">";
        insertBlock(textarea, open + text + "</h" + level + ">", open.length, open.length + text.length);
    }

    function list(textarea) {
        const lines = selected(textarea).split("\n").map((line) => line.trim()).filter(Boolean);
        if (!lines.length) {
            lines.push("");
        }
        const items = lines.map((line) => "<li>" + line + "</li>").join("\n");
        // The caret goes into the first item.
        const caret = "<ul>\n<li>".length;
        insertBlock(textarea, "<ul>\n" + items + "\n</ul>", caret, caret + lines[0].length);
    }

    function link(textarea, labels) {
        const address = window.prompt(labels.linkPrompt, "https://");
        if (!address || !address.trim() || address.trim() === "https://") {
            textarea.focus();
            return;
        }
        const href = address.trim();
        const text = selected(textarea) || href;
        const open = '<a href="' + escapeAttribute(href) + '">';
        replaceSelection(textarea, open + text + "</a>", open.length, open.length + text.length);
    }

    function addToolbar(textarea) {
        let labels;
        try {
            labels = JSON.parse(textarea.dataset.richText);
        } catch (error) {
            return;
        }
        const actions = [
            ["bold", () => wrap(textarea, "<strong>", "</strong>")],
            ["italic", () => wrap(textarea, "<em>", "</em>")],
            ["heading", () => heading(textarea, 2)],
            ["subheading", () => heading(textarea, 3)],
            ["list", () => list(textarea)],
            ["link", () => link(textarea, labels)],
        ];
        // A group of ordinary buttons, each reached with Tab: simpler to use
        // with the keyboard than a roving-focus toolbar for six buttons.
        const toolbar = document.createElement("div");
        toolbar.className = "rich-text-toolbar";
        toolbar.setAttribute("role", "group");
        toolbar.setAttribute("aria-label", labels.toolbar);
        for (const [name, action] of actions) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "button rich-text-toolbar__button";
            button.dataset.action = name;
            button.textContent = labels[name];
            button.setAttribute("aria-controls", textarea.id);
            button.addEventListener("click", action);
            toolbar.append(button);
        }
        // Toolbar and textarea in one box: the admin lays out a field's
        // label and widget side by side.
        const box = document.createElement("div");
        box.className = "rich-text";
        textarea.before(box);
        box.append(toolbar, textarea);
    }

    function start() {
        for (const textarea of document.querySelectorAll("textarea[data-rich-text]")) {
            addToolbar(textarea);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
