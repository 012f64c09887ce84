#!/usr/bin/env bash
# Idempotent set-up, sourced by run.sh and test.sh: a virtualenv with the locked packages (every one pinned
# and hash-checked), reinstalled only when a requirements or lock file changes. No locking tool is needed here.
#   setup.sh          runtime packages (requirements.lock)
#   setup.sh --dev    plus test tools (requirements-dev.lock), Debian's chromium and nginx for the browser tests
#                     and poppler-utils (pdftoppm) for the handout tests; and the deploy checks (kubernetes-validate,
#                     checkov: requirements-deploy.lock) in a virtualenv of their own, .venv-deploy, because their
#                     dependencies conflict with the dev lock's
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python_bin=$(command -v python3.11 || command -v python3)
want=$(cat requirements*.txt requirements*.lock | sha256sum | cut -c1-16)

# install_lock VENV LOCK: the lock's packages into the virtualenv, again only when a requirements or lock file changed.
install_lock() {
  local venv=$1 lock=$2
  local stamp="$venv/.stamp-$(basename "$lock" .lock)"
  [ -x "$venv/bin/python" ] || "$python_bin" -m venv "$venv"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # pip first, at its locked version: the one venv brings (23.2) refuses a hash-checked install in which a
    # package asks for another with an extra (pip-audit's CacheControl[filecache]) once a newer release exists.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$want" > "$stamp"
  fi
}

lock=requirements.lock
[ "${1:-}" = "--dev" ] && lock=requirements-dev.lock
install_lock .venv "$lock"
[ "${1:-}" = "--dev" ] && install_lock .venv-deploy requirements-deploy.lock
# The interface catalogs, .po to .mo (docs/translation.md; i18n reads a stale or missing .mo from its .po instead).
.venv/bin/pybabel compile -d psoas_explorer/i18n/locale -D messages >/dev/null

if [ "${1:-}" = "--dev" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # renders handout pages for the QR-code tests
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
