#!/usr/bin/env bash
# Renders an html report in headless Chromium and saves a PNG, to check that the charts show.
#   bash docs/render-report.sh [RUN.json] [OUT.png] [path-to-sysbench]
# Defaults: the synthetic run tests/data/report_sample.json, docs/report-sample.png,
# build/release/sysbench. Needs Debian's `chromium` package.
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-tests/data/report_sample.json}
png=${2:-docs/report-sample.png}
sysbench=${3:-build/release/sysbench}
command -v chromium >/dev/null || { echo "render-report: chromium is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sysbench" report "$run" -o "$tmp/report.html"
# A throw-away profile; no network is needed (the page fetches nothing).
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1000,4600 \
  --screenshot="$tmp/shot.png" "file://$tmp/report.html" >/dev/null 2>&1
test -s "$tmp/shot.png" || { echo "render-report: chromium wrote no PNG" >&2; exit 1; }
cp "$tmp/shot.png" "$png"
echo "render-report: $png"
