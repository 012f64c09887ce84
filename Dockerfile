# Psoas Explorer as a container: the locked runtime packages only, run as an unprivileged user.
#   docker build -t psoas-explorer .
#   docker run --rm -p 8501:8501 psoas-explorer                                  # http://localhost:8501/
#   docker run --rm -p 8501:8501 -e STREAMLIT_SERVER_BASE_URL_PATH=psoas psoas-explorer   # .../psoas/
# tests/unit/test_deploy_files.py checks the promises made here (no docker engine is needed to run it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_BASE_URL_PATH=""

# The app reads its code and content but never writes them: files stay owned by root, the server runs as "app".
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

# The runtime lock: every package pinned and hash-checked, so the image gets exactly the tested versions.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY serve.py app.py ./
COPY app_pages/ ./app_pages/
COPY psoas_explorer/ ./psoas_explorer/
COPY data/ ./data/
COPY assets/ ./assets/
COPY static/ ./static/
COPY .streamlit/ ./.streamlit/

USER 10001:10001
EXPOSE 8501

# Slim images have no curl. Honours STREAMLIT_SERVER_BASE_URL_PATH, so the check follows the prefix.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; p = os.environ.get('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); urllib.request.urlopen('http://127.0.0.1:8501/' + (p + '/' if p else '') + '_stcore/health', timeout=4)"]

# serve.py: app.py behind the security headers (docs/security.md). Config comes from .streamlit/config.toml plus
# STREAMLIT_* variables (STREAMLIT_SERVER_BASE_URL_PATH and so on).
ENTRYPOINT ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
