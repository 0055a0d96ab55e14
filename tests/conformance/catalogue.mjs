// A one-file catalogue's lines, as the tests read them (the layout `banshi bundle` writes,
// core/src/index.rs): the header line, the index's pages (each the JSON array of its matter
// entries, in code order), then one line per matter, in the order the rules were read (each
// entry gives its line among them and the byte offset where it starts). One reading for every
// test script, so that the layout is spelled out once on the JS side.

/**
 * @param {string} text a one-file catalogue
 * @returns {{ header: string, pageList: object[], pages: string[], entries: object[],
 *   matters: string[], lines: string[], files: Record<string, string> }} `pageList` the header's
 *   pages, `pages` their lines, `entries` every matter's entry (in code order), `matters` each
 *   entry's matter text (in the same order), `lines` the matters' lines as the file has them,
 *   and `files` every page's and matter's text under the hash the catalogue gives it (what split
 *   delivery serves).
 */
export function readCatalogue(text) {
  const [header, ...rest] = text.split('\n');
  const pageList = JSON.parse(header).index.pages;
  const pages = rest.slice(0, pageList.length);
  const entries = pages.flatMap((line) => JSON.parse(line));
  const lines = rest.slice(pageList.length, pageList.length + entries.length);
  const matters = entries.map((e) => lines[e.line]);
  const files = {};
  pageList.forEach((p, i) => { files[p.hash] = pages[i]; });
  entries.forEach((e, i) => { files[e.hash] = matters[i]; });
  return { header, pageList, pages, entries, matters, lines, files };
}

/**
 * The one-file catalogue of these lines, as `banshi bundle` writes it (a newline after each):
 * `matters` in the pages' entry order, each written on the line its entry names.
 */
export function writeCatalogue(header, pages, matters) {
  const lines = [];
  pages.flatMap((line) => JSON.parse(line)).forEach((e, i) => { lines[e.line] = matters[i]; });
  return `${[header, ...pages, ...lines].join('\n')}\n`;
}
