"""`make bench`: the API under load against the same SQL sent straight to PostgreSQL.

    python -m bench.run [--sizes S=500,M=10000,L=100000,XL=1000000] [--duration 5] [--connections 4]

1. Makes sure the local cluster runs (starting or installing it when needed) and fills a
   database of its own (default `crm_bench`) with `seed_demo`'s bulk path, one organization per
   size. A database already filled with the same sizes and seed is reused.
2. Captures the SQL each endpoint sends (Django's own queries, through the test client) and
   writes one pgbench script per endpoint and size.
3. Serves the API with gunicorn and production settings on a loopback port, drives each
   endpoint with wrk, then runs its SQL with pgbench at the same connection count.
4. Prints one table per size, writes bench/results/*.json and a PNG chart.

Options also come from the environment (see the README's Performance section); `--help` lists them.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench import infra, report

ROOT = infra.ROOT
RESULTS = ROOT / "bench" / "results"
DEFAULT_SIZES = "S=500,M=10000,L=100000,XL=1000000"
ORGANIZATION_NAME = "Bench {}"
# Proportions of the other rows to deals, passed to seed_demo.
CONTACTS_PER_DEAL = 0.5
TASKS_PER_DEAL = 1.0


def parse_sizes(text):
    sizes = {}
    for part in text.split(","):
        name, _, count = part.strip().partition("=")
        if not name or not count.strip().isdigit():
            raise SystemExit(f"bench: bad size {part!r}; expected NAME=DEALS, e.g. S=500.")
        sizes[name.strip()] = int(count)
    return sizes


def parse_server(text):
    """`sync:5` or `gthread:2x4` -> (class, workers, threads)."""
    worker_class, _, shape = text.partition(":")
    workers, _, threads = shape.partition("x")
    return worker_class or "sync", int(workers or 3), int(threads or 1)


def arguments(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=env("SIZES") or DEFAULT_SIZES, help="NAME=DEALS,... (one tenant each)")
    parser.add_argument("--duration", type=int, default=int(env("DURATION") or 5), help="seconds per run")
    parser.add_argument("--connections", type=int, default=int(env("CONNECTIONS") or 4))
    parser.add_argument(
        "--server",
        default=env("SERVER") or "gthread:2x4",
        help="worker setup: CLASS:WORKERS[xTHREADS], e.g. sync:4 or gthread:2x4",
    )
    parser.add_argument(
        "--compare-servers",
        default=env("COMPARE_SERVERS") or "",
        help="other worker setups to measure on one tenant first, comma-separated",
    )
    parser.add_argument("--seed", type=int, default=int(env("SEED") or 42))
    parser.add_argument("--database", default=env("BENCH_DB") or "crm_bench", help="name of the bench database")
    parser.add_argument("--endpoints", default=env("ENDPOINTS") or "", help="comma-separated subset")
    parser.add_argument("--users", type=int, default=int(env("BENCH_USERS") or 64), help="bench users (tokens)")
    parser.add_argument("--isolation", default=env("ISOLATION") or "1", help="0 skips the S-beside-XL run")
    parser.add_argument("--label", default=env("LABEL") or "", help="a note stored with the results")
    parser.add_argument("--reseed", action="store_true", help="refill the database even when it matches")
    parser.add_argument(
        "--app-dir",
        default=env("BENCH_APP_DIR") or "",
        help="serve the API from another checkout (to measure a change against the code before it)",
    )
    return parser.parse_args(argv)


def bench_database(name):
    """The bench database: BENCH_DATABASE_URL, else DATABASE_URL's server and role, else the
    `crm` role on the local cluster (created as a superuser when missing, so that seed_demo's
    COPY path can switch the foreign-key triggers off). Always a database of its own name."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return infra.Database.from_url(url)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return infra.Database.from_url(url, name=name)
    return infra.Database.from_url("postgres://crm:crm@127.0.0.1:5432/", name=name)


