/** @odoo-module **/

import {registry} from "@web/core/registry";

// On a phone (390 x 844): from My OKRs, a check-in is one tap on the card,
// one number and one tap to confirm.
registry.category("web_tour.tours").add("okr_mobile_check_in_tour", {
    url: "/odoo/action-okr_management.okr_objective_action_my",
    steps: () => [
        {
            content: "Tap Check In on the objective's card",
            trigger:
                ".o_kanban_record:contains('Master quick changeover on press 4') .o_okr_quick_check_in",
            run: "click",
        },
        {
            content: "Type the new value",
            trigger: ".modal .o_field_widget[name='value'] input",
            run: "edit 25",
        },
        {
            content: "Tap Confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Back on My OKRs",
            trigger: "body:not(:has(.modal)) .o_kanban_record",
        },
    ],
});
