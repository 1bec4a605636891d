/** @odoo-module **/

import {registry} from "@web/core/registry";

const COMPANY =
    ".o_hierarchy_node_container:has(.o_hierarchy_node_content:contains('Q1 capacity +20%'))";

registry.category("web_tour.tours").add("okr_alignment_tree_tour", {
    url: "/odoo/action-okr_management.okr_objective_action_alignment",
    steps: () => [
        {
            content: "The tree opens on the company objectives",
            trigger: `${COMPANY}`,
        },
        {
            content: "Unfold the capacity objective",
            trigger: `${COMPANY} .o_hierarchy_node_button:contains('Unfold')`,
            run: "click",
        },
        {
            content: "Its aligned department objectives show below it",
            trigger:
                ".o_hierarchy_node_content:contains('Run the lines at world-class efficiency')",
        },
        {
            content: "Fold the company objective",
            trigger: `${COMPANY} .o_hierarchy_node_button:contains('Fold')`,
            run: "click",
        },
        {
            content: "The department objectives are hidden",
            trigger: `${COMPANY} .o_hierarchy_node_button:contains('Unfold')`,
        },
        {
            trigger:
                ".o_hierarchy_view:not(:has(.o_hierarchy_node_content:contains('Stop scrap at the source')))",
        },
        {
            content: "Unfold it again",
            trigger: `${COMPANY} .o_hierarchy_node_button:contains('Unfold')`,
            run: "click",
        },
        {
            content: "The department objectives aligned to it are back",
            trigger: ".o_hierarchy_node_content:contains('Stop scrap at the source')",
        },
        {
            content: "Open a department objective from the tree",
            trigger:
                ".o_hierarchy_node_content:contains('Stop scrap at the source') .o_hierarchy_node_header",
            run: "click",
        },
        {
            content: "Its form shows the parent it is aligned to",
            trigger:
                ".o_field_widget[name='parent_id'] input:value('Q1 capacity +20%')",
        },
    ],
});
