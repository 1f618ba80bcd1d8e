#!/bin/sh
# Vendor the back office's browser libraries from the npm registry, so pages load
# nothing from a CDN. Chart.js (dashboard charts): its UMD build and LICENSE.md, pinned in
# CHARTJS_VERSION here; pass another version to upgrade:  ./vendor.sh 4.x.y
# (socket.io.min.js and qrcode.js were vendored by hand the same way: see README.md.)
set -eu

DEST="$(cd "$(dirname "$0")" && pwd)"
VERSION="${1:-$(cat "$DEST/CHARTJS_VERSION")}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# `npm pack` fetches the tarball and checks the registry's integrity hash; it runs no
# install scripts.
(cd "$WORK" && npm pack --silent "chart.js@$VERSION" >/dev/null)
tar -xzf "$WORK"/chart.js-*.tgz -C "$WORK"
test "$(node -p "require('$WORK/package/package.json').version")" = "$VERSION"

cp "$WORK/package/dist/chart.umd.min.js" "$DEST/chart.umd.min.js"
cp "$WORK/package/LICENSE.md" "$DEST/chart.js.LICENSE.md"
echo "$VERSION" > "$DEST/CHARTJS_VERSION"
echo "chart.js $VERSION vendored into $DEST"
