/**
 * The static site's pages as HTML strings: an index of packages by category and a page per package with
 * its channels, upgrade graphs (Mermaid, rendered in the browser by the bundled mermaid.min.js), CRDs and
 * install modes. Pure; no network is needed to view them.
 */
import type { BundleFacts } from "../plan/bundle-facts.js";
import type { ChannelView, PackagePage, SiteData } from "./site-data.js";

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The file name of a package's page (package names are DNS labels, so safe as file names). */
export function packageFile(name: string): string {
  return `packages/${name}.html`;
}

export const MERMAID_ASSET = "assets/mermaid.min.js";

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;margin:0;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:14px 28px}header a{color:#fff;text-decoration:none}
main{padding:8px 28px 40px;max-width:1200px}
h1{font-size:1.6em;margin:.4em 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:1.6em}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #d0d7de;padding:5px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-family:ui-monospace,"Liberation Mono",monospace;font-size:.9em}
.icon{width:32px;height:32px;object-fit:contain;vertical-align:middle}.big-icon{width:64px;height:64px;object-fit:contain;float:right}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:.8em;background:#ddf4ff;color:#0969da;margin-left:6px}
.muted{color:#656d76}.desc{white-space:pre-wrap;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:12px;max-height:22em;overflow:auto}
pre.mermaid{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px;overflow-x:auto}
.legend span{margin-right:18px}.deprecated{color:#9a6700}
`;

function page(title: string, root: string, body: string, scripts = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="${root}index.html"><strong>DBaaS operator catalog</strong></a></header>
<main>
${body}
</main>
${scripts}</body>
</html>
`;
}

const code = (s: string): string => `<code>${esc(s)}</code>`;

/** The index page: packages grouped by OperatorHub category. */
export function indexHtml(site: SiteData): string {
  const byName = new Map(site.packages.map((p) => [p.name, p]));
  const sections = [...site.categories.entries()].map(([cat, names]) => {
    const rows = names.map((n) => {
      const p = byName.get(n)!;
      const icon = p.icon ? `<img class="icon" alt="" src="${esc(p.icon)}">` : "";
      return `<tr><td>${icon}</td><td><a href="${esc(packageFile(p.name))}">${esc(p.displayName)}</a><br><span class="muted">${code(p.name)}</span></td><td>${code(p.defaultChannel)}</td><td>${esc(p.headVersion)}</td><td>${p.channels.map(code).join(" ")}</td></tr>`;
    });
    return `<h2>${esc(cat)}</h2>
<table><thead><tr><th></th><th>operator</th><th>default channel</th><th>head</th><th>channels</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
  });
  const count = site.packages.length;
  return page("DBaaS operator catalog", "", `<h1>Operators</h1>\n<p class="muted">${count} package${count === 1 ? "" : "s"} in ${site.categories.size} categor${site.categories.size === 1 ? "y" : "ies"}.</p>\n${sections.join("\n")}`);
}

const LEGEND = `<p class="legend muted"><span>━━▶ replaces</span><span>┈┈▶ skips</span><span>▬▶ skipRange (thick)</span><span>pink: channel head</span><span>grey: entry OLM v0 never upgrades to (skipped or off the replaces chain)</span></p>`;

function channelSection(c: ChannelView): string {
  const rows = c.entries.map(
    (e) =>
      `<tr><td>${esc(e.version)}</td><td>${code(e.csv)}${e.csv === c.head ? '<span class="badge">head</span>' : ""}${e.deprecation !== undefined ? ` <span class="deprecated">deprecated: ${esc(e.deprecation)}</span>` : ""}</td><td>${e.replaces ? code(e.replaces) : ""}</td><td>${e.skips.map(code).join("<br>")}</td><td>${e.skipRange ? code(e.skipRange) : ""}</td><td>${e.upgradeTarget ? "yes" : '<span class="muted">no</span>'}</td></tr>`,
  );
  return `<h3 id="channel-${esc(c.channel)}">${code(c.channel)}${c.isDefault ? '<span class="badge">default</span>' : ""}</h3>
${c.deprecation !== undefined ? `<p class="deprecated">Deprecated: ${esc(c.deprecation)}</p>` : ""}<p>Head: ${code(c.head)} (${esc(c.headVersion)})</p>
<pre class="mermaid">
${esc(c.mermaid)}</pre>
<table><thead><tr><th>version</th><th>CSV</th><th>replaces</th><th>skips</th><th>skipRange</th><th>upgrade target</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}

function headSection(h: BundleFacts): string {
  const crds = h.crds.map((c) => {
    const versions = c.versions.map((v) => `${code(v.name)}${v.storage ? " <strong>(storage)</strong>" : ""}${v.served ? "" : ' <span class="muted">(not served)</span>'}`);
    return `<tr><td>${esc(c.kind)}</td><td>${code(c.name)}</td><td>${versions.join(", ")}</td></tr>`;
  });
  const ownedOnly = h.ownedCrds.filter((o) => !h.crds.some((c) => c.name === o.name));
  const owned = ownedOnly.map((o) => `<tr><td>${esc(o.kind)}</td><td>${code(o.name)}</td><td>${code(o.version)} <span class="muted">(listed by the CSV, no manifest in the bundle)</span></td></tr>`);
  return `<h2>What the head installs</h2>
<p>Head of the default channel: ${code(h.csv)} (${esc(h.version)})</p>
<h3>CRDs owned</h3>
<table><thead><tr><th>kind</th><th>CRD</th><th>versions</th></tr></thead>
<tbody>
${[...crds, ...owned].join("\n")}
</tbody></table>
<h3>Install modes</h3>
<p>${h.installModes.length ? h.installModes.map(code).join(" ") : '<span class="muted">none supported</span>'}</p>
${h.requiredGvks.length || h.requiredPackages.length ? `<h3>Requires</h3><p>${[...h.requiredGvks, ...h.requiredPackages].map(code).join("<br>")}</p>` : ""}`;
}

/** Starts Mermaid on the page's graphs and records the outcome on `<body data-mermaid>` (done or error). */
const MERMAID_BOOT = `<script>
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
mermaid.run({ querySelector: "pre.mermaid" })
  .then(function () { document.body.dataset.mermaid = "done"; })
  .catch(function (e) { document.body.dataset.mermaid = "error"; console.error(e); });
</script>
`;

/** A package's page. */
export function packageHtml(p: PackagePage): string {
  const icon = p.icon ? `<img class="big-icon" alt="" src="${esc(p.icon)}">` : "";
  const body = `${icon}<h1>${esc(p.displayName)}</h1>
<p>${code(p.name)} · ${p.categories.length ? p.categories.map(esc).join(", ") : "Uncategorized"} · default channel ${code(p.defaultChannel)} · head ${esc(p.headVersion)}</p>
${p.deprecation !== undefined ? `<p class="deprecated">Deprecated: ${esc(p.deprecation)}</p>` : ""}${p.description ? `<div class="desc">${esc(p.description)}</div>` : ""}
<h2>Channels</h2>
${LEGEND}
${p.channelViews.map(channelSection).join("\n")}
${p.head ? headSection(p.head) : ""}`;
  return page(`${p.displayName} (${p.name})`, "../", body, `<script src="../${MERMAID_ASSET}"></script>\n${MERMAID_BOOT}`);
}

/** Every page of the site, by path relative to the site root. */
export function sitePages(site: SiteData): Map<string, string> {
  const pages = new Map<string, string>([["index.html", indexHtml(site)]]);
  for (const p of site.packages) pages.set(packageFile(p.name), packageHtml(p));
  return pages;
}
