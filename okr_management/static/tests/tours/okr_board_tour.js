/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const CARD = ".o_kanban_record:contains('Line 2 runs two more batches a shift')";

registry.category("web_tour.tours").add("okr_board_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("okr_management.menu_okr_root", "Open the OKR app"),
        {
            content: "Open the objectives board",
            trigger: "[data-menu-xmlid='okr_management.menu_okr_board']",
            run: "click",
        },
        {
            content: "The board's columns are the levels of the cascade",
            trigger:
                ".o_kanban_renderer .o_kanban_group .o_column_title:contains('Company')",
        },
        {
            trigger: `.o_kanban_group:has(.o_column_title:contains('Team')) ${CARD}`,
        },
        {
            content: "The card names its department",
            trigger: `${CARD}:contains('Production')`,
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group the board by department instead",
            trigger: ".o_group_by_menu .o_menu_item:contains('Department')",
            run: "click",
        },
        {
            content: "The department grouping replaces the level one",
            trigger: ".o_searchview_facet:contains('Department')",
        },
        {
            trigger: `.o_kanban_group:has(.o_column_title:contains('Production')) ${CARD}`,
        },
        {
            trigger:
                ".o_kanban_renderer:not(:has(.o_column_title:contains('Individual')))",
        },
        {
            content: "Close the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Check in from the card",
            trigger: `${CARD} .o_okr_quick_check_in`,
            run: "click",
        },
        {
            content: "The quick check-in opens on the objective's first key result",
            trigger:
                ".modal .o_field_widget[name='key_result_id'] input:value('Batches per shift from 6 to 8')",
        },
        {
            content: "Enter the new value",
            trigger: ".modal .o_field_widget[name='value'] input",
            run: "edit 7.75",
        },
        {
            content: "Confirm the check-in",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The wizard closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Open the objective from its card",
            trigger: `${CARD} .fw-bold:contains('Line 2 runs two more batches a shift')`,
            run: "click",
        },
        {
            content: "The key result shows the value just checked in",
            trigger:
                ".o_field_widget[name='key_result_ids'] .o_data_row:contains('Batches per shift from 6 to 8') .o_data_cell[name='value_display']:contains('7.75')",
        },
    ],
});
