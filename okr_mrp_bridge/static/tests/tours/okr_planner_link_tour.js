/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const FORMING = ".o_list_view .o_data_row:contains('Tour Press Forming')";
const TRIMMING = ".o_list_view .o_data_row:contains('Tour Press Trimming')";
const KEY_RESULTS = ".modal .o_field_widget[name='key_result_ids']";

registry.category("web_tour.tours").add("okr_planner_link_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("mrp.menu_mrp_root", "Open Manufacturing"),
        {
            content: "Open the operations menu",
            trigger: ".dropdown-toggle[data-menu-xmlid='mrp.menu_mrp_manufacturing']",
            run: "click",
        },
        {
            content: "Open the work orders",
            trigger: ".dropdown-item[data-menu-xmlid='mrp.menu_mrp_workorder_todo']",
            run: "click",
        },
        {
            content: "Select the forming work order",
            trigger: `${FORMING} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Select the trimming work order",
            trigger: `${TRIMMING} .o_list_record_selector input`,
            run: "click",
        },
        {
            trigger: ".o_list_selection_box:contains('2')",
        },
        {
            content: "Open the actions of the selection",
            trigger: ".o_control_panel .o_cp_action_menus button:contains('Actions')",
            run: "click",
        },
        {
            content: "Link them to key results",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Link to key results')",
            run: "click",
        },
        {
            content: "The wizard lists both work orders",
            trigger:
                ".modal .o_field_widget[name='workorder_ids'] .o_tag:contains('Tour Press Forming')",
        },
        {
            trigger:
                ".modal .o_field_widget[name='workorder_ids'] .o_tag:contains('Tour Press Trimming')",
        },
        {
            content: "Look for the yield key result",
            trigger: `${KEY_RESULTS} input`,
            run: "edit First-pass yield",
        },
        {
            content: "Pick it",
            trigger:
                ".o-autocomplete--dropdown-item:contains('First-pass yield from 92% to 96%')",
            run: "click",
        },
        {
            trigger: `${KEY_RESULTS} .o_tag:contains('First-pass yield from 92% to 96%')`,
        },
        {
            content: "Link",
            trigger: ".modal .modal-footer button[name='action_link']",
            run: "click",
        },
        {
            content: "The wizard closes on the work orders",
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Press Forming')",
        },
    ],
});
