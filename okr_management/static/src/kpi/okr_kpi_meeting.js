/** @odoo-module **/

import {Component, onMounted, onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {_t} from "@web/core/l10n/translation";

/**
 * The morning meeting: full screen, one KPI or key result at a time with
 * yesterday's value, its status, owner and open actions. The arrow keys,
 * space and page keys step through; E opens today's values of the tier.
 */
export class OkrKpiMeeting extends Component {
    static template = "okr_management.OkrKpiMeeting";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const params = this.props.action.params || {};
        this.state = useState({
            tier: params.tier || "1",
            departmentId: params.department_id || false,
            index: 0,
            data: null,
        });
        this.onKeydown = this.onKeydown.bind(this);
        onWillStart(() => this.load());
        onMounted(() => document.addEventListener("keydown", this.onKeydown));
        onWillUnmount(() => document.removeEventListener("keydown", this.onKeydown));
    }

    async load() {
        this.state.data = await this.orm.call("okr.kpi", "get_meeting_data", [
            this.state.tier,
            this.state.departmentId,
        ]);
        this.state.index = 0;
    }

    get slide() {
        const slides = this.state.data ? this.state.data.slides : [];
        return slides[this.state.index] || null;
    }

    get count() {
        return this.state.data ? this.state.data.slides.length : 0;
    }

    get tiers() {
        return [
            ["1", _t("Tier 1")],
            ["2", _t("Tier 2")],
            ["3", _t("Tier 3")],
        ];
    }

    async setTier(tier) {
        this.state.tier = tier;
        await this.load();
    }

    next() {
        if (this.state.index < this.count - 1) {
            this.state.index += 1;
        }
    }

    previous() {
        if (this.state.index > 0) {
            this.state.index -= 1;
        }
    }

    enterValues() {
        return this.action.doAction("okr_management.okr_kpi_entry_action", {
            additionalContext: {
                default_tier: this.state.tier,
                default_department_id: this.state.departmentId,
            },
            onClose: () => this.load(),
        });
    }

    onKeydown(event) {
        if (event.target.closest && event.target.closest("input, textarea, .modal")) {
            return;
        }
        if (["ArrowRight", "PageDown", " ", "Enter"].includes(event.key)) {
            event.preventDefault();
            this.next();
        } else if (["ArrowLeft", "PageUp", "Backspace"].includes(event.key)) {
            event.preventDefault();
            this.previous();
        } else if (event.key === "e" || event.key === "E") {
            event.preventDefault();
            this.enterValues();
        }
    }
}

registry.category("actions").add("okr_kpi_meeting", OkrKpiMeeting);
