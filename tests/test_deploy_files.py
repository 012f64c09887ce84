"""The deployment files keep their promises: checked by reading them, since no docker engine runs here.

Dockerfile: slim base, unprivileged user, health check on /_stcore/health without curl, the pinned runtime
requirements only (never the dev ones, never a browser), and it copies exactly what the app needs.
deploy/nginx.conf: a template with three placeholders, websocket upgrade and cookie stickiness (nginx -t when
nginx is installed; tests/browser/test_deploy.py runs it for real).
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
APP_SOURCES = {"app.py", "app_pages", "psoas_explorer", "data", "assets", ".streamlit"}
ENTRYPOINT = ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
NGINX_PLACEHOLDERS = {"LISTEN_PORT", "BACKEND_PORT_1", "BACKEND_PORT_2"}


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        word, _, rest = pending.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        pending = ""
    assert not pending, "Dockerfile ends inside a continued line"
    return out


def args_of(name: str) -> list[str]:
    return [rest for word, rest in dockerfile() if word == name]


def exec_form(rest: str) -> list[str]:
    value = json.loads(rest)
    assert isinstance(value, list), rest
    assert all(isinstance(v, str) for v in value), rest
    return value


def test_base_image_is_python_311_slim_single_stage():
    (base,) = args_of("FROM")
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-bookworm|-trixie)?(@sha256:[0-9a-f]{64})?", base), base


def test_runs_as_an_unprivileged_user_before_the_server_starts():
    users = args_of("USER")
    assert users, "no USER: the server would run as root"
    user = users[-1].split(":")[0]  # the last USER is the one the server runs as
    assert user not in {"root", "0"}, user


def test_healthcheck_hits_stcore_health_with_python_not_curl():
    (check,) = args_of("HEALTHCHECK")
    assert "_stcore/health" in check
    assert "8501" in check
    assert not re.search(r"\b(curl|wget)\b", check), "slim images have neither curl nor wget"
    command = exec_form(check[check.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"]
    assert "urllib.request" in command[2]
    ast.parse(command[2])  # the one-liner is valid Python
    assert "STREAMLIT_SERVER_BASE_URL_PATH" in command[2], "the check must follow the base path"


def test_installs_pinned_runtime_requirements_only_and_no_browser():
    runs = " ".join(args_of("RUN"))
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    text = DOCKERFILE.read_text(encoding="utf-8").lower()
    for banned in ("requirements-dev", "chromium", "playwright"):
        assert banned not in text, banned


def test_requirements_are_all_pinned_and_runtime_only():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    reqs = [ln for ln in lines if ln]
    assert reqs
    for ln in reqs:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[\w,-]+\])?==[0-9][0-9A-Za-z.+!-]*", ln), ln
    names = {re.split(r"[\[=]", ln)[0].lower() for ln in reqs}
    assert not names & {"pytest", "hypothesis", "playwright", "ruff", "pip-audit", "chromium"}, names


def test_every_copy_source_exists_and_only_the_app_is_copied():
    sources: set[str] = set()
    for rest in args_of("COPY"):
        parts = [p for p in rest.split() if not p.startswith("--")]
        assert len(parts) >= 2, rest
        for src in parts[:-1]:
            assert (ROOT / src).exists(), f"COPY source {src} does not exist"
            sources.add(src.rstrip("/").removeprefix("./"))
    assert sources == APP_SOURCES | {"requirements.txt"}


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, enough for our file: the last matching pattern wins; '!' re-includes; a dir covers its files."""
    verdict = False
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pat in patterns:
        negate = pat.startswith("!")
        pat = pat.lstrip("!").rstrip("/")
        if pat.startswith("**/"):
            hit = any(fnmatch.fnmatchcase(p, pat[3:]) for p in parts)
        else:
            hit = any(fnmatch.fnmatchcase(p, pat) for p in prefixes)
        if hit:
            verdict = not negate
    return verdict


