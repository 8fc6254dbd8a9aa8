"""What can be checked of the deployment without a Docker engine: the compose file, the
Dockerfile, `.env.example` against every variable the code reads, and `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_DIR = ROOT / "crm_project" / "settings"

# env("X"), env.bool("X"), env.db_url("X"), os.environ.get("X"), os.environ["X"], _int("X").
READ_PATTERNS = [
    re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""os\.environ(?:\.get\(\s*|\[\s*)["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""\b_int\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
]
# ${VAR}, ${VAR:-default}, ${VAR:?message}, $VAR; `$$` is a literal dollar for the container.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))")


def documented_variables():
    """Names assigned in .env.example, each with the comment block right above it."""
    documented = {}
    comment = []
    after_assignment = False
    for line in (ROOT / ".env.example").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if after_assignment:
                comment = []
            comment.append(stripped)
            after_assignment = False
        elif "=" in stripped:
            # Consecutive assignments share the comment above the first.
            documented[stripped.split("=", 1)[0]] = list(comment)
            after_assignment = True
        else:
            comment = []
            after_assignment = False
    return documented


def variables_read(paths):
    names = set()
    for path in paths:
        text = path.read_text()
        for pattern in READ_PATTERNS:
            names.update(pattern.findall(text))
    return names


def compose_text():
    return (ROOT / "docker-compose.yml").read_text()


def test_env_example_documents_every_variable_the_settings_and_gunicorn_read():
    read = variables_read([*SETTINGS_DIR.glob("*.py"), ROOT / "gunicorn.conf.py"])
    # The scan must see the variables we know are read, or it proves nothing.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_SECURE_SSL_REDIRECT", "GUNICORN_WORKERS"} <= read
    documented = documented_variables()
    assert sorted(read - set(documented)) == []
    undocumented = [name for name, comment in documented.items() if not comment]
    assert undocumented == [], "every variable in .env.example needs a comment above it"


def test_compose_file_parses_and_wires_database_migrate_and_app():
    compose = yaml.safe_load(compose_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app"}

    db = services["db"]
    assert db["image"].startswith("postgres:15")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])

    migrate = services["migrate"]
    assert migrate["entrypoint"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}

    app = services["app"]
    assert app["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert "/healthcheck" in " ".join(app["healthcheck"]["test"])
    assert app["environment"]["DJANGO_SETTINGS_MODULE"] == "crm_project.settings.production"
    # Configured only through the environment: no env_file, no baked-in secret.
    for service in services.values():
        assert "env_file" not in service
    assert app["environment"]["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")


def test_compose_references_only_documented_variables():
    referenced = set()
    for braced, bare in COMPOSE_VARIABLE.findall(compose_text()):
        referenced.add(braced or bare)
    assert {"DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "GUNICORN_WORKERS"} <= referenced
    assert sorted(referenced - set(documented_variables())) == []


def test_compose_passes_every_variable_the_settings_read_to_the_app():
    app_environment = yaml.safe_load(compose_text())["services"]["app"]["environment"]
    read = variables_read([SETTINGS_DIR / "base.py", SETTINGS_DIR / "production.py", ROOT / "gunicorn.conf.py"])
    # Development-only switches, and the bind address the image fixes.
    not_for_compose = {"DJANGO_DEBUG", "DJANGO_AUTH_COOKIE_SECURE", "GUNICORN_BIND"}
    assert sorted(read - set(app_environment) - not_for_compose) == []


def dockerfile_instructions():
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def test_dockerfile_is_multi_stage_slim_non_root_and_collects_static_files():
    instructions = dockerfile_instructions()
    stages = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert len(stages) >= 2
    args = dict(rest.split("=", 1) for keyword, rest in instructions if keyword == "ARG" and "=" in rest)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", args["PYTHON_IMAGE"])

    runs = [rest for keyword, rest in instructions if keyword == "RUN"]
    assert any("pip install" in run and "-r /tmp/requirements.txt" in run for run in runs)
    assert ("COPY", "requirements.txt /tmp/requirements.txt") in instructions
    assert any("manage.py collectstatic --noinput" in run for run in runs)

    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users, "the image must not run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    # USER comes after the last RUN, so the process runs unprivileged.
    positions = [index for index, (keyword, _) in enumerate(instructions)]
    last_run = max(i for i in positions if instructions[i][0] == "RUN")
    last_user = max(i for i in positions if instructions[i][0] == "USER")
    assert last_user > last_run

    entrypoint = [rest for keyword, rest in instructions if keyword == "ENTRYPOINT"]
    assert entrypoint == ['["gunicorn", "--config", "gunicorn.conf.py"]']


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9._-]+(\[[a-z,]+\])?==[0-9][A-Za-z0-9.]*", line), line


def test_gunicorn_config_reads_workers_threads_and_logs_to_stdout(monkeypatch):
    def load():
        namespace = {"__file__": str(ROOT / "gunicorn.conf.py")}
        exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
        return namespace

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    config = load()
    assert config["workers"] == os.cpu_count()
    assert config["threads"] == 4 and config["worker_class"] == "gthread"
    assert config["accesslog"] == "-" and config["errorlog"] == "-"
    assert config["graceful_timeout"] > 0 and config["timeout"] > 0
    assert config["wsgi_app"] == "crm_project.wsgi:application"

    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "1")
    config = load()
    assert config["workers"] == 3
    assert config["worker_class"] == "sync"


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "JWT_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="crm_project.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="crm.example.com",
        DATABASE_URL="postgres://crm:secret@db.invalid:5432/crm",
    )
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings_and_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_a_safety_setting_is_switched_off():
    # The previous test would pass vacuously if --deploy checked nothing.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W008" in output and "security.W012" in output and "security.W016" in output


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_values():
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "AUTH_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT",
    ]
    code = f"from django.conf import settings; print(repr([getattr(settings, n) for n in {names!r}]))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        [False, True, True, True, True, ("HTTP_X_FORWARDED_PROTO", "https"), [r"^healthcheck$"]]
    )
