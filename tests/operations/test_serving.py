"""Serving the site: production refuses to start without its collected static files, saying how to
collect them, and bin/serve's port is the one the admin message names."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_without_collected_static_files_the_site_refuses_to_start_and_says_to_collect_them(tmp_path):
    with override_settings(STORAGES=PRODUCTION_STATIC, STATIC_ROOT=tmp_path):
        with pytest.raises(SystemCheckError) as refused:
            call_command("check", stdout=StringIO(), stderr=StringIO())
        assert "records.E001" in str(refused.value)
        assert "manage.py collectstatic" in str(refused.value)

        # What collectstatic writes last: the manifest of the hashed names.
        staticfiles_storage.hashed_files = {}
        staticfiles_storage.save_manifest()
        call_command("check", stdout=StringIO(), stderr=StringIO())

    # Without the manifest storage (DEBUG, as bin/serve runs) nothing needs collecting.
    call_command("check", stdout=StringIO(), stderr=StringIO())


def test_the_production_settings_refuse_to_migrate_or_serve_before_collectstatic(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "allmep.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    for command in (["check"], ["migrate", "--no-input"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 1, command
        assert "The static files have not been collected" in result.stderr
        assert "manage.py collectstatic" in result.stderr


def test_local_admin_names_the_port_it_is_given(db):
    out = StringIO()
    call_command("local_admin", port=8100, stdout=out)
    assert "http://127.0.0.1:8100/ar/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()


@pytest.mark.parametrize(("arguments", "port"), [([], "8000"), (["8100"], "8100")])
def test_bin_serve_gives_its_port_to_the_admin_message_and_the_server(tmp_path, arguments, port):
    """bin/serve run in a copy of the checkout whose setup does nothing and whose Python only writes down
    what it was asked to run."""
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "serve", tmp_path / "bin" / "serve")
    (tmp_path / "bin" / "setup").write_text("#!/bin/sh\nexit 0\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path / "ran"}"\n')
    for script in ("bin/serve", "bin/setup", ".venv/bin/python"):
        (tmp_path / script).chmod(0o755)

    subprocess.run([tmp_path / "bin" / "serve", *arguments], check=True, timeout=60, capture_output=True)

    ran = (tmp_path / "ran").read_text().splitlines()
    local_admin = [line for line in ran if line.startswith("manage.py local_admin")]
    assert local_admin == [f"manage.py local_admin --port {port}"]
    assert ran[-1] == f"manage.py runserver 127.0.0.1:{port}"
