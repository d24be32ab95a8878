"""No Docker engine runs in CI, so the compose file is checked for what it must say."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_with_a_named_volume():
    compose = load_compose()
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "PostgreSQL data must live in a named volume"


def test_web_service_migrates_loads_the_dataset_and_serves_with_gunicorn():
    web = load_compose()["services"]["web"]
    command = web["command"]
    assert command.index("migrate") < command.index("load_allmep") < command.index("gunicorn")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DJANGO_DEBUG"] == "0"


def test_the_web_image_is_built_from_the_repository():
    web = load_compose()["services"]["web"]
    assert web["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile
    assert "collectstatic" in dockerfile
