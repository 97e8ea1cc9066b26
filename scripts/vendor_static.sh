#!/usr/bin/env bash
# Copy the front-end packages pinned in package-lock.json into static/vendor/<pkg>/ so that the
# product serves every CSS, font and script itself (no CDN at run time). Reproducible: `npm ci`
# installs exactly the locked versions; re-running this script gives the same files.
# Run it after changing package.json (then commit package-lock.json and static/vendor/).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --ignore-scripts

NM=node_modules
OUT=static/vendor
rm -rf "$OUT"
mkdir -p "$OUT"

# KERN (EUPL-1.2): the compiled stylesheet (icons are inline SVG masks inside it), the utility
# classes, and the Fira Sans fonts with only the font files its @font-face rules reference.
kern_src="$NM/@kern-ux/native/dist"
kern="$OUT/kern"
mkdir -p "$kern/fonts/fira-sans"
cp "$kern_src/kern.min.css" "$kern_src/kern-utilities.min.css" "$kern/"
cp "$kern_src/fonts/fira-sans.css" "$kern/fonts/"
grep -o 'fira-sans/[A-Za-z-]*\.woff2' "$kern_src/fonts/fira-sans.css" | sort -u | while read -r font; do
  cp "$kern_src/fonts/$font" "$kern/fonts/$font"
done
cp "$NM/@kern-ux/native/LICENSE.md" "$kern/LICENSE.md"

# htmx (0BSD): one script, loaded by the base layout.
mkdir -p "$OUT/htmx"
cp "$NM/htmx.org/dist/htmx.min.js" "$NM/htmx.org/LICENSE" "$OUT/htmx/"

# Chart.js (MIT): the UMD build, so a plain <script> tag defines window.Chart.
mkdir -p "$OUT/chartjs"
cp "$NM/chart.js/dist/chart.umd.min.js" "$NM/chart.js/LICENSE.md" "$OUT/chartjs/"

# axe-core (MPL-2.0): only the browser tests inject it; kept here so tests need no node_modules.
mkdir -p "$OUT/axe-core"
cp "$NM/axe-core/axe.min.js" "$NM/axe-core/LICENSE" "$OUT/axe-core/"

# Record the exact versions next to the files, so a reviewer sees what is vendored.
node -e '
const lock = require("./package-lock.json").packages;
for (const name of ["@kern-ux/native", "htmx.org", "chart.js", "axe-core"]) {
  const p = lock["node_modules/" + name];
  console.log(`${name} ${p.version} ${p.integrity}`);
}' > "$OUT/VERSIONS.txt"
cat "$OUT/VERSIONS.txt"
