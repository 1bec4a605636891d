/* Shop-floor TV board: re-reads the board every minute from its JSON route
 * (same token) and redraws the tiles in place, without reloading the page. */
(function () {
    "use strict";

    const REFRESH_MS = 60000;
    const SVG_NS = "http://www.w3.org/2000/svg";
    const board = document.querySelector(".o_okr_tv_board");
    if (!board) {
        return;
    }

    function element(tag, className, text) {
        const node = document.createElement(tag);
        node.className = className;
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function sparkline(points) {
        const svg = document.createElementNS(SVG_NS, "svg");
        svg.setAttribute("class", "o_okr_tv_sparkline");
        svg.setAttribute("viewBox", "0 0 100 30");
        svg.setAttribute("preserveAspectRatio", "none");
        svg.setAttribute("aria-hidden", "true");
        if (points) {
            const line = document.createElementNS(SVG_NS, "polyline");
            line.setAttribute("points", points);
            svg.appendChild(line);
        }
        return svg;
    }

    function tile(data, labels) {
        const node = element("div", `o_okr_tv_tile o_okr_tv_${data.status}`);
        node.appendChild(element("div", "o_okr_tv_objective", data.objective));
        node.appendChild(element("div", "o_okr_tv_name", data.name));
        const figures = element("div", "o_okr_tv_figures");
        figures.appendChild(element("span", "o_okr_tv_progress", `${data.progress}%`));
        figures.appendChild(element("span", "o_okr_tv_status", data.status_label));
        node.appendChild(figures);
        const footer = element("div", "o_okr_tv_footer");
        footer.appendChild(element("span", "o_okr_tv_value", data.value));
        if ("alert_count" in data) {
            const alerts = element(
                "span",
                "o_okr_tv_alerts",
                `${data.alert_count} ${labels.alerts}`
            );
            alerts.classList.toggle("o_okr_tv_alerts_open", data.alert_count > 0);
            footer.appendChild(alerts);
        }
        node.appendChild(footer);
        node.appendChild(sparkline(data.sparkline));
        return node;
    }

    function render(data) {
        board.querySelector(".o_okr_tv_title").textContent = data.title;
        board.querySelector(".o_okr_tv_scope").textContent = data.scope;
        const tiles = data.key_results.map((kr) => tile(kr, data.labels));
        if (!tiles.length) {
            tiles.push(element("div", "o_okr_tv_empty", data.labels.empty));
        }
        const container = board.querySelector(".o_okr_tv_tiles");
        container.classList.toggle("o_okr_tv_dense", data.dense);
        container.replaceChildren(...tiles);
        showUpdated();
    }

    function showUpdated() {
        board.querySelector(".o_okr_tv_updated").textContent =
            new Date().toLocaleTimeString(document.documentElement.lang || undefined, {
                hour: "2-digit",
                minute: "2-digit",
            });
    }

    async function refresh() {
        let response = null;
        try {
            response = await fetch(board.dataset.url, {
                cache: "no-store",
                credentials: "omit",
            });
        } catch {
            // the network is down: keep the last board until the next minute
            return;
        }
        if (response.status === 404) {
            // revoked or expired since: show nothing any more
            board.querySelector(".o_okr_tv_tiles").replaceChildren();
            return;
        }
        if (response.ok) {
            render(await response.json());
        }
    }

    showUpdated();
    setInterval(refresh, REFRESH_MS);
    // for the browser tests
    window.okrTvBoard = {refresh};
})();
