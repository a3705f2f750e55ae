/** The catalog's pictures: Mermaid upgrade graphs and the static HTML site. */
export { channelMermaid, packageCharts, chartsMarkdown, chartsMermaid, nodeLabel, type ChannelChart } from "./mermaid.js";
export { siteData, type SiteData, type PackagePage, type ChannelView } from "./site-data.js";
export { sitePages, indexHtml, packageHtml, packageFile, MERMAID_ASSET } from "./html.js";
export { writeSite, mermaidDistPath } from "./write-site.js";
