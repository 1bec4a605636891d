import base64
import json
import struct
import tempfile
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .common import OkrTestCommon

SECRET_NAMES = (
    "Secret department KR",
    "Secret private KR",
    "Quality elsewhere KR",
    "Draft cycle KR",
)


@tagged("post_install", "-at_install")
class TestOkrTvBoard(OkrTestCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Objective = cls.env["okr.objective"]
        KeyResult = cls.env["okr.key.result"]
        cls.dep_line = cls.env["hr.department"].create(
            {"name": "Line 9 Test", "parent_id": cls.dep_prod.id}
        )

        def objective(name, department, visibility="public", cycle=None):
            return Objective.create(
                {
                    "name": name,
                    "cycle_id": (cycle or cls.cycle).id,
                    "level": "department",
                    "owner_id": cls.emp_lead.id,
                    "department_id": department.id,
                    "visibility": visibility,
                    "state": "active",
                }
            )

        def key_result(name, objective):
            return KeyResult.create(
                {
                    "name": name,
                    "objective_id": objective.id,
                    "start_value": 0,
                    "target_value": 10,
                }
            )

        key_result(
            "Sub-department public KR", objective("Line 9 objective", cls.dep_line)
        )
        key_result(
            "Secret department KR",
            objective("Department only", cls.dep_prod, "department"),
        )
        key_result(
            "Secret private KR", objective("Private one", cls.dep_prod, "private")
        )
        key_result("Quality elsewhere KR", objective("Quality one", cls.dep_qa))
        draft_cycle = cls.env["okr.cycle"].create(
            {
                "name": "Next Quarter",
                "date_start": cls.today + timedelta(days=50),
                "date_end": cls.today + timedelta(days=140),
            }
        )
        key_result(
            "Draft cycle KR",
            objective("Next quarter one", cls.dep_prod, cycle=draft_cycle),
        )
        for days, value in ((21, 93), (14, 93.5), (7, 94.5)):
            cls.kr_yield.action_check_in(value, date=cls.today - timedelta(days=days))
        cls.share = (
            cls.env["okr.board.share"]
            .with_user(cls.user_manager)
            .create({"name": "Hall 9 screen", "department_id": cls.dep_prod.id})
        )

    def _board_url(self, token, suffix=""):
        return f"/okr/board/{token}{suffix}"

    def _assert_not_found(self, token):
        page = self.url_open(self._board_url(token))
        data = self.url_open(self._board_url(token, "/data"))
        for response in (page, data):
            self.assertEqual(response.status_code, 404)
            for name in (*SECRET_NAMES, "Yield 92 to 96", "Hall 9 screen"):
                self.assertNotIn(name, response.text)
        return page.text, data.text

    # ------------------------------------------------------------------
    # The link
    # ------------------------------------------------------------------
    def test_token_is_long_and_random(self):
        other = self.share.copy({"name": "Copy"})
        raw_token = base64.urlsafe_b64decode(self.share.token + "=")
        self.assertGreaterEqual(len(raw_token), 32)
        self.assertNotEqual(other.token, self.share.token)
        self.assertEqual(
            self.share.url, f"{self.share.get_base_url()}/okr/board/{self.share.token}"
        )

    def test_valid_token_shows_public_key_results_of_the_scope(self):
        response = self.url_open(self._board_url(self.share.token))
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertIn("Yield 92 to 96", response.text)
        self.assertIn("Sub-department public KR", response.text)
        self.assertIn("Hall 9 screen", response.text)
        for name in SECRET_NAMES:
            self.assertNotIn(name, response.text)
        # the trend of the check-ins, as an inline SVG line
        self.assertIn("<polyline", response.text)

    def test_json_route(self):
        response = self.url_open(self._board_url(self.share.token, "/data"))
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            sorted(tile["name"] for tile in data["key_results"]),
            ["Sub-department public KR", "Yield 92 to 96"],
        )
        tile = next(t for t in data["key_results"] if t["name"] == "Yield 92 to 96")
        self.assertEqual(tile["trend"], [25.0, 37.5, 62.5])
        self.assertEqual(tile["progress"], 62)
        self.assertEqual(tile["status"], self.kr_yield.status)
        self.assertNotIn("alert_count", tile)
        self.assertFalse(data["dense"])
        # no record id leaves the server
        self.assertNotIn('"id"', response.text)
        self.assertNotIn(f'"{self.kr_yield.id}"', json.dumps(tile))

    def test_unknown_revoked_expired_tokens_get_the_same_404(self):
        unknown = self._assert_not_found("x" * 43)
        revoked = self.share.copy({"name": "Revoked screen"})
        revoked.with_user(self.user_manager).action_revoke()
        self.assertEqual(revoked.state, "revoked")
        self.assertEqual(revoked.revoked_by_id, self.user_manager)
        expired = self.share.copy(
            {"name": "Expired screen", "expiry_date": self.today - timedelta(days=1)}
        )
        self.assertEqual(self._assert_not_found(revoked.token), unknown)
        self.assertEqual(self._assert_not_found(expired.token), unknown)
        # a token one character off is unknown
        self._assert_not_found(self.share.token[:-1] + "A")

    def test_expiry_day_still_works(self):
        self.share.expiry_date = self.today
        self.assertTrue(self.share.is_valid)
        response = self.url_open(self._board_url(self.share.token, "/data"))
        self.assertEqual(response.status_code, 200)

    def test_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["okr_management"], ["zh_CN"])
        self.company.partner_id.lang = "zh_CN"
        self.kr_yield.invalidate_recordset()
        response = self.url_open(self._board_url(self.share.token))
        self.assertIn('lang="zh-CN"', response.text)
        status_label = dict(
            self.kr_yield.with_context(lang="zh_CN")
            ._fields["status"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )[self.kr_yield.status]
        self.assertIn(status_label, response.text)
        self.assertNotIn(">On Track<", response.text)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_only_managers_handle_links(self):
        self.env.invalidate_all()
        Share = self.env(user=self.user_lead)["okr.board.share"]
        with self.assertRaises(AccessError):
            Share.create({"name": "Mine", "department_id": self.dep_prod.id})
        with self.assertRaises(AccessError):
            Share.browse(self.share.id).read(["token"])
        with self.assertRaises(AccessError):
            Share.browse(self.share.id).action_revoke()
        self.assertEqual(self.share.state, "active")

    def test_manager_cannot_write_the_token_or_unrevoke(self):
        token = self.share.token
        self.env.invalidate_all()
        share = self.env(user=self.user_manager)["okr.board.share"]
        share = share.browse(self.share.id)
        with self.assertRaises(AccessError):
            share.write({"token": "guessable"})
        with self.assertRaises(AccessError):
            share.create(
                {
                    "name": "Chosen token",
                    "department_id": self.dep_prod.id,
                    "token": "guessable",
                }
            )
        share.action_revoke()
        with self.assertRaises(AccessError):
            share.write({"state": "active"})
        self.env.invalidate_all()
        self.assertEqual(self.share.token, token)
        self.assertEqual(self.share.state, "revoked")
        with self.assertRaises(AccessError):
            share.unlink()

    def test_links_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Other Plant"})
        other_manager = new_test_user(
            self.env,
            login="okr_other_manager",
            groups="okr_management.group_okr_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.env.invalidate_all()
        Share = self.env(user=other_manager)["okr.board.share"]
        self.assertFalse(Share.search([("id", "=", self.share.id)]))
        with self.assertRaises(AccessError):
            Share.browse(self.share.id).read(["name"])


@tagged("post_install", "-at_install")
class TestOkrTvBoardBrowser(OkrTestCommon, HttpCase):
    browser_size = "1920x1080"
    # the test writes between the board's read-only requests
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share = cls.env["okr.board.share"].create(
            {"name": "Hall 9 screen", "department_id": cls.dep_prod.id}
        )
        for days, value in ((21, 93), (14, 93.5), (7, 94.5)):
            cls.kr_yield.action_check_in(value, date=cls.today - timedelta(days=days))
        # a full hall: more key results than fit at full size
        cls.env["okr.key.result"].create(
            [
                {
                    "name": f"Station {number} output per shift from 40 to 52 boxes",
                    "objective_id": cls.objective.id,
                    "start_value": 40,
                    "target_value": 52,
                    "unit": "boxes",
                }
                for number in range(1, 12)
            ]
        )

    def _open_board(self, browser):
        self.authenticate(None, None, browser=browser)
        self.cr.flush()
        self.cr.clear()
        browser.navigate_to(
            f"{self.base_url()}/okr/board/{self.share.token}", wait_stop=True
        )
        self.assertTrue(
            browser._wait_ready(
                "!!document.querySelector('.o_okr_tv_tile polyline')"
                " && !!window.okrTvBoard"
            )
        )

    def test_screenshot_1920x1080_and_refresh_without_reload(self):
        browser = ChromeBrowser(self, headless=True, success_signal="test successful")
        try:
            self._open_board(browser)
            # twelve tiles fit the screen, none of them cut
            browser._wait_code_ok(
                """
                const tiles = [...document.querySelectorAll('.o_okr_tv_tile')];
                const cut = tiles.filter(
                    (tile) => tile.scrollHeight > tile.clientHeight + 1
                        || tile.getBoundingClientRect().bottom > window.innerHeight
                );
                if (tiles.length === 12 && !cut.length) {
                    console.log('test successful');
                } else {
                    console.error(`${tiles.length} tiles, ${cut.length} cut`);
                }
                """,
                30,
            )
            future = browser._websocket_send("Page.captureScreenshot", with_future=True)
            png = base64.b64decode(future.result(timeout=30)["data"])
            # the board re-reads its data in place: a renamed key result shows
            # without the page reloading
            self.kr_yield.name = "Yield renamed live"
            self.env.flush_all()
            browser._wait_code_ok(
                """
                window.okrTvBoardNoReload = true;
                window.okrTvBoard.refresh().then(() => {
                    const tiles = document.querySelector('.o_okr_tv_tiles');
                    const text = tiles.textContent;
                    if (window.okrTvBoardNoReload && text.includes('Yield renamed')) {
                        console.log('test successful');
                    } else {
                        console.error('the board was not redrawn in place');
                    }
                });
                """,
                30,
            )
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        self.assertEqual((width, height), (1920, 1080))
        self.assertGreater(len(png), 10000)
        with tempfile.TemporaryDirectory() as tmp_dir:
            path = f"{tmp_dir}/okr_tv_board.png"
            with open(path, "wb") as image:
                image.write(png)
            with open(path, "rb") as image:
                self.assertEqual(image.read(), png)
