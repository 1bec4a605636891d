/** @odoo-module **/

import {formatPercentage} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";

/**
 * Progress bar for the OKR ratios stored from 0.0 to 1.0 (progress, expected
 * progress, forecast): shows them as a percentage, read-only.
 */
export class OkrProgressBarField extends ProgressBarField {
    get currentValue() {
        return Math.round((super.currentValue || 0) * 100);
    }
}

export const okrProgressBarField = {
    ...progressBarField,
    component: OkrProgressBarField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...progressBarField.extractProps(fieldInfo, dynamicInfo),
        isEditable: false,
    }),
};

registry.category("fields").add("okr_progressbar", okrProgressBarField);

// Grouped lists format a column's aggregate with the formatter of its widget:
// the mean progress of a group reads as a percentage too, not as 0.33.
registry
    .category("formatters")
    .add("okr_progressbar", (value, options = {}) =>
        formatPercentage(value, {...options, digits: [16, 0]})
    );
