"""The TV board shows every tile: pages that rotate when the tiles do not fit,
a page indicator, no tile cut at 1920x1080 and 1280x720; archived objectives
and key results never shown; unknown input answered with the same 404."""

from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import OkrTestCommon

TILE_COUNT = 46

# run in the board's page: every tile shown whole on some page
CHECK_EVERY_TILE = """
const board = window.okrTvBoard;
const all = [...document.querySelectorAll('.o_okr_tv_tile')];
const count = board.pageCount();
const shown = new Set();
const problems = [];
for (let page = 0; page < count; page++) {
    board.showPage(page);
    const indicator = document.querySelector('.o_okr_tv_pager_text').textContent;
    if (indicator !== `${page + 1} / ${count}`) {
        problems.push(`indicator ${indicator} on page ${page + 1}`);
    }
    all.forEach((tile, index) => {
        if (tile.hidden) {
            return;
        }
        const rect = tile.getBoundingClientRect();
        const inside = rect.width > 0 && rect.height > 0 && rect.top >= 0
            && rect.left >= 0 && rect.bottom <= window.innerHeight
            && rect.right <= window.innerWidth;
        const whole = tile.scrollHeight <= tile.clientHeight + 1
            && tile.scrollWidth <= tile.clientWidth + 1;
        if (inside && whole) {
            shown.add(index);
        } else {
            problems.push(`tile ${index} cut on page ${page + 1}`);
        }
    });
}
board.showPage(0);
const pager = document.querySelector('.o_okr_tv_pager');
const size = `${window.innerWidth}x${window.innerHeight}`;
if (all.length === %(count)s && count > 1 && shown.size === all.length
        && !problems.length && !pager.hidden && size === '%(size)s') {
    console.log('test successful');
} else {
    console.error(`${size}: ${all.length} tiles, ${shown.size} shown whole `
        + `on ${count} pages; ${problems.join(', ')}`);
}
"""

# the pages turn by themselves, at the link's interval
CHECK_ROTATION = """
const board = window.okrTvBoard;
board.showPage(0);
const before = document.querySelector('.o_okr_tv_pager_text').textContent;
setTimeout(() => {
    const after = document.querySelector('.o_okr_tv_pager_text').textContent;
    if (board.pageSeconds() === 5 && after !== before) {
        console.log('test successful');
    } else {
        console.error(`the page did not turn: ${before} -> ${after}`);
    }
}, 6500);
"""


