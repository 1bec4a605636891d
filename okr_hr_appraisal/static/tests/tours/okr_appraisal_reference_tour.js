/** @odoo-module **/

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const PAGE = ".o_notebook .tab-pane.active";

registry.category("web_tour.tours").add("okr_appraisal_reference_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "hr_appraisal_oca.menu_hr_appraisal_root",
            "Open Appraisals"
        ),
        {
            content: "Open the appraisal of the procurement head",
            trigger: ".o_kanban_record:contains('Ronnie Hart')",
            run: "click",
        },
        {
            content: "The appraisal form opens",
            trigger:
                ".o_form_view .o_field_widget[name='employee_id']:contains('Ronnie Hart')",
        },
        {
            content: "Open the OKR Reference tab",
            trigger: ".o_notebook .nav-link:contains('OKR Reference')",
            run: "click",
        },
        {
            content: "The banner says it is a reference, not a rating",
            trigger: `${PAGE} .alert-info:contains('A reference, not a rating.')`,
        },
        {
            content: "The reference score shows",
            trigger: `${PAGE} .o_field_widget[name='okr_score_display']:contains('0.56')`,
        },
        {
            trigger: `${PAGE} .o_field_widget[name='okr_key_result_count']:contains('1')`,
        },
        {
            content: "The key result of the period is listed",
            trigger: `${PAGE} .o_field_widget[name='okr_line_ids'] .o_data_row:contains('Supplier on-time delivery at least 95%'):contains('Suppliers that never stop our lines')`,
        },
    ],
});
