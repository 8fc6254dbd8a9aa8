"""gunicorn settings for the production image, read from the environment (see `.env.example`).

Run as `gunicorn -c gunicorn.conf.py`. Every variable is optional.
"""

import multiprocessing
import os

from crm_project.logging import gunicorn_logging_config


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "crm_project.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# One process per core, with threads to overlap the waits on PostgreSQL: measured best on two
# cores (the README's Performance section: 2 workers x 4 threads served deal detail at 186 req/s against 67
# with 4 sync workers, in half the memory). A container limited to fewer CPUs than the host
# should set GUNICORN_WORKERS.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"

# A request taking longer than `timeout` seconds gets its worker restarted; on SIGTERM workers
# finish the requests in flight for up to `graceful_timeout` seconds before they are killed.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps
# them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Load Django once in the master: workers fork with the code, settings and the static file
# index already in memory (less memory, faster restarts). Database connections are opened
# lazily per worker, so nothing is shared across the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes", "on")

# The heartbeat files live in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Trust X-Forwarded-* only from the proxy in front (a comma-separated list of addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No control socket: nothing in the image uses it, and the home directory is read-only.
control_socket_disable = True

# Access log and errors on stdout, in the same format as the application's logs (JSON
# unless DJANGO_LOG_FORMAT=text); each access line carries the response's request id.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "INFO").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = gunicorn_logging_config(
    level=os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper(),
    fmt=os.environ.get("DJANGO_LOG_FORMAT", "json"),
)
