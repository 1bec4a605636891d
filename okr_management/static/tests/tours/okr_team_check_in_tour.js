/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const LINES = ".modal .o_field_widget[name='line_ids']";
const BATCHES = `${LINES} .o_data_row:contains('Batches per shift from 6 to 8')`;
const STOPS = `${LINES} .o_data_row:contains('Unplanned stops from 14 to 4 a week')`;

registry.category("web_tour.tours").add("okr_team_check_in_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("okr_management.menu_okr_root", "Open the OKR app"),
        {
            content: "Open the check-in menu",
            trigger:
                ".dropdown-toggle[data-menu-xmlid='okr_management.menu_okr_check_in']",
            run: "click",
        },
        {
            content: "Start the team check-in",
            trigger:
                ".dropdown-item[data-menu-xmlid='okr_management.menu_okr_team_check_in']",
            run: "click",
        },
        {
            content: "The morning meeting opens on the team lead's department",
            trigger:
                ".modal .o_field_widget[name='department_id'] input:value('Production')",
        },
        {
            content: "Switch to the people reporting to the team lead",
            trigger:
                ".modal .o_field_widget[name='team_type'] input[data-value='reports']",
            run: "click",
        },
        {
            content: "The team lead is preselected",
            trigger:
                ".modal .o_field_widget[name='manager_id'] input:value('Wang Fang')",
        },
        {
            content: "The key results of the team lead and her reports are listed",
            trigger: `${LINES} .o_data_row:contains('Press 4 changeover from 45 to 20 minutes')`,
        },
        {
            trigger: `${BATCHES} .o_data_cell[name='new_value']:contains('7.20')`,
        },
        {
            content: "Edit the batches line",
            trigger: `${BATCHES} .o_data_cell[name='new_value']`,
            run: "click",
        },
        {
            content: "Enter the new batches per shift",
            trigger: `${BATCHES}.o_selected_row .o_field_widget[name='new_value'] input`,
            run: "edit 7.5",
        },
        {
            content: "Edit the unplanned stops line",
            trigger: `${STOPS} .o_data_cell[name='new_value']`,
            run: "click",
        },
        {
            content: "Enter this week's unplanned stops",
            trigger: `${STOPS}.o_selected_row .o_field_widget[name='new_value'] input`,
            run: "edit 7",
        },
        {
            content: "The first line kept its new value",
            trigger: `${BATCHES} .o_data_cell[name='new_value']:contains('7.50')`,
        },
        {
            content: "Record the check-ins",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Two check-ins are recorded",
            trigger: ".o_notification:contains('2 check-ins recorded.')",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
