/** @odoo-module **/

import {registry} from "@web/core/registry";

const LINES = ".modal .o_field_widget[name='line_ids']";
const LONGEST_KR = "Critical parts with a second approved source from 5 to 18";
const LONGEST_OBJECTIVE = "Catch bearing failures before they stop a press";

/**
 * The names of the team check-in are shown in full: no cell of a key
 * result or an objective is cut (its content fits its width) and the longest
 * demo names read whole; the unit stands beside the values.
 */
registry.category("web_tour.tours").add("okr_team_check_in_width_tour", {
    url: "/odoo/action-okr_management.okr_team_check_in_action",
    steps: () => [
        {
            content: "The plant's key results are listed",
            trigger: `${LINES} .o_data_row:contains('${LONGEST_KR}')`,
        },
        {
            content: "The longest objective is listed too",
            trigger: `${LINES} .o_data_row:contains('${LONGEST_OBJECTIVE}')`,
        },
        {
            content: "Every name is shown in full",
            trigger: `${LINES} .o_data_row .o_data_cell.o_okr_wrap`,
            run() {
                const cells = [
                    ...document.querySelectorAll(
                        `${LINES} .o_data_row .o_data_cell.o_okr_wrap`
                    ),
                ];
                const cut = cells.filter(
                    (cell) =>
                        cell.scrollWidth > cell.clientWidth ||
                        [...cell.querySelectorAll("*")].some(
                            (inner) => inner.scrollWidth > inner.clientWidth + 1
                        )
                );
                if (cut.length) {
                    throw new Error(
                        `Names cut at ${window.innerWidth}px: ${cut
                            .map((cell) => cell.textContent.trim())
                            .join(" | ")}`
                    );
                }
                const texts = cells.map((cell) => cell.innerText.replace(/\s+/g, " "));
                for (const name of [LONGEST_KR, LONGEST_OBJECTIVE]) {
                    if (!texts.some((text) => text.includes(name))) {
                        throw new Error(`'${name}' is not shown whole`);
                    }
                }
                const row = [...document.querySelectorAll(`${LINES} .o_data_row`)].find(
                    (tr) => tr.textContent.includes(LONGEST_KR)
                );
                const now = row.querySelector(".o_data_cell[name='current_display']");
                const target = row.querySelector(".o_data_cell[name='target_display']");
                if (
                    !now.textContent.includes(" parts") ||
                    !target.textContent.includes("18 parts")
                ) {
                    throw new Error("The values are not shown with the unit");
                }
            },
        },
    ],
});
