#!/usr/bin/env bash
# Writes the app's software bill of materials (CycloneDX 1.6 JSON) from its locked package graph
# (src/Madoguchi.Web/packages.lock.json): every NuGet package the app ships, with version, hash and dependencies.
#   deploy/sbom.sh [output file]        default: madoguchi.cdx.json
# The generator (OWASP cdxgen) is pinned with its whole graph in deploy/sbom/package-lock.json. `npm install --no-save`
# installs that graph as locked; `npm ci` would refuse it where the registry lacks other platforms' optional packages.
set -euo pipefail
out=$(realpath -m "${1:-madoguchi.cdx.json}")
cd "$(dirname "$0")/.."
# cdxgen reads the restored graph (obj/project.assets.json) beside the lock file; restore exactly the locked graph.
dotnet restore src/Madoguchi.Web --locked-mode >/dev/null
(cd deploy/sbom && npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
log=$(mktemp)
if ! deploy/sbom/node_modules/.bin/cdxgen -t dotnet --no-install-deps --spec-version 1.6 --json-pretty \
    -o "$out" src/Madoguchi.Web >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
node -e '
  const bom = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const parts = bom.components ?? [];
  if (parts.length === 0) { console.error("sbom: no components found"); process.exit(1); }
  console.log(`sbom: ${process.argv[1]}: CycloneDX ${bom.specVersion}, ${parts.length} components, ${parts.filter(c => c.hashes?.length).length} with hashes`);
' "$out"
