#!/usr/bin/env bash
# Rebuilds src/GoNetTools.Cmdlets/Report/Assets/plot.min.js, the one JavaScript library the HTML report inlines:
# Observable Plot (ISC) and the parts of d3 (ISC) it uses, tree-shaken to the marks the report draws, as one IIFE
# that defines the global GoNetPlot. Not part of the build: the output is committed, so building and testing need
# no npm. Run it to move to another Plot version, then commit the asset and the notices it writes beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
plot_version=0.6.17
d3_version=7.9.0
esbuild_version=0.28.2
assets=src/GoNetTools.Cmdlets/Report/Assets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts "@observablehq/plot@$plot_version" "d3@$d3_version" "esbuild@$esbuild_version" >/dev/null
  # The marks and transforms report.js uses, nothing else.
  echo 'export {plot, rect, ruleX, ruleY, lineY, dot, rectY, text} from "@observablehq/plot";' > entry.js
  node node_modules/esbuild/bin/esbuild entry.js --bundle --minify --format=iife --global-name=GoNetPlot \
    --legal-comments=none --metafile=meta.json --outfile=plot.min.js >/dev/null
  # One notice per bundled package, with its license text, in the order esbuild read them.
  node -e '
    const fs = require("fs"), m = require("./meta.json"), seen = new Set();
    let out = "Third-party software inlined into GoNetTools HTML reports (Report/Assets/plot.min.js).\n";
    for (const k of Object.keys(m.inputs)) {
      const x = k.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
      if (!x || seen.has(x[1])) continue;
      seen.add(x[1]);
      const dir = "node_modules/" + x[1], pkg = require("./" + dir + "/package.json");
      const lic = fs.readdirSync(dir).find(f => /^licen[cs]e/i.test(f));
      out += "\n==== " + pkg.name + " " + pkg.version + " (" + pkg.license + ")\n";
      out += lic ? fs.readFileSync(dir + "/" + lic, "utf8").trim() + "\n" : "(no license file in the package)\n";
    }
    fs.writeFileSync("NOTICES.txt", out);'
)
cp "$work/plot.min.js" "$assets/plot.min.js"
cp "$work/NOTICES.txt" "$assets/THIRD-PARTY-NOTICES.txt"
echo "vendor-plot: $(wc -c < "$assets/plot.min.js") bytes, $(grep -c '^==== ' "$assets/THIRD-PARTY-NOTICES.txt") packages"
