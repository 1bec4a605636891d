"""The ways to run the suite agree: Docker (docker/), a source install
(scripts/demo.sh) and the test command (scripts/test.sh).

No Docker engine runs where these tests run, so they check what can be checked
without one: the compose file parses and names only files that exist, every
path agrees on the module list, docker/odoo.conf holds only real Odoo 18
options, the image's start script refuses a missing or default master password,
and scripts/test.sh fails in one clear line when Odoo cannot be imported.
"""

import configparser
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

from odoo.tools.config import configmanager

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
SCRIPTS = ROOT / "scripts"


def _module_dirs():
    """The suite's addons: the top-level directories with a manifest."""
    return sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))


def _bash_value(script, variable):
    """The value a bash script gives a variable once it is sourced."""
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'source "$1" >/dev/null 2>&1; printf %s "${variable}"',
            "_",
            script,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return result.stdout


def _okr_modules():
    """OKR_MODULES of scripts/lib.sh, the list every script installs."""
    return _bash_value(SCRIPTS / "lib.sh", "OKR_MODULES").split(",")


class TestDockerCompose(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(DOCKER / "compose.yaml", encoding="utf-8") as compose_file:
            cls.compose = yaml.safe_load(compose_file)
        cls.services = cls.compose["services"]

    def test_services(self):
        self.assertEqual(self.services["db"]["image"], "postgres:16")
        self.assertIn("healthcheck", self.services["db"])
        self.assertTrue(self.services["db"]["volumes"])
        for name in ("init", "odoo"):
            with self.subTest(service=name):
                service = self.services[name]
                self.assertEqual(service["build"]["dockerfile"], "docker/Dockerfile")
                self.assertEqual(
                    service["depends_on"]["db"]["condition"], "service_healthy"
                )
        # Odoo starts only once the one-shot init service has succeeded.
        self.assertEqual(
            self.services["odoo"]["depends_on"]["init"]["condition"],
            "service_completed_successfully",
        )
        self.assertEqual(self.services["init"]["command"], ["okr-start", "init"])
        self.assertEqual(self.services["init"]["restart"], "no")
        self.assertEqual(self.services["odoo"]["command"], ["okr-start", "serve"])

    def test_admin_password_is_required(self):
        """Compose refuses to start without ODOO_ADMIN_PASSWORD: no default."""
        for name in ("init", "odoo"):
            with self.subTest(service=name):
                value = self.services[name]["environment"]["ODOO_ADMIN_PASSWORD"]
                self.assertRegex(value, r"^\$\{ODOO_ADMIN_PASSWORD:\?[^}]+\}$")
        example = (DOCKER / ".env.example").read_text(encoding="utf-8")
        self.assertRegex(example, r"(?m)^ODOO_ADMIN_PASSWORD=$")

    def test_named_paths_exist(self):
        """Every file the compose file and the Dockerfile name is in the repository."""
        for name, service in self.services.items():
            build = service.get("build")
            if build:
                context = (DOCKER / build["context"]).resolve()
                self.assertEqual(context, ROOT, f"{name}: build context")
                self.assertTrue((context / build["dockerfile"]).is_file())
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                if source.startswith((".", "/")):
                    self.assertTrue(
                        (DOCKER / source).exists(), f"{name}: volume {source}"
                    )
                else:
                    self.assertIn(source, self.compose["volumes"], f"{name}: volume")

        dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
        self.assertRegex(dockerfile, r"(?m)^FROM odoo:18\.0$")
        ignore = (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8")
        kept = set(re.findall(r"(?m)^!(\S+)$", ignore))
        copies = re.findall(r"(?m)^COPY (?:--\S+ )*(\S+) (\S+)$", dockerfile)
        self.assertTrue(copies)
        for source, _target in copies:
            with self.subTest(copy=source):
                self.assertTrue((ROOT / source).exists())
                self.assertIn(source, kept, "excluded from the build context")
        copied_addons = {
            Path(target).name
            for _source, target in copies
            if target.startswith("/mnt/extra-addons/")
        }
        self.assertEqual(sorted(copied_addons), _module_dirs())

    def test_proxy_reaches_odoo(self):
        """The proxy, the only published port, forwards to the HTTP and gevent ports."""
        proxy = self.services["proxy"]
        self.assertEqual(proxy["ports"], ["${ODOO_PORT:-8069}:80"])
        for name in ("db", "init", "odoo"):
            self.assertNotIn("ports", self.services[name], name)
        config = configmanager(str(DOCKER / "odoo.conf"))
        nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
        upstreams = dict(re.findall(r"upstream (\w+) \{\s*server odoo:(\d+);", nginx))
        self.assertEqual(
            upstreams,
            {
                "odoo_http": str(config["http_port"]),
                "odoo_websocket": str(config["gevent_port"]),
            },
        )
        self.assertIn("location /websocket", nginx)
        self.assertIn("X-Forwarded-Proto", nginx)

    def test_oca_wheels_installed_without_deps(self):
        """The image installs requirements.txt's OCA wheels as a source install does."""
        dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
        self.assertIn("--no-deps", dockerfile)
        self.assertIn("--break-system-packages", dockerfile)
        requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
        wheels = re.findall(r"(?m)^odoo-addon-[\w-]+==\S+", requirements)
        self.assertGreaterEqual(len(wheels), 4)
        self.assertIn("grep -E '^odoo-addon-'", dockerfile)


class TestModuleLists(unittest.TestCase):
    def test_one_module_list(self):
        """Docker, demo.sh, dev.sh and test.sh install the same three modules."""
        modules = _okr_modules()
        self.assertEqual(sorted(modules), _module_dirs())
        self.assertEqual(len(modules), 3)
        start = (DOCKER / "okr-start.sh").read_text(encoding="utf-8")
        docker_modules = re.search(r'(?m)^MODULES="([^"]+)"$', start).group(1)
        self.assertEqual(docker_modules.split(","), modules)
        for script in ("test.sh", "demo.sh", "dev.sh"):
            with self.subTest(script=script):
                text = (SCRIPTS / script).read_text(encoding="utf-8")
                self.assertIn('source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"', text)
                self.assertIn("OKR_MODULES", text)
                self.assertNotIn("okr_mrp_bridge", text, "a list of its own")

    def test_one_database(self):
        """Docker and demo.sh create and serve the same database."""
        start = (DOCKER / "okr-start.sh").read_text(encoding="utf-8")
        self.assertRegex(start, r'(?m)^DB="okr_demo"$')
        demo = (SCRIPTS / "demo.sh").read_text(encoding="utf-8")
        self.assertRegex(demo, r'(?m)^DB="\$\{OKR_DEMO_DB:-okr_demo\}"$')


class TestOdooConfiguration(unittest.TestCase):
    def _load(self, path):
        return configmanager(str(path))

    def test_only_real_options(self):
        """Every key of docker/odoo.conf is an option Odoo 18 knows."""
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as empty:
            empty.write("[options]\n")
            empty.flush()
            defaults = self._load(empty.name)
        known = set(defaults.options) - defaults.blacklist_for_save
        parser = configparser.RawConfigParser()
        parser.read(DOCKER / "odoo.conf")
        self.assertEqual(parser.sections(), ["options"])
        keys = set(parser.options("options"))
        self.assertFalse(keys - known, "unknown Odoo options")
        # values Odoo casts (integers, booleans) cast cleanly
        loaded = self._load(DOCKER / "odoo.conf")
        for key in keys:
            cast = defaults.casts.get(key)
            if cast is not None and cast.type == "int":
                with self.subTest(option=key):
                    self.assertIsInstance(loaded[key], int)

    def test_production_settings(self):
        config = self._load(DOCKER / "odoo.conf")
        self.assertGreaterEqual(config["workers"], 2)
        self.assertGreaterEqual(config["max_cron_threads"], 1)
        self.assertIs(config["proxy_mode"], True)
        self.assertIs(config["list_db"], False)
        self.assertIs(config["without_demo"], False)
        self.assertEqual(config["db_name"], "okr_demo")
        self.assertEqual(config["dbfilter"], "^okr_demo$")
        self.assertEqual(config["addons_path"].split(","), ["/mnt/extra-addons"])
        # the master password comes from the environment, never from the file
        parser = configparser.RawConfigParser()
        parser.read(DOCKER / "odoo.conf")
        self.assertNotIn("admin_passwd", parser.options("options"))

    def test_start_script_refuses_default_password(self):
        """okr-start stops before anything else without a real master password."""
        for value, message in (
            (None, "ODOO_ADMIN_PASSWORD is not set"),
            ("", "ODOO_ADMIN_PASSWORD is not set"),
            ("admin", "must not be 'admin'"),
        ):
            with self.subTest(password=value):
                env = dict(os.environ)
                env.pop("ODOO_ADMIN_PASSWORD", None)
                if value is not None:
                    env["ODOO_ADMIN_PASSWORD"] = value
                result = subprocess.run(
                    ["bash", str(DOCKER / "okr-start.sh"), "init"],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=30,
                    check=False,
                )
                self.assertEqual(result.returncode, 2)
                self.assertIn(message, result.stderr)


class TestTestCommand(unittest.TestCase):
    def test_missing_odoo_is_one_clear_line(self):
        """test.sh and CI with a Python that cannot import Odoo: one line, exit 2."""
        with tempfile.TemporaryDirectory() as tmp:
            python = Path(tmp) / "python-without-odoo"
            # -S skips site-packages (and the .pth that puts Odoo on the path);
            # -I alone still imports it here.
            python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')
            python.chmod(0o755)
            probe = subprocess.run(
                [str(python), "-c", "import odoo.release"],
                capture_output=True,
                timeout=30,
                check=False,
            )
            self.assertNotEqual(probe.returncode, 0, "the wrapper still imports Odoo")
            env = dict(os.environ, PYTHON=str(python), OKR_TEST_DB="okr_never_created")
            for command in (SCRIPTS / "test.sh", ROOT / ".ci" / "run"):
                with self.subTest(command=command.name):
                    result = subprocess.run(
                        ["bash", str(command)],
                        capture_output=True,
                        text=True,
                        env=env,
                        timeout=60,
                        check=False,
                    )
                    self.assertEqual(result.returncode, 2)
                    self.assertEqual(result.stdout, "")
                    lines = result.stderr.splitlines()
                    self.assertEqual(len(lines), 1, result.stderr)
                    self.assertRegex(
                        lines[0], r"^okr-test: Odoo 18 is not importable by '.+'"
                    )

    def test_scripts_are_valid_bash(self):
        for script in [*sorted(SCRIPTS.glob("*.sh")), DOCKER / "okr-start.sh"]:
            with self.subTest(script=script.name):
                result = subprocess.run(
                    ["bash", "-n", str(script)],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                )
                self.assertEqual(result.returncode, 0, result.stderr)

    def test_ci_runs_tests_and_lint(self):
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        self.assertIn("bash scripts/test.sh", ci)
        self.assertIn("bash scripts/lint.sh", ci)