def django_env(db):
    return {
        "DJANGO_SETTINGS_MODULE": "crm_project.settings.production",
        "DATABASE_URL": db.url(),
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Tokens are minted once for the whole run.
        "JWT_ACCESS_TOKEN_MINUTES": "600",
        "PYTHONPATH": str(ROOT),
        # WhiteNoise warns once per process that collectstatic has not run; the API needs no files.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def seed_source_hash():
    digest = hashlib.sha256()
    paths = [*ROOT.glob("*/management/commands/seed_demo.py"), *ROOT.glob("*/seeding.py")]
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def manage(env, *args, capture=False):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, capture_output=capture)


def seed_options():
    help_text = manage(os.environ, "seed_demo", "--help", capture=True).stdout
    return help_text


def seed_command(name, deals, seed, reset=False):
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "seed_demo",
        "--organization",
        ORGANIZATION_NAME.format(name),
        "--deals",
        str(deals),
        "--contacts",
        str(max(1, int(deals * CONTACTS_PER_DEAL))),
        "--tasks",
        str(int(deals * TASKS_PER_DEAL)),
        "--seed",
        str(seed),
        "--no-progress",
    ]
    return [*command, "--reset"] if reset else command


def fill(db, sizes, seed, env, fresh=True, reset=()):
    """A fresh database, migrated and filled by seed_demo, one organization per size.

    After the smallest, the largest tenant is written by a second seed_demo process while the
    others are written one after the other: two processes for two cores."""
    listing = ", ".join(f"{k}={v}" for k, v in sizes.items())
    if fresh:
        print(f"bench: creating database {db.name} and filling it ({listing})")
        infra.recreate_database(db)
    else:
        print(f"bench: adding tenants to database {db.name} ({listing})")
    manage(env, "migrate", "--noinput", capture=True)
    if "--deals" not in seed_options():
        print("bench: seed_demo has no bulk path; the tenants stay empty.")
        return
    order = sorted(sizes, key=sizes.get)
    started = time.monotonic()
    background = None
    # The first tenant alone: it also creates the demo login the others then find.
    first = order.pop(0)
    subprocess.run(
        seed_command(first, sizes[first], seed, first in reset), cwd=ROOT, env=env, check=True, capture_output=True
    )
    print(f"bench: tenant {first} filled in {time.monotonic() - started:.0f} s")
    if order:
        largest = order.pop()
        background = (
            largest,
            subprocess.Popen(
                seed_command(largest, sizes[largest], seed, largest in reset),
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
        )
    for name in order:
        subprocess.run(
            seed_command(name, sizes[name], seed, name in reset), cwd=ROOT, env=env, check=True, capture_output=True
        )
        print(f"bench: tenant {name} filled in {time.monotonic() - started:.0f} s")
    if background:
        name, process = background
        output, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"bench: seed_demo failed for {name}:\n{output[-2000:]}")
        print(f"bench: tenant {name} filled in {time.monotonic() - started:.0f} s")
    with db.connect() as conn:
        conn.execute("VACUUM (ANALYZE)")


