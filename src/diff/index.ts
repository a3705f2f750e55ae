/** Catalog diffs: load two states (directories or git refs), compare, render. */
export { diffCatalogs, type CatalogDiff, type ChannelDiff, type PackageDiff, type Edge, type BundleMove } from "./catalog-diff.js";
export { loadCatalogAtRef, loadCatalogState, type CatalogState } from "./load-state.js";
export { diffJson, diffMarkdown, diffText, renderDiff } from "./render.js";