def test_dockerignore_sends_the_app_and_keeps_the_rest_out():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    for src in APP_SOURCES | {"requirements.txt"}:
        files = [ROOT / src] if (ROOT / src).is_file() else [f for f in (ROOT / src).rglob("*") if f.is_file()]
        for f in files:
            rel = f.relative_to(ROOT).as_posix()
            if "__pycache__" in rel or rel.endswith("secrets.toml"):
                continue
            assert not _ignored(rel, patterns), f"{rel} is copied by the Dockerfile but excluded by .dockerignore"
    for private in (".venv/bin/python", ".git/HEAD", "tests/conftest.py", ".streamlit/secrets.toml", "README.md"):
        assert _ignored(private, patterns), private


def test_entrypoint_runs_the_app_on_8501_on_all_interfaces():
    (entry,) = args_of("ENTRYPOINT")
    command = exec_form(entry) + [a for cmd in args_of("CMD") for a in exec_form(cmd)]
    assert command == ENTRYPOINT
    assert args_of("EXPOSE") == ["8501"]
    assert not any("baseUrlPath" in a for a in command), "a CLI flag would override STREAMLIT_SERVER_BASE_URL_PATH"


def test_base_path_env_var_reaches_streamlit_cli():
    """The image documents STREAMLIT_SERVER_BASE_URL_PATH; the streamlit CLI (its entrypoint) reads it."""
    env = {**os.environ, "STREAMLIT_SERVER_BASE_URL_PATH": "psoas"}
    out = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert re.search(r'^baseUrlPath = "psoas"$', out.stdout, re.M), out.stdout[-2000:]
    assert re.search(r"\bSTREAMLIT_SERVER_BASE_URL_PATH=", " ".join(args_of("ENV"))), "declare the variable in ENV"


def _closure(requirements: list[str]) -> set[str]:
    """Distribution names (normalised) installed by ``requirements`` and everything they depend on."""
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    todo, seen = [norm(r) for r in requirements], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for r in reqs:
            if "extra ==" in r:
                continue
            todo.append(norm(re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0]))
    return seen


def test_app_imports_only_what_the_image_installs():
    """A runtime import of a dev-only package would pass the tests here and crash in the container."""
    reqs = [ln.split("==")[0] for ln in (ROOT / "requirements.txt").read_text().split() if "==" in ln]
    installed = _closure(reqs)
    providers = metadata.packages_distributions()
    files = [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "psoas_explorer").glob("*.py")]
    problems = []
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top in sys.stdlib_module_names or top in APP_SOURCES or top == "psoas_explorer":
                    continue
                dists = {re.sub(r"[-_.]+", "-", d).lower() for d in providers.get(top, [])}
                if not dists & installed:
                    problems.append(f"{f.relative_to(ROOT)} imports {mod} (from {dists or 'nowhere'})")
    assert not problems, problems


def test_nginx_template_has_placeholders_upgrade_and_cookie_stickiness():
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", text)) == NGINX_PLACEHOLDERS
    conf = "\n".join(ln.split("#")[0] for ln in text.splitlines())  # directives only, comments dropped
    assert not re.search(r"^\s*sticky\b", conf, re.M), "'sticky' is nginx Plus only"
    stream = re.search(r"location ~ /_stcore/stream\$ \{(.*?)\}", conf, re.S)
    assert stream, "no websocket location for /_stcore/stream"
    for directive in ("proxy_http_version 1.1", "proxy_set_header Upgrade $http_upgrade", "Connection"):
        assert directive in conf, directive
    timeout = re.search(r"proxy_read_timeout (\d+)s", stream.group(1))
    assert timeout, "no proxy_read_timeout for the websocket"
    assert int(timeout.group(1)) >= 600, "idle websockets need a long read timeout"
    assert "$cookie_psoas_route" in conf
    assert "Set-Cookie" in conf
    assert "/_stcore/health" in conf
    assert "WHY STICKINESS IS REQUIRED" in text, "explain why stickiness is needed"
    assert "one process" in text


def render_nginx(listen: int, backend_1: int, backend_2: int) -> str:
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"LISTEN_PORT": listen, "BACKEND_PORT_1": backend_1, "BACKEND_PORT_2": backend_2}.items():
        text = text.replace("${" + key + "}", str(value))
    return text


def test_nginx_template_renders_to_a_valid_config(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (scripts/setup.sh --dev installs it)")
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(render_nginx(18080, 18501, 18502))
    cmd = [nginx, "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    cmd += ["-c", str(tmp_path / "nginx.conf"), "-g", f"pid {tmp_path}/nginx.pid;"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
