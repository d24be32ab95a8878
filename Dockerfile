# The web app as production runs it: gunicorn on the container's port 8000, static files
# served by whitenoise. Not built in CI (no Docker engine there).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# pg_dump/pg_restore for manage.py backup/restore: Debian bookworm's client 15 matches the compose file's
# PostgreSQL 15 (docker/postgres/Dockerfile; pg_dump refuses a newer server).
# Pango (with HarfBuzz) for WeasyPrint's PDF downloads (exports/pdf.py).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip install --no-cache-dir -c requirements/constraints.txt -e . \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "allmep.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