@tagged("post_install", "-at_install")
class TestOkrTvBoardPages(OkrTestCommon, HttpCase):
    # the test writes between the board's read-only requests
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share = cls.env["okr.board.share"].create(
            {
                "name": "Hall 9 screen",
                "department_id": cls.dep_prod.id,
                "page_interval": 5,
            }
        )
        for days, value in ((21, 93), (14, 93.5), (7, 94.5)):
            cls.kr_yield.action_check_in(value, date=cls.today - timedelta(days=days))
        # a full hall: far more key results than one screen holds
        cls.env["okr.key.result"].create(
            [
                {
                    "name": f"Station {number} output per shift from 40 to 52 "
                    "boxes, first-pass and reworked alike",
                    "objective_id": cls.objective.id,
                    "start_value": 40,
                    "target_value": 52,
                    "unit": "boxes",
                }
                for number in range(1, TILE_COUNT)
            ]
        )

    def _check_board(self, size, code):
        self.browser_size = size
        browser = ChromeBrowser(self, headless=True, success_signal="test successful")
        try:
            self.authenticate(None, None, browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(
                f"{self.base_url()}/okr/board/{self.share.token}", wait_stop=True
            )
            self.assertTrue(
                browser._wait_ready(
                    "!!window.okrTvBoard && window.okrTvBoard.pageCount() > 0"
                )
            )
            browser._wait_code_ok(code, 60)
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_every_tile_whole_on_some_page_at_1920x1080(self):
        self._check_board(
            "1920x1080", CHECK_EVERY_TILE % {"count": TILE_COUNT, "size": "1920x1080"}
        )

    def test_every_tile_whole_on_some_page_at_1280x720(self):
        self._check_board(
            "1280x720", CHECK_EVERY_TILE % {"count": TILE_COUNT, "size": "1280x720"}
        )

    def test_pages_rotate_at_the_link_s_interval(self):
        self._check_board("1280x720", CHECK_ROTATION)


@tagged("post_install", "-at_install")
class TestOkrTvBoardInput(OkrTestCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share = cls.env["okr.board.share"].create(
            {"name": "Hall 9 screen", "department_id": cls.dep_prod.id}
        )

    def _get(self, path):
        return self.url_open(path, allow_redirects=False)

    def test_archived_objectives_and_key_results_are_not_shown(self):
        archived_objective = self.env["okr.objective"].create(
            {
                "name": "Archived objective",
                "cycle_id": self.cycle.id,
                "level": "department",
                "owner_id": self.emp_lead.id,
                "department_id": self.dep_prod.id,
                "visibility": "public",
                "state": "active",
            }
        )
        self.env["okr.key.result"].create(
            {
                "name": "KR of an archived objective",
                "objective_id": archived_objective.id,
                "target_value": 5,
            }
        )
        archived_kr = self.env["okr.key.result"].create(
            {
                "name": "Archived KR",
                "objective_id": self.objective.id,
                "target_value": 5,
            }
        )
        archived_objective.active = False
        archived_kr.active = False
        data = self._get(f"/okr/board/{self.share.token}/data").json()
        names = [tile["name"] for tile in data["key_results"]]
        self.assertEqual(names, ["Yield 92 to 96"])
        self.assertEqual(data["page_interval"], 15)
        page = self._get(f"/okr/board/{self.share.token}")
        self.assertNotIn("Archived", page.text)
        self.assertIn('data-page-interval="15"', page.text)

    def test_unknown_input_gets_the_same_404(self):
        unknown = self._get("/okr/board/" + "x" * 43)
        self.assertEqual(unknown.status_code, 404)
        for token in (
            "%00",
            self.share.token + "%00",
            "%00" + self.share.token,
            "abc%00def",
            "%C3%A9t%C3%A9",
            "x" * 5000,
            "%27%20OR%201%3D1",
        ):
            for suffix in ("", "/data"):
                response = self._get(f"/okr/board/{token}{suffix}")
                self.assertEqual(response.status_code, 404, token)
                self.assertEqual(response.text, unknown.text, token)
                self.assertNotIn("Hall 9 screen", response.text)
        # the link itself still works
        self.assertEqual(self._get(f"/okr/board/{self.share.token}").status_code, 200)

    def test_page_interval_is_kept_in_range(self):
        self.env.invalidate_all()
        share = self.env(user=self.user_manager)["okr.board.share"].browse(
            self.share.id
        )
        for bad in (0, 2, 301, -5):
            with self.assertRaises(ValidationError):
                share.write({"page_interval": bad})
        with self.assertRaises(ValidationError):
            share.write({"page_interval": "fast"})
        share.write({"page_interval": 30})
        self.env.invalidate_all()
        self.assertEqual(self.share.page_interval, 30)


@tagged("post_install", "-at_install")
class TestOkrTierBoardPages(OkrTestCommon, HttpCase):
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kpis = cls.env["okr.kpi"].create(
            [
                {
                    "name": f"Station {number} scrap rate, first pass and rework",
                    "category": ("safety", "quality", "delivery", "cost", "people")[
                        number % 5
                    ],
                    "department_id": cls.dep_prod.id,
                    "user_id": cls.user_lead.id,
                    "visibility": "public",
                    "band_max": 2.0,
                    "unit": "%",
                }
                for number in range(TILE_COUNT)
            ]
        )
        for kpi in kpis:
            kpi.action_record(1.5)
        cls.share = cls.env["okr.board.share"].create(
            {
                "name": "Hall 9 tier 1",
                "scope": "tier",
                "tier": "1",
                "department_id": cls.dep_prod.id,
            }
        )

    _check_board = TestOkrTvBoardPages._check_board

    def test_every_kpi_tile_whole_on_some_page_at_both_sizes(self):
        for size in ("1920x1080", "1280x720"):
            self._check_board(
                size, CHECK_EVERY_TILE % {"count": TILE_COUNT, "size": size}
            )
