"""Imports run one way, down the floors: the site, features, content apps, the ground floor.

The floors are an import-linter contract in pyproject.toml; ``lint-imports`` checks it in .ci/run,
and these tests check it with the suite, so an import that runs back up fails here too."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def contract():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_no_import_runs_up_a_floor_and_no_two_apps_import_each_other():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_app_of_the_project_stands_on_a_floor():
    own_apps = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    floors = {name.strip() for layer in contract()["contracts"][0]["layers"] for name in layer.split("|")}
    assert own_apps == set(contract()["root_packages"]) == floors
