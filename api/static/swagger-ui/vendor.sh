#!/bin/sh
# Vendor Swagger UI (npm package swagger-ui-dist) into api/static/swagger-ui/, so the
# docs page loads nothing from outside at run time. Only the files the page loads are
# kept, with the licences. The pinned version is the VERSION file there; pass another
# version to upgrade:  make vendor-docs SWAGGER_UI_VERSION=5.x.y
set -eu

DEST="$(cd "$(dirname "$0")" && pwd)"
VERSION="${1:-$(cat "$DEST/VERSION")}"
FILES="swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css
LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js.LICENSE.txt"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# `npm pack` fetches the tarball and checks the registry's integrity hash; it runs no
# install scripts (so none of the package's install-time analytics either).
(cd "$WORK" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null)
tar -xzf "$WORK"/swagger-ui-dist-*.tgz -C "$WORK"
test "$(node -p "require('$WORK/package/package.json').version")" = "$VERSION"

for f in $FILES; do cp "$WORK/package/$f" "$DEST/$f"; done
echo "$VERSION" > "$DEST/VERSION"
echo "swagger-ui-dist $VERSION vendored into $DEST"
