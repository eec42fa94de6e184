# Plein in a container: `docker compose up -d` (see compose.yaml and "Operating Plein" in README.md).
# The config file is mounted read-only at /config/plein.toml; secrets come from the environment
# (PLEIN_DISCORD__TOKEN, PLEIN_SLACK__BOT_TOKEN, ...); the database and backups live in /data.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin plein \
    && mkdir -p /data /config \
    && chown plein:plein /data

WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md config.example.toml ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
COPY scheduler ./scheduler
COPY ops ./ops
RUN pip install ".[postgres]" && rm -rf /src

ENV PLEIN_STORAGE__URL=sqlite:////data/plein.db \
    PLEIN_STORAGE__BACKUP_DIR=/data/backups \
    PLEIN_WEB__ENABLED=true \
    PLEIN_WEB__BIND=0.0.0.0 \
    PLEIN_WEB__PORT=8080

WORKDIR /data
VOLUME ["/data"]
USER plein
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4).status != 200)"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["plein"]
CMD ["run", "--config", "/config/plein.toml", "--log-format", "json", "--log-level", "INFO"]
