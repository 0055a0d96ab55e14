// A one-file catalogue's lines, as the tests read them (the layout `banshi bundle` writes,
// core/src/index.rs): the header line, the index's pages (each the JSON array of its matter
// entries), then one line per matter, in the pages' order. One reading for every test script,
// so that the layout is spelled out once on the JS side.

/**
 * @param {string} text a one-file catalogue
 * @returns {{ header: string, pageList: object[], pages: string[], entries: object[],
 *   matters: string[], files: Record<string, string> }} `pageList` the header's pages, `pages`
 *   their lines, `entries` every matter's entry, `matters` the matters' lines, and `files` every
 *   page's and matter's text under the hash the catalogue gives it (what split delivery serves).
 */
export function readCatalogue(text) {
  const [header, ...rest] = text.split('\n');
  const pageList = JSON.parse(header).index.pages;
  const pages = rest.slice(0, pageList.length);
  const entries = pages.flatMap((line) => JSON.parse(line));
  const matters = rest.slice(pageList.length, pageList.length + entries.length);
  const files = {};
  pageList.forEach((p, i) => { files[p.hash] = pages[i]; });
  entries.forEach((e, i) => { files[e.hash] = matters[i]; });
  return { header, pageList, pages, entries, matters, files };
}

/** The one-file catalogue of these lines, as `banshi bundle` writes it (a newline after each). */
export function writeCatalogue(header, pages, matters) {
  return `${[header, ...pages, ...matters].join('\n')}\n`;
}
