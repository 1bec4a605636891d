/** @odoo-module **/

import {registry} from "@web/core/registry";
import {RelationalModel} from "@web/model/relational_model/relational_model";
import {kanbanView} from "@web/views/kanban/kanban_view";

/**
 * The objective board's model: the web client reads each open column with
 * its own web_search_read; here the columns asked for at once (a page of
 * the board) are read by one call, web_search_read_columns, which answers
 * each of them what web_search_read would. The read check, the activities
 * and the card's counts then cost their queries once per page, not once per
 * column. A single column (load more, a reload) is read as usual.
 */
export class OkrBoardModel extends RelationalModel {
    setup(params, services) {
        super.setup(...arguments);
        const orm = this.orm;
        this._okrColumns = null;
        // the orm service's methods, but web_search_read of the objectives
        // (the columns) collected until the page has asked for all of them
        this.orm = Object.assign(Object.create(orm), {
            webSearchRead: (model, domain, kwargs = {}) =>
                model === this.config.resModel
                    ? this._okrQueueColumn(orm, domain, kwargs)
                    : orm.webSearchRead(model, domain, kwargs),
        });
    }

    _okrQueueColumn(orm, domain, kwargs) {
        if (!this._okrColumns) {
            this._okrColumns = [];
            // the grouped load asks for its columns in one synchronous loop
            Promise.resolve().then(() => this._okrSendColumns(orm));
        }
        return new Promise((resolve, reject) => {
            this._okrColumns.push({domain, kwargs, resolve, reject});
        });
    }

    _okrSendColumns(orm) {
        const columns = this._okrColumns;
        this._okrColumns = null;
        const batches = new Map();
        for (const column of columns) {
            const key = JSON.stringify(column.kwargs.specification || {});
            if (!batches.has(key)) {
                batches.set(key, []);
            }
            batches.get(key).push(column);
        }
        for (const batch of batches.values()) {
            if (batch.length === 1) {
                const [{domain, kwargs, resolve, reject}] = batch;
                orm.webSearchRead(this.config.resModel, domain, kwargs).then(
                    resolve,
                    reject
                );
                continue;
            }
            // the columns' contexts differ by their default value only
            const context = {...batch[0].kwargs.context};
            for (const {kwargs} of batch.slice(1)) {
                for (const key of Object.keys(context)) {
                    if (
                        JSON.stringify(context[key]) !==
                        JSON.stringify((kwargs.context || {})[key])
                    ) {
                        delete context[key];
                    }
                }
            }
            const requests = batch.map(({domain, kwargs}) => ({
                domain,
                offset: kwargs.offset,
                limit: kwargs.limit,
                order: kwargs.order,
                count_limit: kwargs.count_limit,
            }));
            orm.call(
                this.config.resModel,
                "web_search_read_columns",
                [requests, batch[0].kwargs.specification],
                {context}
            ).then(
                (results) =>
                    batch.forEach((column, index) => column.resolve(results[index])),
                (error) => batch.forEach((column) => column.reject(error))
            );
        }
    }
}

export const okrBoardKanbanView = {
    ...kanbanView,
    Model: OkrBoardModel,
};

registry.category("views").add("okr_board_kanban", okrBoardKanbanView);