def main(argv=None):
    args = arguments(argv)
    sizes = parse_sizes(args.sizes)
    wanted = {name.strip() for name in args.endpoints.split(",") if name.strip()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    os.environ["BENCH_PYTHON"] = sys.executable

    db = bench_database(args.database)
    infra.ensure_cluster(db)
    env = dict(os.environ, **django_env(db))
    os.environ.update(django_env(db))

    # The database's comment says what it holds: seed, seeder version and the deals per tenant.
    # Tenants already there with the same size are reused; others are added or re-seeded.
    # (A change of seed_demo's code does not refill by itself: `--reseed` does.)
    expected = {"seed": args.seed}
    current = infra.database_fingerprint(db)
    fresh = args.reseed or not current or any(current.get(key) != value for key, value in expected.items())
    tenants = {} if fresh else dict(current.get("tenants") or current.get("sizes") or {})
    todo = {name: deals for name, deals in sizes.items() if tenants.get(name) != deals}
    if todo:
        fill(db, todo, args.seed, env, fresh=fresh, reset=set(todo) & set(tenants))
        tenants.update(todo)
        infra.set_fingerprint(db, {**expected, "seed_demo": seed_source_hash(), "tenants": tenants})
        print(f"bench: database ready in {time.monotonic() - started:.0f} s")
    else:
        print(f"bench: reusing database {db.name} (same tenants, sizes and seed)")
        manage(env, "migrate", "--noinput", capture=True)

    from bench import capture  # Django starts here, on the bench database.

    organizations = {name: capture.ensure_organization(ORGANIZATION_NAME.format(name)) for name in sizes}
    users = capture.ensure_bench_users(list(organizations.values()), args.users)
    tokens = capture.access_tokens(users)
    tokens_file = RESULTS / "tokens.txt"
    tokens_file.write_text("\n".join(tokens) + "\n")

    plan = {}
    sql_dir = RESULTS / "sql"
    for name, organization in organizations.items():
        (sql_dir / name).mkdir(parents=True, exist_ok=True)
        endpoints = []
        for endpoint in capture.tenant_endpoints(organization, wanted):
            status, body, statements = capture.capture(endpoint, organization, tokens[0])
            if status == 404 and b"NotFound" in body:
                print(f"bench: {endpoint.name} is not served yet ({endpoint.path}); skipped")
                continue
            if not 200 <= status < 300:
                raise SystemExit(f"bench: {endpoint.name} on {name} answered {status}: {body[:300]!r}")
            endpoint.sql = statements
            endpoint.script = capture.write_script(sql_dir / name / f"{endpoint.name}.sql", statements, body)
            endpoints.append(endpoint)
        counts = capture.tenant_counts(organization)
        plan[name] = {"organization": organization, "endpoints": endpoints, "counts": counts}
    capture.connection.close()

    results = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "machine": report.machine(),
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
        "duration_s": args.duration,
        "connections": args.connections,
        "sizes": {name: {"deals": deals, **plan[name]["counts"]} for name, deals in sizes.items()},
        "queries": {
            name: {e.name: {"path": e.path, "method": e.method, "queries": len(e.sql)} for e in plan[name]["endpoints"]}
            for name in plan
        },
    }

    log_path = RESULTS / "gunicorn.log"
    if args.compare_servers:
        results["servers"] = compare_servers(args, plan, tokens_file, log_path)

    worker_class, workers, threads = parse_server(args.server)
    server = infra.Server(env, workers, worker_class, threads, log_path=log_path, app_dir=args.app_dir or None)
    results["server"] = server.describe()
    results["app_dir"] = str(server.app_dir)
    with server:
        warm_up(server, plan, tokens_file)
        rss_start = server.worker_rss_kib()
        results["runs"] = {}
        for name in sizes:
            results["runs"][name] = measure_tenant(server, db, plan[name], tokens_file, args)
            print(report.table(name, results["sizes"][name], results["runs"][name]))
            sys.stdout.flush()
        largest = max(sizes, key=sizes.get)
        results["analytics_latency"] = analytics_latency(server, db, plan[largest], tokens_file, args, largest)
        smallest = min(sizes, key=sizes.get)
        if args.isolation != "0" and smallest != largest:
            results["isolation"] = isolation(server, plan, tokens_file, args, smallest, largest)
        rss_end = server.worker_rss_kib()
    results["rss_kib"] = {"start": rss_start, "end": rss_end}
    results["elapsed_s"] = round(time.monotonic() - started)
    report.finish(results, RESULTS)
    return 0


def warm_up(server, plan, tokens_file):
    """Every worker has imported everything and opened its connection before measuring."""
    for tenant in plan.values():
        for endpoint in tenant["endpoints"]:
            infra.run_wrk(server.base_url, endpoint, str(tenant["organization"].pk), tokens_file, 4, 1)


def measure_tenant(server, db, tenant, tokens_file, args):
    org_id = str(tenant["organization"].pk)
    runs = {}
    for endpoint in tenant["endpoints"]:
        status, body = infra.request(server.base_url, endpoint, tokens_file.read_text().split()[0], org_id)
        if not 200 <= status < 300:
            raise SystemExit(f"bench: {endpoint.name} answered {status} before the run: {body[:300]!r}")
        infra.run_wrk(server.base_url, endpoint, org_id, tokens_file, args.connections, 1)
        api = infra.run_wrk(server.base_url, endpoint, org_id, tokens_file, args.connections, args.duration)
        sql = infra.run_pgbench(db, endpoint.script, args.connections, args.duration)
        runs[endpoint.name] = {
            "kind": endpoint.kind,
            "queries": len(endpoint.sql),
            "api": api,
            "sql": sql,
            "ratio": api["rps"] / sql["tps"] if sql["tps"] else None,
        }
    return runs


