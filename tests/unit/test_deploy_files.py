"""The deployment files keep their promises: checked by reading them, since no docker engine runs here.

Dockerfile: slim base, unprivileged user, health check on /_stcore/health without curl, the locked runtime
packages only, hash-checked (never the dev ones, never a browser), and it copies exactly what the app needs.
Locks (requirements.lock, requirements-dev.lock): every resolved package pinned with == and hashed, generated for
Python 3.11 on Linux, covering every direct pin of requirements*.txt at its version; the set-up script installs them.
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

from tests.support import NGINX_TEMPLATE, ROOT, render_nginx

DOCKERFILE = ROOT / "Dockerfile"
# static/: the diagram's vendored plotly.js, served at /app/static/
APP_SOURCES = {"serve.py", "app.py", "app_pages", "psoas_explorer", "data", "assets", "static", ".streamlit"}
ENTRYPOINT = ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
NGINX_PLACEHOLDERS = {"LISTEN_PORT", "BACKEND_PORT_1", "BACKEND_PORT_2"}
LOCKS = {  # lock: its input
    "requirements.lock": "requirements.txt",
    "requirements-dev.lock": "requirements-dev.txt",
    "requirements-deploy.lock": "requirements-deploy.txt",  # .venv-deploy: kubernetes-validate and checkov
    "requirements-pip.lock": "requirements-pip.txt",  # the installer, upgraded first in every virtualenv
}
TEST_TOOLS = {"pytest", "hypothesis", "playwright", "ruff", "pip-audit", "pypdf", "chromium", "uv", "pip-tools"}


def norm(name: str) -> str:
    """PEP 503 name normalisation: 'PyYAML' and 'pyyaml', 'typing_extensions' and 'typing-extensions' are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins(filename: str) -> dict[str, str]:
    """{normalised name: version} of a requirements*.txt file, following its ``-r`` includes."""
    pins: dict[str, str] = {}
    for line in (ROOT / filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins.update(direct_pins(line[3:].strip()))
            continue
        name, _, version = line.partition("==")
        assert version, f"{filename}: {line} is not pinned with =="
        pins[norm(name.split("[")[0])] = version.strip()
    return pins


def lock_entries(filename: str) -> dict[str, tuple[str, frozenset[str]]]:
    """{normalised name: (version, hashes)} of a lock; any line that is not a hashed ``name==version`` fails."""
    text = (ROOT / filename).read_text(encoding="utf-8")
    entries: dict[str, tuple[str, frozenset[str]]] = {}
    for line in text.replace("\\\n", " ").splitlines():  # join continued lines
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+!-]*)", requirement)
        assert match, f"{filename}: {line.strip()[:80]} is not pinned with == (and carries no marker or option)"
        hashes = [opt.removeprefix("--hash=") for opt in options]
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{filename}: {line.strip()[:80]}"
        assert hashes, f"{filename}: {requirement} has no --hash"
        name = norm(match.group(1))
        assert name not in entries, f"{filename}: {name} twice"
        entries[name] = (match.group(2), frozenset(hashes))
    return entries


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


def test_installs_the_runtime_lock_with_hashes_only_and_no_browser():
    runs = [rest for rest in args_of("RUN") if "pip install" in rest]
    assert runs == ["pip install --no-cache-dir --require-hashes -r requirements.lock"], runs
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
    assert not names & TEST_TOOLS, names


@pytest.mark.parametrize("lock", LOCKS)
def test_lock_pins_and_hashes_every_package(lock):
    entries = lock_entries(lock)  # asserts each line is ``name==version`` with sha256 hashes
    if lock != "requirements-pip.lock":  # pip has no dependencies: its lock is its one pin
        assert len(entries) > len(direct_pins(LOCKS[lock])), "a lock lists every resolved package, not just the pins"
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "-r requirements-pip.lock" in setup, "every virtualenv gets the locked pip before its packages"


@pytest.mark.parametrize("lock", LOCKS)
def test_lock_covers_every_direct_pin_at_the_same_version(lock):
    entries = lock_entries(lock)
    for name, version in direct_pins(LOCKS[lock]).items():
        assert name in entries, f"{name} is pinned in {LOCKS[lock]} but missing from {lock}: update the lock (README)"
        assert entries[name][0] == version, f"{name}: {version} in {LOCKS[lock]}, {entries[name][0]} in {lock}"


@pytest.mark.parametrize("lock", LOCKS)
def test_lock_was_generated_for_python_311_on_linux_with_hashes(lock):
    command = (ROOT / lock).read_text(encoding="utf-8").splitlines()[1].removeprefix("#").split()
    assert command[:4] == ["uv", "pip", "compile", LOCKS[lock]], command
    for flag in ("--generate-hashes", "--python-version 3.11", "--python-platform linux", f"-o {lock}"):
        assert flag in " ".join(command), f"{lock} was not made with {flag}: see README, Updating the lock"
    if lock == "requirements-dev.lock":
        assert "-c requirements.lock" in " ".join(command), "the dev lock must be constrained by the runtime lock"


def test_tests_run_on_the_versions_the_image_ships():
    """The dev lock holds the runtime lock unchanged, and the packages installed here are the locked ones."""
    runtime, dev = lock_entries("requirements.lock"), lock_entries("requirements-dev.lock")
    assert not set(runtime) & TEST_TOOLS, "test tools in the runtime lock"
    changed = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert not changed, f"the dev lock differs from the runtime lock: {changed}"
    stale = {}
    for name, (version, _) in runtime.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            stale[name] = (version, installed)
    assert not stale, f"locked vs installed: {stale}; run bash scripts/setup.sh --dev"


def test_setup_installs_the_locks_with_hashes_and_reinstalls_when_they_change():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert '/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"' in setup
    assert "lock=requirements.lock" in setup and "lock=requirements-dev.lock" in setup
    assert "install_lock .venv-deploy requirements-deploy.lock" in setup
    stamp = re.search(r"^want=\$\(cat (.*?) \|", setup, re.M)
    assert stamp and "requirements*.lock" in stamp.group(1).split(), "the set-up stamp must cover the locks"
    assert "pip-compile" not in setup and "uv " not in setup, "a normal set-up needs no locking tool"


def test_every_copy_source_exists_and_only_the_app_is_copied():
    sources: set[str] = set()
    for rest in args_of("COPY"):
        parts = [p for p in rest.split() if not p.startswith("--")]
        assert len(parts) >= 2, rest
        for src in parts[:-1]:
            assert (ROOT / src).exists(), f"COPY source {src} does not exist"
            sources.add(src.rstrip("/").removeprefix("./"))
    assert sources == APP_SOURCES | {"requirements.lock"}


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
    for src in APP_SOURCES | {"requirements.lock"}:
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


def test_app_imports_only_what_the_image_installs():
    """A runtime import of a dev-only package would pass the tests here and crash in the container."""
    installed = set(lock_entries("requirements.lock"))  # exactly what the image installs
    providers = metadata.packages_distributions()
    files = [
        ROOT / "serve.py",
        ROOT / "app.py",
        *(ROOT / "app_pages").glob("*.py"),
        *(ROOT / "psoas_explorer").rglob("*.py"),
    ]
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
                dists = {norm(d) for d in providers.get(top, [])}
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
