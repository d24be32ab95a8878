"""Restarting the site keeps editors' work: `bin/serve` and the compose web container load the dataset on every
start, and the editor's change, withdrawal and deletion must survive it.

These run the real start-up commands in subprocesses, on an SQLite file of their own (the embedded database
`bin/serve` is for), whichever database the rest of the suite uses.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NEW_NAME = "وكالة التنمية الأمريكية"
ORIGINAL_NAME = "الوكالة الأمريكية للتنمية الدولية"

EDITORS_WORK = f"""
from django.contrib.auth import get_user_model
from events.models import Meeting
from organizations.models import Organization
from records.versioning import revision

editor = get_user_model().objects.create_user("rana", is_staff=True)
with revision("A better Arabic name", user=editor):
    usaid = Organization.objects.get(slug="usaid")
    usaid.name_ar = "{NEW_NAME}"
    usaid.save()
with revision("Withdrawn to draft", user=editor):
    white_house = Organization.objects.get(slug="white-house")
    white_house.status = "draft"
    white_house.save()
Meeting.objects.get(slug="first-meeting-2004").delete()
"""

STATE = """
import json
from events.models import Meeting
from organizations.models import Organization

print(json.dumps({
    "usaid": Organization._base_manager.get(slug="usaid").name_ar,
    "white-house": Organization._base_manager.get(slug="white-house").status,
    "meeting": Meeting._base_manager.filter(slug="first-meeting-2004").exists(),
}))
"""


@pytest.fixture
def environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    # As bin/serve runs: debug mode serves the static files uncollected (production mode stops at start-up
    # without collectstatic).
    env["DJANGO_DEBUG"] = "1"
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def edited_site(environment):
    """A database as a first start leaves it, then an editor's rename, withdrawal and deletion."""
    manage(environment, "migrate", "--no-input")
    manage(environment, "load_allmep")
    manage(environment, "shell", "-c", EDITORS_WORK)
    return environment


def assert_editors_work_stands(env):
    state = json.loads(manage(env, "shell", "-c", STATE).strip().splitlines()[-1])
    assert state == {"usaid": NEW_NAME, "white-house": "draft", "meeting": False}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_bin_serve_restarts_keep_what_editors_did(edited_site, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            ["bin/serve", str(port)], cwd=ROOT, env=edited_site, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None, log.read_text()
            try:
                status, page = fetch(f"{base}/ar/organizations/usaid/")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert status == 200 and NEW_NAME in title and ORIGINAL_NAME not in title
        assert fetch(f"{base}/ar/organizations/white-house/")[0] == 404
        assert fetch(f"{base}/ar/events/meetings/first-meeting-2004/")[0] == 404
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log.read_text()
    assert "kept 2 records edited since the dataset was loaded" in output
    assert "1 record deleted by editors not brought back" in output
    assert_editors_work_stands(edited_site)


def test_the_compose_start_up_keeps_what_editors_did(edited_site):
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    # Everything the container runs before it serves; python is the image's, here the suite's own.
    start_up = command.split("&& gunicorn")[0].removeprefix("sh -c").strip().strip('"')
    assert "load_allmep" in start_up
    # The image runs collectstatic when it is built; not here, so the fixture's debug mode stays.
    env = {**edited_site, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{edited_site['PATH']}"}
    for _restart in range(2):
        result = subprocess.run(["sh", "-c", start_up], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "kept 2 records edited since the dataset was loaded" in result.stdout
    assert_editors_work_stands(edited_site)
