#!/usr/bin/env bash
# Refresh the vendored Plotly bundles in static/plotly/ from the npm registry, at a pinned version.
#   plotly-scatter-<v>.min.js  plotly.js core (scatter traces only), built here with esbuild from the npm package
#                              plotly.js: the 2D diagram and the length chart need nothing else, and it is 81 kB
#                              smaller than the official basic bundle (no bar, pie, calendars, map CSS).
#   plotly-gl3d-<v>.min.js     the official plotly.js-gl3d-dist-min bundle, loaded only for the 3D view.
# The version must match the plotly.js that the installed plotly.py was built against (its figure schema):
#   head -c 40 .venv/lib/python3.11/site-packages/plotly/package_data/plotly.min.js
# After a change, update PLOTLY_JS in psoas_explorer/web/diagram.py to the same version.
# Usage: scripts/refresh_plotly.sh [version]     (needs node and npm; nothing else writes these files)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-4.1.1}"
ESBUILD=0.25.0
OUT="$PWD/static/plotly"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm install --silent --no-audit --no-fund --ignore-scripts "plotly.js@${VERSION}" "esbuild@${ESBUILD}" >/dev/null
echo "window.Plotly = require('plotly.js/lib/core');" > entry.js
BANNER="/*! plotly.js v${VERSION} core (scatter only), built by scripts/refresh_plotly.sh with esbuild ${ESBUILD}; MIT, see LICENSE */"
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2018 --legal-comments=eof \
    --loader:.css=empty --define:global=window --define:process.env.NODE_ENV='"production"' --banner:js="$BANNER" \
    --log-level=error --outfile="plotly-scatter-${VERSION}.min.js"
npm pack --silent "plotly.js-gl3d-dist-min@${VERSION}" >/dev/null
mkdir gl3d && tar xzf "plotly.js-gl3d-dist-min-${VERSION}.tgz" -C gl3d
mkdir -p "$OUT"
rm -f "$OUT"/plotly-*.min.js
cp "plotly-scatter-${VERSION}.min.js" "$OUT/"
cp gl3d/package/plotly-gl3d.min.js "$OUT/plotly-gl3d-${VERSION}.min.js"
cp node_modules/plotly.js/LICENSE "$OUT/LICENSE"
{
    echo "plotly.js ${VERSION} (MIT licence, see LICENSE; bundled dependencies' notices are at the end of each file),"
    echo "vendored by scripts/refresh_plotly.sh: plotly-scatter is plotly.js/lib/core built with esbuild ${ESBUILD}"
    echo "(the 2D diagram and the length chart); plotly-gl3d is the npm package plotly.js-gl3d-dist-min (3D view only)."
    (cd "$OUT" && sha256sum plotly-*.min.js)
} > "$OUT/README"
echo "static/plotly now holds plotly.js ${VERSION}"
