# syntax=docker/dockerfile:1
# The CRM API: gunicorn serving Django, static files collected at build time and served by
# whitenoise. Configured only through the environment (see .env.example and docs/DEPLOY.md).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: a virtualenv with the pinned requirements (every one ships a wheel; a package
# that needs a compiler would add build-essential here, never to the runtime image) ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt /tmp/requirements.txt
RUN pip install --require-virtualenv -r /tmp/requirements.txt

# ---- runtime: the virtualenv and the code, run by an unprivileged user ----
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=crm_project.settings.production
RUN groupadd --system --gid 10001 crm \
    && useradd --system --uid 10001 --gid crm --home-dir /app --shell /usr/sbin/nologin crm
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root . /app

# collectstatic needs settings that import, not real secrets: the build-time values below
# live only in this RUN step and never reach the image's environment.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app

USER crm:crm
EXPOSE 8000
# The health check an orchestrator without its own probe (plain docker) uses; it asks for
# /healthcheck over plain HTTP, which production settings exempt from the HTTPS redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthcheck', timeout=4).status != 200)"]
# exec form: gunicorn is PID 1 and receives SIGTERM itself, for a graceful shutdown.
STOPSIGNAL SIGTERM
ENTRYPOINT ["gunicorn", "--config", "gunicorn.conf.py"]
