# The one image for web (gunicorn), Celery worker and Celery beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Production packages only: tests, lint and the benchmark are in requirements-dev.txt.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings but no real database or secret.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 canvass
USER canvass

EXPOSE 8000
CMD ["gunicorn", "-c", "python:canvass.config.gunicorn", "canvass.config.wsgi:application"]
