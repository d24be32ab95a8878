"""No Docker engine runs in CI, so the compose file and the Dockerfile are checked for what they must say: their
values and instructions as Docker reads them, not their text, which comments share."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def dockerfile_instructions(path=ROOT / "Dockerfile"):
    """A Dockerfile's (INSTRUCTION, arguments) as Docker reads them: comment lines dropped, continued lines joined."""
    instructions, current = [], ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1]
            continue
        keyword, arguments = (current + line).split(None, 1)
        instructions.append((keyword.upper(), arguments))
        current = ""
    return instructions


def shell_steps(script):
    """The commands of a shell script joined by &&, each as its words, without leading VAR=value settings."""
    steps = []
    for step in script.split("&&"):
        words = shlex.split(step)
        while words and "=" in words[0]:
            words.pop(0)
        steps.append(words)
    return steps


def test_compose_runs_postgres_with_the_rum_extension_and_a_named_volume():
    compose = load_compose()
    db = compose["services"]["db"]
    instructions = dockerfile_instructions(ROOT / db["build"] / "Dockerfile")
    (base,) = [arguments for keyword, arguments in instructions if keyword == "FROM"]
    assert base.startswith("postgres:")
    runs = [step for keyword, arguments in instructions if keyword == "RUN" for step in shell_steps(arguments)]
    # rum for the image's own major version (the official image sets PG_MAJOR), for search's RUM index.
    assert any(step[:2] == ["apt-get", "install"] and "postgresql-$PG_MAJOR-rum" in step for step in runs)
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "PostgreSQL data must live in a named volume"


def test_web_service_migrates_loads_the_dataset_and_serves_with_gunicorn():
    web = load_compose()["services"]["web"]
    shell, option, script = shlex.split(web["command"])
    assert (shell, option) == ("sh", "-c")
    migrate, load, serve = shell_steps(script)
    assert migrate == ["python", "manage.py", "migrate", "--no-input"]
    assert load == ["python", "manage.py", "load_allmep"]
    assert serve[:4] == ["gunicorn", "allmep.wsgi", "--bind", "0.0.0.0:8000"]
    assert web["ports"] == ["8000:8000"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DJANGO_DEBUG"] == "0"


def test_the_web_image_is_built_from_the_repository():
    web = load_compose()["services"]["web"]
    assert web["build"] == "."
    instructions = dockerfile_instructions()
    runs = [step for keyword, arguments in instructions if keyword == "RUN" for step in shell_steps(arguments)]
    assert ["python", "manage.py", "collectstatic", "--no-input"] in runs
    assert ("EXPOSE", "8000") in instructions
    command = [json.loads(arguments) for keyword, arguments in instructions if keyword == "CMD"]
    assert command[-1][:4] == ["gunicorn", "allmep.wsgi", "--bind", "0.0.0.0:8000"]


def test_redis_holds_the_page_cache_in_bounded_memory():
    compose = load_compose()
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:")
    command = redis["command"]
    assert command[command.index("--maxmemory") + 1].endswith("mb")
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"
    web = compose["services"]["web"]
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert web["environment"]["CACHE_URL"] == "redis://redis:6379/0"


def test_the_web_service_cache_url_selects_django_s_redis_cache():
    """The settings, read as the container would with its CACHE_URL, keep pages in Redis."""
    cache_url = load_compose()["services"]["web"]["environment"]["CACHE_URL"]
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SECRET_KEY": "compose-test"}
    env.pop("REDIS_URL", None)
    code = "import json; from allmep import settings; print(json.dumps(settings.CACHES))"
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    caches = json.loads(output.stdout)
    for alias in ("default", "pages"):
        assert caches[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches[alias]["LOCATION"] == cache_url
    assert caches["default"]["KEY_PREFIX"] != caches["pages"]["KEY_PREFIX"]