def analytics_latency(server, db, tenant, tokens_file, args, name):
    """One connection: the analytics answer's time against its raw SQL's time."""
    org_id = str(tenant["organization"].pk)
    out = {"tenant": name}
    for endpoint in tenant["endpoints"]:
        if endpoint.kind != "analytics":
            continue
        api = infra.run_wrk(server.base_url, endpoint, org_id, tokens_file, 1, args.duration)
        sql = infra.run_pgbench(db, endpoint.script, 1, args.duration)
        out[endpoint.name] = {
            "api_p50_ms": api["p50_ms"],
            "api_mean_ms": api["mean_ms"],
            "sql_latency_ms": sql["latency_ms"],
            "factor": api["mean_ms"] / sql["latency_ms"] if sql["latency_ms"] else None,
        }
    return out


def isolation(server, plan, tokens_file, args, small, large):
    """The small tenant's p50 alone, then with the large tenant's paced load beside it.

    Both runs probe the small tenant's deals list on one connection; the second one while the
    large tenant's deals list and analytics summary run on a connection each."""
    by_name = {e.name: e for e in plan[small]["endpoints"]}
    large_by_name = {e.name: e for e in plan[large]["endpoints"]}
    name = "deals_list" if "deals_list" in by_name else next(iter(by_name))
    endpoint = by_name[name]
    background = [large_by_name[n] for n in ("deals_list", "analytics_summary") if n in large_by_name]
    small_org = str(plan[small]["organization"].pk)
    large_org = str(plan[large]["organization"].pk)
    # A latency probe: one connection, so the machine has room for the neighbour's load.
    connections = 1
    alone = infra.run_wrk(server.base_url, endpoint, small_org, tokens_file, connections, args.duration)
    pending = [
        infra.run_wrk(
            server.base_url,
            other,
            large_org,
            tokens_file,
            1,
            args.duration + 2,
            delay_ms=BACKGROUND_DELAY_MS,
            wait=False,
        )
        for other in background
    ]
    time.sleep(1)
    beside = infra.run_wrk(server.base_url, endpoint, small_org, tokens_file, connections, args.duration)
    finished = zip(background, pending, strict=True)
    background_runs = {other.name: infra.finish_wrk(*process) for other, process in finished}
    return {
        "endpoint": name,
        "small": small,
        "large": large,
        "connections": connections,
        "background": {"delay_ms": BACKGROUND_DELAY_MS, "runs": background_runs},
        "alone": alone,
        "beside": beside,
        "factor": beside["p50_ms"] / alone["p50_ms"] if alone["p50_ms"] else None,
    }


# The large tenant's background load: one connection per endpoint (its deals list and its
# analytics summary), a pause between requests: a big tenant at work, not a flood.
BACKGROUND_DELAY_MS = 100


def compare_servers(args, plan, tokens_file, log_path):
    """A few worker setups on one tenant (the second size, else the first)."""
    names = list(plan)
    tenant = plan[names[1] if len(names) > 1 else names[0]]
    org_id = str(tenant["organization"].pk)
    picks = [e for e in tenant["endpoints"] if e.name in {"deals_list", "deal_detail", "analytics_summary", "me"}]
    out = []
    for text in [args.server, *args.compare_servers.split(",")]:
        worker_class, workers, threads = parse_server(text.strip())
        server = infra.Server(
            dict(os.environ), workers, worker_class, threads, log_path=log_path, app_dir=args.app_dir or None
        )
        with server:
            runs = {}
            for endpoint in picks:
                infra.run_wrk(server.base_url, endpoint, org_id, tokens_file, args.connections, 1)
                runs[endpoint.name] = infra.run_wrk(
                    server.base_url, endpoint, org_id, tokens_file, args.connections, args.duration
                )
            rss = sum(server.worker_rss_kib().values())
        out.append({"server": server.describe(), "spec": text.strip(), "runs": runs, "rss_kib_total": rss})
        print(report.server_line(out[-1]))
    return out


if __name__ == "__main__":
    sys.exit(main())
