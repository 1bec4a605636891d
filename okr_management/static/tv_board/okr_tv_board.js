/* Shop-floor TV board: re-reads the board every minute from its JSON route
 * (same token) and redraws the tiles in place, without reloading the page.
 * When the tiles do not fit the screen they are shown page by page, each for
 * the link's interval, with a page indicator: no tile is ever cut. */
(function () {
    "use strict";

    const REFRESH_MS = 60000;
    const DEFAULT_PAGE_SECONDS = 15;
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
        if (data.note) {
            node.appendChild(element("div", "o_okr_tv_note", data.note));
        }
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

    // ------------------------------------------------------------------
    // Pages: the tiles are laid out by the grid; a page is the run of tiles
    // that fits the tiles' area from a given first tile on.
    // ------------------------------------------------------------------
    let pages = [];
    let pageIndex = 0;
    let pageSeconds = parseInt(board.dataset.pageInterval, 10) || DEFAULT_PAGE_SECONDS;
    let pageTimer = null;

    function tileNodes() {
        return [...board.querySelectorAll(".o_okr_tv_tiles > .o_okr_tv_tile")];
    }

    function fits(tile, bottom) {
        const rect = tile.getBoundingClientRect();
        return (
            rect.bottom <= bottom + 0.5 &&
            tile.scrollHeight <= tile.clientHeight + 1 &&
            tile.scrollWidth <= tile.clientWidth + 1
        );
    }

    function paginate() {
        const all = tileNodes();
        const container = board.querySelector(".o_okr_tv_tiles");
        const bottom = container.getBoundingClientRect().bottom;
        pages = [];
        let start = 0;
        while (start < all.length) {
            all.forEach((tile, index) => {
                tile.hidden = index < start;
            });
            let end = start;
            while (end + 1 < all.length && fits(all[end + 1], bottom)) {
                end += 1;
            }
            pages.push(all.slice(start, end + 1));
            start = end + 1;
        }
        if (!pages.length) {
            pages.push([]);
        }
        showPage(pageIndex < pages.length ? pageIndex : 0);
    }

    function showPage(index) {
        pageIndex = index;
        const shown = new Set(pages[index] || []);
        for (const tile of tileNodes()) {
            tile.hidden = !shown.has(tile);
        }
        const pager = board.querySelector(".o_okr_tv_pager");
        pager.hidden = pages.length < 2;
        pager.querySelector(".o_okr_tv_pager_text").textContent = `${index + 1} / ${
            pages.length
        }`;
        const dots = pages.map((page, number) =>
            element(
                "span",
                number === index ? "o_okr_tv_dot o_okr_tv_dot_active" : "o_okr_tv_dot"
            )
        );
        pager.querySelector(".o_okr_tv_pager_dots").replaceChildren(...dots);
        return pages.length;
    }

    function nextPage() {
        if (pages.length > 1) {
            showPage((pageIndex + 1) % pages.length);
        }
    }

    function startRotation() {
        clearInterval(pageTimer);
        pageTimer = setInterval(nextPage, pageSeconds * 1000);
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
        if (data.page_interval && data.page_interval !== pageSeconds) {
            pageSeconds = data.page_interval;
            startRotation();
        }
        paginate();
        showUpdated();
    }

    function showUpdated() {
        board.querySelector(".o_okr_tv_updated").textContent =
            new Date().toLocaleTimeString(document.documentElement.lang || undefined, {
                hour: "2-digit",
                minute: "2-digit",
            });
    }

    function renderPage(html) {
        // a tier board is drawn by the server: its tiles are taken from the
        // page read again
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.querySelector(".o_okr_tv_tiles");
        if (fresh) {
            board
                .querySelector(".o_okr_tv_tiles")
                .replaceChildren(
                    ...[...fresh.childNodes].map((node) =>
                        document.importNode(node, true)
                    )
                );
        }
        paginate();
        showUpdated();
    }

    async function refresh() {
        const tier = board.dataset.kind === "tier";
        let response = null;
        try {
            response = await fetch(tier ? board.dataset.pageUrl : board.dataset.url, {
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
        if (response.ok && tier) {
            renderPage(await response.text());
        } else if (response.ok) {
            render(await response.json());
        }
    }

    showUpdated();
    paginate();
    startRotation();
    setInterval(refresh, REFRESH_MS);
    window.addEventListener("resize", paginate);
    // for the browser tests
    window.okrTvBoard = {
        refresh,
        showPage,
        pageCount: () => pages.length,
        pageSeconds: () => pageSeconds,
    };
})();
