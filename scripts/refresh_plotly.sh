#!/usr/bin/env bash
# Refresh the vendored partial Plotly bundles in static/plotly/ from the npm registry, at a pinned version.
# The version must match the plotly.js that the installed plotly.py was built against (its figure schema):
#   .venv/bin/python -c "import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent.joinpath('package_data/plotly.min.js').read_text()[:40])"
# After a change, update PLOTLY_JS in psoas_explorer/web/diagram.py to the same version.
# Usage: scripts/refresh_plotly.sh [version]     (needs npm; no other tool touches these files)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-4.1.1}"
OUT=static/plotly
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for bundle in basic gl3d; do
    (cd "$TMP" && npm pack --silent "plotly.js-${bundle}-dist-min@${VERSION}" >/dev/null)
    mkdir -p "$TMP/$bundle"
    tar xzf "$TMP/plotly.js-${bundle}-dist-min-${VERSION}.tgz" -C "$TMP/$bundle"
done
mkdir -p "$OUT"
rm -f "$OUT"/plotly-*.min.js
cp "$TMP/basic/package/plotly-basic.min.js" "$OUT/plotly-basic-${VERSION}.min.js"
cp "$TMP/gl3d/package/plotly-gl3d.min.js" "$OUT/plotly-gl3d-${VERSION}.min.js"
cp "$TMP/basic/package/LICENSE" "$OUT/LICENSE"
{
    echo "plotly.js partial bundles ${VERSION}, from the npm packages plotly.js-basic-dist-min and"
    echo "plotly.js-gl3d-dist-min (MIT licence, see LICENSE), vendored by scripts/refresh_plotly.sh."
    echo "basic (scatter, bar, pie) draws the 2D diagram and the length chart; gl3d is loaded only for the 3D view."
    (cd "$OUT" && sha256sum plotly-*.min.js)
} > "$OUT/README"
echo "static/plotly now holds plotly.js ${VERSION}"
