# Production image: the app under gunicorn, static files served by WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango and HarfBuzz's subsetter (without it font subsetting is ~3x
# slower); the forms print in IPAex Mincho with Noto CJK and DejaVu as fallbacks; the
# data-flow diagrams are drawn by Graphviz in IPAex Gothic.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-noto-cjk fonts-dejavu-core \
        graphviz gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .

RUN useradd --system --home /app app \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0 \
    && SECRET_KEY=build-only python manage.py compilemessages -v0 \
    && mkdir -p /app/media \
    && chown -R app /app
USER app

EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
