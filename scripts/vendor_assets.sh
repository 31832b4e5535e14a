#!/usr/bin/env bash
# Install the pinned front-end libraries (package-lock.json) and copy their dist files into
# src/zhifa/web/static/vendor/ (git-ignored). The app serves them itself: nothing from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--no-install" ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
NM=node_modules
OUT=src/zhifa/web/static/vendor
rm -rf "$OUT"
mkdir -p "$OUT/htmx" "$OUT/leaflet" "$OUT/echarts" "$OUT/swagger-ui"
cp "$NM/htmx.org/dist/htmx.min.js" "$OUT/htmx/"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT/leaflet/"
cp -r "$NM/leaflet/dist/images" "$OUT/leaflet/"
cp "$NM/echarts/dist/echarts.min.js" "$OUT/echarts/"
cp "$NM/swagger-ui-dist/swagger-ui-bundle.js" "$NM/swagger-ui-dist/swagger-ui.css" "$OUT/swagger-ui/"
for pkg in htmx.org leaflet echarts swagger-ui-dist; do
  node -e "const p=require('./$NM/$pkg/package.json');console.log(p.name+' '+p.version+' ('+p.license+')')"
done > "$OUT/VERSIONS.txt"
echo "vendored into $OUT:"; cat "$OUT/VERSIONS.txt"
