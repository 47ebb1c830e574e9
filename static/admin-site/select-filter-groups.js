// Group headings in Django's two-pane picker (FilteredSelectMultiple).
//
// SelectBox.js redraws both lists as flat options as soon as one searches or
// moves a choice, dropping the <optgroup> headings of grouped choices (the
// translation files' records, grouped by kind of record). Here each option
// keeps the group it was given, and a list is redrawn group by group, in the
// groups' first order; a list without groups is left to Django. Without
// JavaScript, the plain multiple select shows its optgroups itself.
"use strict";
{
    const SelectBox = window.SelectBox;
    // Per field (the select's id without _from or _to): the groups in their
    // order, and each choice's group ("" for a choice outside any group).
    const groups = {};
    const fieldOf = (id) => id.replace(/_(from|to)$/, "");

    if (SelectBox) {
        const init = SelectBox.init;
        SelectBox.init = function (id) {
            const field = fieldOf(id);
            groups[field] = groups[field] || {order: [], of: new Map()};
            const known = groups[field];
            for (const option of document.getElementById(id).options) {
                const parent = option.parentNode;
                const group = parent.tagName === "OPTGROUP" ? parent.label : "";
                if (!known.order.includes(group)) {
                    known.order.push(group);
                }
                known.of.set(option.value, group);
            }
            return init.call(this, id);
        };

        const redisplay = SelectBox.redisplay;
        SelectBox.redisplay = function (id) {
            const known = groups[fieldOf(id)];
            if (!known || known.order.every((group) => group === "")) {
                return redisplay.call(this, id);
            }
            const box = document.getElementById(id);
            const scroll = box.scrollTop;
            box.replaceChildren();
            for (const group of known.order) {
                const nodes = SelectBox.cache[id].filter(
                    (node) => node.displayed && (known.of.get(node.value) || "") === group
                );
                if (!nodes.length) {
                    continue;
                }
                let parent = box;
                if (group) {
                    parent = document.createElement("optgroup");
                    parent.label = group;
                    box.append(parent);
                }
                for (const node of nodes) {
                    const option = new Option(node.text, node.value, false, false);
                    option.title = node.text;
                    parent.append(option);
                }
            }
            box.scrollTop = scroll;
        };
    }
}
