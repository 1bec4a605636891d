/** @odoo-module **/

import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// The first visit of an OKR user: web_tour starts it once (record
// okr_management.okr_onboarding_tour) and never again once it is done.
registry.category("web_tour.tours").add("okr_onboarding_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "okr_management.menu_okr_root",
            _t("Your objectives and key results live here: open the OKR app.")
        ),
        {
            content: _t("My OKRs: the objectives you own, grouped by status."),
            trigger: "[data-menu-xmlid='okr_management.menu_okr_my']",
            run: "click",
        },
        {
            content: _t("Open one of your objectives."),
            trigger: ".o_kanban_record .fw-bold",
            run: "click",
        },
        {
            content: _t(
                "A key result: a target, its current value and a status computed from the pace of the cycle."
            ),
            trigger:
                ".o_field_widget[name='key_result_ids'] .o_data_row:first .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: _t("Check in: give a key result its new value."),
            trigger: ".o_form_view button[name='action_open_check_in_wizard']",
            run: "click",
        },
        {
            content: _t("Type the value reached today."),
            trigger: ".modal .o_field_widget[name='value'] input",
            run: "edit 30",
        },
        {
            content: _t("Record the check-in: progress and status follow."),
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: _t(
                "The board: every objective you may see, level by level from the company to each person, with its status."
            ),
            trigger: "[data-menu-xmlid='okr_management.menu_okr_board']",
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer .o_kanban_group",
        },
    ],
});
