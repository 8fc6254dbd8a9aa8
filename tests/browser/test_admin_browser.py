"""The admin and the API docs in a real browser, under gunicorn with production settings.

Runs only with CRM_BROWSER_TESTS=1 (`make browser-test`, `.ci/steps/50-browser.sh`): it needs
Debian's chromium at /usr/bin/chromium (or CRM_CHROMIUM) and the `playwright` package. The
browser is never downloaded. Screenshots go to artifacts/screenshots/.

The server is production-like: DEBUG off, static files collected and served by whitenoise,
JSON logs. Only two switches differ, so it can run over plain HTTP on the loopback interface:
no HTTPS redirect and no Secure flag on cookies.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

if os.environ.get("CRM_BROWSER_TESTS") != "1":
    pytest.skip("browser tests run with CRM_BROWSER_TESTS=1 (make browser-test)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-browser.txt")

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, env):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the production settings on a loopback port, its database seeded."""
    work = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DJANGO_SETTINGS_MODULE": "crm_project.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # A PostgreSQL when the caller gives one (CI does), else a fresh SQLite file.
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'browser.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput"], env)
    run([python, "manage.py", "collectstatic", "--noinput"], env)
    seed = json.loads(run([python, "tests/browser/seed.py"], env).strip().splitlines()[-1])

    gunicorn = str(Path(python).with_name("gunicorn"))
    log = (work / "gunicorn.log").open("w")
    process = subprocess.Popen([gunicorn, "--config", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthcheck", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("gunicorn did not become ready:\n" + (work / "gunicorn.log").read_text()[-4000:])
        time.sleep(0.3)
    yield {"base": base, **seed}
    process.terminate()
    process.wait(timeout=40)
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(server, browser):
    """A logged-in staff page; every request it makes is recorded."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.requests = []
    page.failures = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on(
        "response",
        lambda response: page.failures.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.on("requestfailed", lambda request: page.failures.append(f"failed {request.url}"))

    page.goto(f"{server['base']}/admin/login/")
    page.fill("#id_username", server["email"])
    page.fill("#id_password", server["password"])
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    yield page
    context.close()


def assert_styled(page):
    """The admin stylesheet is applied: the header has the admin's colours and font, not the
    browser's defaults."""
    header = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('#header'));"
        " return {bg: s.backgroundColor, display: s.display}; }"
    )
    assert header["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), header
    assert header["display"] == "flex", header


def assert_everything_came_from(page, base):
    assert page.failures == []
    foreign = [url for url in page.requests if not url.startswith((base, "data:"))]
    assert foreign == [], f"requests left the server: {foreign}"


def test_staff_logs_in_to_a_styled_admin(page, server):
    page.goto(f"{server['base']}/admin/")
    assert page.title().startswith("Site administration")
    assert_styled(page)
    assert page.get_by_role("link", name="Organizations", exact=True).first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "01-admin-index.png"), full_page=True)
    assert_everything_came_from(page, server["base"])


def test_organization_page_shows_figures_members_and_the_pipeline_chart(page, server):
    page.goto(f"{server['base']}/admin/organizations/organization/{server['organization_id']}/change/")
    page.wait_for_selector("#staff-console")
    assert_styled(page)

    figures = {key: page.inner_text(f"#figure-{key} strong") for key in ("members", "contacts", "deals", "open-tasks")}
    assert figures == {"members": "3", "contacts": "3", "deals": "10", "open-tasks": "4"}
    members = page.inner_text("#console-members")
    assert server["email"] in members and f"member-{server['run']}@example.com" in members

    funnel = page.locator("#chart-funnel svg")
    assert funnel.is_visible()
    stages = page.eval_on_selector_all(
        "#chart-funnel g.funnel-stage",
        "groups => groups.map(g => [g.dataset.stage, g.dataset.count, g.dataset.reached])",
    )
    assert stages == [
        ["qualification", "3", "10"],
        ["proposal", "2", "7"],
        ["negotiation", "1", "5"],
        ["closed", "4", "4"],
    ]
    # Drawn, not just present: the bars have a size on screen, widest first.
    widths = [box["width"] for box in (bar.bounding_box() for bar in funnel.locator("rect.bar-reached").all())]
    assert widths[0] > widths[1] > widths[2] > widths[3] > 0

    won_lost = page.eval_on_selector_all(
        "#chart-won-lost g.currency",
        "groups => groups.map(g => [g.dataset.currency,"
        " g.querySelector('.bar-won').dataset.amount, g.querySelector('.bar-lost').dataset.amount])",
    )
    assert won_lost == [["EUR", "1500.00", "900.00"], ["USD", "12000.00", "4000.00"]]
    assert page.locator("#chart-won-lost rect.bar-won").first.bounding_box()["width"] > 0

    page.locator("#staff-console").screenshot(path=str(SCREENSHOTS / "02-organization-chart.png"))
    page.screenshot(path=str(SCREENSHOTS / "03-organization-page.png"), full_page=True)
    assert_everything_came_from(page, server["base"])


def test_deals_changelist_filters_by_status(page, server):
    page.goto(f"{server['base']}/admin/deals/deal/")
    page.wait_for_selector("#result_list")
    assert_styled(page)
    won_filter = page.locator("#changelist-filter a", has_text=re.compile(r"^\s*Won\s*$"))
    if won_filter.count():
        won_filter.first.click()
    else:
        page.goto(f"{server['base']}/admin/deals/deal/?status__exact=won")
    page.wait_for_selector("#result_list")
    assert "status__exact=won" in page.url

    # Narrow to this run's deals, so other data in the database does not matter.
    page.fill("#searchbar", server["run"])
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    assert "status__exact=won" in page.url
    rows = page.inner_text("#result_list tbody")
    for title in server["won_titles"]:
        assert title in rows
    for title in server["other_titles"]:
        assert title not in rows
    assert page.locator("#result_list tbody tr").count() == len(server["won_titles"])

    page.screenshot(path=str(SCREENSHOTS / "04-deals-filtered.png"), full_page=True)
    assert_everything_came_from(page, server["base"])


def test_api_docs_render_the_swagger_ui_from_local_assets(page, server):
    page.goto(f"{server['base']}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.querySelectorAll('.swagger-ui .opblock').length > 10")
    assert "CRM API" in page.inner_text(".swagger-ui .info .title")
    paths = page.eval_on_selector_all(
        ".swagger-ui .opblock .opblock-summary-path", "els => els.map(e => e.dataset.path)"
    )
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/organizations" in paths
    # The Swagger UI stylesheet is applied (operation blocks are coloured by method).
    post_bg = page.evaluate(
        "() => getComputedStyle(document.querySelector('.swagger-ui .opblock.opblock-post')).backgroundColor"
    )
    assert post_bg not in ("rgba(0, 0, 0, 0)", "transparent")

    page.screenshot(path=str(SCREENSHOTS / "05-api-docs.png"), full_page=False)
    assert_everything_came_from(page, server["base"])
