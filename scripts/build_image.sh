#!/usr/bin/env bash
# Build the shipped Dockerfile for real, unchanged, without a Docker engine or a registry, then serve from the
# built image and check it in a browser. Opt-in (not in scripts/test.sh): it needs root, buildah and debootstrap
# (Debian packages, installed here if missing), a Debian mirror, PyPI, and several minutes.
#
#   sudo bash scripts/build_image.sh            # work files in /var/tmp/psoas-image (PSOAS_IMAGE_WORK to move)
#
# 1. A stand-in for the Dockerfile's FROM (python:3.11-slim): Debian bookworm by debootstrap with Python 3.11
#    from Debian's packages, given what the official image has and Debian does not (`python` and `pip` on PATH,
#    no EXTERNALLY-MANAGED marker, LANG=C.UTF-8), committed with buildah and tagged docker.io/library/python:3.11-slim.
# 2. `buildah bud --isolation chroot` on vfs storage builds the Dockerfile as it is (--pull=never: the stand-in).
# 3. `podman run` fails here (setrlimit), so the image's ENTRYPOINT runs from a container of it with
#    `buildah run --isolation chroot` as its USER, on the host's loopback network.
# 4. /_stcore/health must answer ok and the home page must load in chromium (Playwright from .venv).
# Prints the image's size and the build's time. The storage stays in the work folder (rm -rf it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${PSOAS_IMAGE_WORK:-/var/tmp/psoas-image}
MIRROR=${PSOAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PORT=${PSOAS_IMAGE_PORT:-8501}
BASE=docker.io/library/python:3.11-slim
IMAGE=localhost/psoas-explorer:built
STORE=(--storage-driver vfs --root "$WORK/storage" --runroot "$WORK/run")

[ "$(id -u)" -eq 0 ] || { echo "build_image.sh needs root (debootstrap, buildah mount, chroot)" >&2; exit 2; }
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$WORK"
bah() { buildah "${STORE[@]}" "$@"; }
seconds() { date +%s; }

# 1. The stand-in base (made once; delete $WORK to make it again).
if ! bah inspect --type image "$BASE" >/dev/null 2>&1; then
  t0=$(seconds)
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
    bookworm "$rootfs" "$MIRROR"
  ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
  ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/pip"
  rm -f "$rootfs"/usr/lib/python3.*/EXTERNALLY-MANAGED  # the official image has none: its pip installs system-wide
  # The build host's own certificate authorities (here a TLS-intercepting proxy in front of PyPI), trusted by the
  # base as a build host's configuration would make any base trust them; pip reads the system bundle.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/etc/pip.conf"
    echo "stand-in base trusts the host's extra CAs: $(ls /usr/local/share/ca-certificates/)"
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  c=$(bah from scratch)
  mnt=$(bah mount "$c")
  tar -C "$rootfs" -cf - . | tar -C "$mnt" -xf -
  bah umount "$c" >/dev/null
  bah config --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
    --cmd python3 "$c"
  bah commit --quiet "$c" "$BASE" >/dev/null
  bah rm "$c" >/dev/null
  rm -rf "$rootfs"
  echo "stand-in base $BASE (Debian bookworm, Python 3.11 from Debian) made in $(($(seconds) - t0)) s"
fi

# 2. The Dockerfile, unchanged (skipped with --serve-only, which serves the image built last time).
if [ "${1:-}" != "--serve-only" ]; then
  t0=$(seconds)
  bah bud --isolation chroot --pull=never --layers=false -f Dockerfile -t "$IMAGE" .
  echo "built in $(($(seconds) - t0)) s" >"$WORK/build-time"
fi
size=$(bah images --format '{{.Size}}' "$IMAGE" | head -n 1)

# 3. Serve from the built image: its ENTRYPOINT, as its USER, from its WORKDIR, with its ENV.
c=$(bah from --pull=never "$IMAGE")
config=$(bah inspect --type image "$IMAGE")
mapfile -t argv < <(python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin)["OCIv1"]["config"]["Entrypoint"]))' <<<"$config")
user=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["OCIv1"]["config"]["User"])' <<<"$config")
log="$WORK/server.log"
setsid buildah "${STORE[@]}" run --isolation chroot --user "$user" "$c" -- "${argv[@]}" --server.port="$PORT" \
  >"$log" 2>&1 &
server=$!  # its own process group: stopped with everything it started
cleanup() {
  kill -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  bah rm "$c" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# 4. Health, then a page in a real browser.
for _ in $(seq 1 600); do
  [ "$(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$PORT/_stcore/health', timeout=1).read().decode())" 2>/dev/null)" = ok ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server in the image stopped" >&2; exit 1; }
  sleep 0.2
done
echo "health: $(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$PORT/_stcore/health', timeout=5).read().decode())")"
PYTHONPATH=. .venv/bin/python scripts/check_served.py "http://127.0.0.1:$PORT" "$WORK/home.png"

echo "image $IMAGE: $size, $(cat "$WORK/build-time") (Dockerfile unchanged, base: a debootstrap stand-in for $BASE)"
