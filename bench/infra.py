"""The processes the benchmark drives: PostgreSQL, gunicorn, wrk and pgbench.

Everything listens on and talks to loopback only.
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Database:
    user: str
    password: str
    host: str
    port: int
    name: str

    @classmethod
    def from_url(cls, url, name=None):
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise SystemExit(f"bench: {url!r} is not a PostgreSQL URL.")
        host = parts.hostname or "127.0.0.1"
        if host not in LOOPBACK:
            raise SystemExit(f"bench: the database must be on loopback, not {host}.")
        return cls(
            user=parts.username or "postgres",
            password=parts.password or "",
            host=host,
            port=parts.port or 5432,
            name=name or parts.path.lstrip("/") or "crm_bench",
        )

    def url(self, name=None):
        return (
            f"postgres://{quote(self.user, safe='')}:{quote(self.password, safe='')}"
            f"@{self.host}:{self.port}/{name or self.name}"
        )

    def connect(self, name=None, **kwargs):
        return psycopg.connect(self.url(name), autocommit=True, **kwargs)

    def env(self):
        return {"PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user, "PGPASSWORD": self.password}


def ensure_cluster(db):
    """Starts the local cluster and creates the role when they are not there yet."""
    try:
        with db.connect("postgres", connect_timeout=3):
            pass
    except psycopg.OperationalError:
        subprocess.run(
            ["bash", str(BENCH_DIR / "ensure_postgres.sh"), db.user, db.password, str(db.port)],
            check=True,
        )
    for tool in ("wrk", "pgbench"):
        if subprocess.run(["bash", "-c", f"command -v {tool}"], capture_output=True).returncode:
            subprocess.run(
                ["bash", str(BENCH_DIR / "ensure_postgres.sh"), db.user, db.password, str(db.port)],
                check=True,
            )


def database_fingerprint(db):
    """The JSON kept as the bench database's comment: what data it holds."""
    with db.connect("postgres") as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [db.name]
        ).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0] or "null") or {}
    except ValueError:
        return {}


def recreate_database(db):
    with db.connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db.name}"')


def set_fingerprint(db, fingerprint):
    with db.connect("postgres") as conn:
        text = json.dumps(fingerprint, sort_keys=True).replace("'", "''")
        conn.execute(f"COMMENT ON DATABASE \"{db.name}\" IS '{text}'")


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the project with production settings on a loopback port."""

    def __init__(self, env, workers, worker_class, threads, port=None, log_path=None, app_dir=None):
        self.app_dir = Path(app_dir or ROOT)
        self.env = dict(env, PYTHONPATH=str(self.app_dir))
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.port = port or free_port()
        self.log_path = log_path
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def describe(self):
        if self.worker_class == "gthread":
            return f"gunicorn {self.workers} gthread workers x {self.threads} threads"
        return f"gunicorn {self.workers} {self.worker_class} workers"

    def start(self):
        gunicorn = Path(os.environ.get("BENCH_PYTHON", "python")).with_name("gunicorn")
        command = [
            str(gunicorn) if gunicorn.exists() else "gunicorn",
            "crm_project.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 (lives with the server)
        self.process = subprocess.Popen(command, cwd=self.app_dir, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthcheck", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise SystemExit("bench: gunicorn did not answer /healthcheck within 60 s.")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self):
        if not self.process:
            return []
        result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in result.stdout.split()]

    def worker_rss_kib(self):
        """Resident memory of each worker, in KiB."""
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes[pid] = int(match.group(1))
        return sizes

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def request(base_url, endpoint, token, org_id):
    """One request with urllib: the status code, for the pre-flight check."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if org_id:
        headers["X-Organization-Id"] = org_id
    data = None
    if endpoint.body is not None:
        data = json.dumps(endpoint.body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base_url + endpoint.path, data=data, headers=headers, method=endpoint.method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_wrk(base_url, endpoint, org_id, tokens_file, connections, duration, delay_ms=0, wait=True):
    """Runs wrk against one endpoint; returns its summary (or the process when not waiting)."""
    with tempfile.NamedTemporaryFile(prefix="wrk-", suffix=".json", delete=False) as out:
        pass
    env = dict(os.environ)
    env.update(
        BENCH_TOKENS_FILE=str(tokens_file),
        BENCH_ORG=org_id or "",
        BENCH_PATH=endpoint.path,
        BENCH_METHOD=endpoint.method,
        BENCH_BODY=json.dumps(endpoint.body) if endpoint.body is not None else "",
        BENCH_DELAY_MS=str(delay_ms),
        BENCH_WRK_OUT=out.name,
    )
    command = [
        "wrk",
        "--threads",
        str(max(1, min(2, connections))),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "30s",
        "--script",
        str(BENCH_DIR / "wrk.lua"),
        base_url + endpoint.path,
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return process, out.name
    return finish_wrk(process, out.name)


def finish_wrk(process, out_path):
    stdout, stderr = process.communicate()
    if process.returncode:
        raise SystemExit(f"bench: wrk failed ({process.returncode}): {stderr.strip() or stdout.strip()}")
    try:
        summary = json.loads(Path(out_path).read_text())
    finally:
        Path(out_path).unlink(missing_ok=True)
    seconds = summary["duration_us"] / 1e6
    latency = summary["latency_us"]
    errors = sum(summary[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / seconds if seconds else 0.0,
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "mean_ms": latency["mean"] / 1000,
        "non_2xx": summary["non_2xx_3xx"],
        "socket_errors": errors,
    }


def run_pgbench(db, script, connections, duration):
    """The captured SQL of one request as one pgbench transaction, on the same data."""
    command = [
        "pgbench",
        "--no-vacuum",
        "--protocol=simple",
        f"--client={connections}",
        f"--jobs={max(1, min(2, connections))}",
        f"--time={duration}",
        f"--file={script}",
        db.name,
    ]
    env = dict(os.environ, **db.env())
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"bench: pgbench failed on {script}:\n{result.stderr.strip()}")
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", result.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    return {
        "tps": float(tps.group(1)) if tps else 0.0,
        "latency_ms": float(latency.group(1)) if latency else None,
        "failed": int(failed.group(1)) if failed else 0,
    }
