# One image for every Idea Lab Python process: the shared library and every service, installed (not editable).
# docker-compose.yml gives each container its command (a service's API under gunicorn, or its worker).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Sources are only needed to build the packages; they do not stay in the image.
WORKDIR /src
COPY libs/idealab ./libs/idealab
COPY services ./services
# The glob installs every service package, so a new service needs no change here.
RUN pip install ./libs/idealab ./services/*/ && rm -rf /src

WORKDIR /app
COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin idealab
USER idealab

EXPOSE 8000
