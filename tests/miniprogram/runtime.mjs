// A Node stand-in for WeChat's mini-program runtime, strict where the real one is:
// - no `WebAssembly`, `TextEncoder`, `TextDecoder` or `fetch` (removed from Node's globals too,
//   with a private reference to the real WebAssembly kept to implement the fake);
// - `WXWebAssembly.instantiate(path, imports)` takes only a path relative to the code package's
//   root (no bytes, URL, absolute path or `..`), reads `.wasm` or `.wasm.br` (decompressed, as
//   WeChat does) and instantiates it;
// - `wx.getFileSystemManager().readFileSync(path, encoding)` reads files of the code package only;
//   `readFile`, `writeFile`, `mkdir` and `unlink` (callback style) work on the user data folder
//   (`wx.env.USER_DATA_PATH`, kept in memory) only;
// - `wx.request` answers from the `served` map (URL → text) given to `createRuntime`, 404
//   otherwise, asynchronously, and counts its calls;
// - code runs in its own V8 context (no `process`, `Buffer`, `require` of Node, `URL`), loaded
//   by a CommonJS `require` that resolves paths inside the package, as WeChat's does.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';

/** The globals a mini-program does not have. */
export const MISSING = ['WebAssembly', 'TextEncoder', 'TextDecoder', 'fetch'];

const RealWebAssembly = globalThis.WebAssembly;
for (const name of MISSING) delete globalThis[name];
for (const name of MISSING) {
  if (typeof globalThis[name] !== 'undefined') throw new Error(`could not remove the global \`${name}\``);
}

/**
 * The file a package path names, or an Error saying why the runtime refuses it. Paths are
 * relative to the package root, `/`-separated, with no `.` or `..` segment, scheme or leading `/`.
 */
function resolveInPackage(root, path, what) {
  if (typeof path !== 'string') {
    return new TypeError(`${what}: the path must be a string inside the code package, not ${path === null ? 'null' : typeof path === 'object' ? Object.prototype.toString.call(path) : typeof path}`);
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return new Error(`${what}: \`${path}\` is a URL, not a path inside the code package`);
  if (path.startsWith('/') || path.startsWith('\\')) return new Error(`${what}: \`${path}\` is absolute; paths are relative to the code package's root`);
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '' || s.includes('\\'))) {
    return new Error(`${what}: \`${path}\` is not a plain path inside the code package (no \`..\`, \`.\`, empty segment or backslash)`);
  }
  const file = join(root, ...segments);
  if (!existsSync(file) || !statSync(file).isFile()) return new Error(`${what}: no file \`${path}\` in the code package`);
  const real = realpathSync(file);
  if (!real.startsWith(realpathSync(root) + sep)) return new Error(`${what}: \`${path}\` leads outside the code package`);
  return real;
}

/**
 * A runtime over the code package at `root`. `calls` records every instantiation (path and how
 * many bytes were compiled), so a test can tell which file was used and that it was decompressed.
 */
export function createRuntime(root, served = new Map()) {
  const calls = [];
  const requests = [];
  const USER_DATA_PATH = 'wxfile://usr';
  /** The user data folder: path → text. */
  const userData = new Map();
  const later = (f) => setTimeout(f, 0);
  const inUserData = (path, api) => {
    if (typeof path === 'string' && path.startsWith(`${USER_DATA_PATH}/`) && !path.includes('/../')) return null;
    return { errMsg: `${api}:fail permission denied, the path is outside the user data folder: ${path}` };
  };
  const consoleMessages = [];

  const WXWebAssembly = Object.freeze({
    /** Like WebAssembly.instantiate, but the first argument is a path in the code package. */
    instantiate(path, imports) {
      const file = resolveInPackage(root, path, 'WXWebAssembly.instantiate');
      if (file instanceof Error) return Promise.reject(file);
      let bytes = readFileSync(file);
      if (path.endsWith('.wasm.br')) bytes = brotliDecompressSync(bytes);
      else if (!path.endsWith('.wasm')) return Promise.reject(new Error(`WXWebAssembly.instantiate: \`${path}\` is neither .wasm nor .wasm.br`));
      calls.push({ path, compiled: bytes.length, read: statSync(file).size });
      return RealWebAssembly.instantiate(bytes, imports);
    },
    Memory: RealWebAssembly.Memory,
    Table: RealWebAssembly.Table,
    Global: RealWebAssembly.Global,
  });

  const fileSystemManager = Object.freeze({
    /** The package file's text (encoding `utf8`/`utf-8`) or bytes (an ArrayBuffer). */
    readFileSync(path, encoding) {
      const file = resolveInPackage(root, path, 'readFileSync:fail');
      if (file instanceof Error) throw file;
      const bytes = readFileSync(file);
      if (encoding === 'utf8' || encoding === 'utf-8') return bytes.toString('utf8');
      if (encoding !== undefined) throw new Error(`readFileSync:fail unsupported encoding \`${encoding}\` here`);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    },
    readFile({ filePath, encoding, success, fail }) {
      const denied = inUserData(filePath, 'readFile');
      later(() => {
        if (denied) return fail(denied);
        if (encoding !== 'utf8' && encoding !== 'utf-8') return fail({ errMsg: 'readFile:fail only utf8 here' });
        if (!userData.has(filePath)) return fail({ errMsg: `readFile:fail no such file or directory ${filePath}` });
        success({ data: userData.get(filePath) });
      });
    },
    writeFile({ filePath, data, encoding, success, fail }) {
      const denied = inUserData(filePath, 'writeFile');
      later(() => {
        if (denied) return fail(denied);
        if (typeof data !== 'string' || (encoding !== 'utf8' && encoding !== 'utf-8')) return fail({ errMsg: 'writeFile:fail only utf8 text here' });
        userData.set(filePath, data);
        success({});
      });
    },
    mkdir({ dirPath, success, fail }) {
      const denied = inUserData(`${dirPath}/`, 'mkdir');
      later(() => (denied ? fail(denied) : success({})));
    },
    unlink({ filePath, success, fail }) {
      const denied = inUserData(filePath, 'unlink');
      later(() => {
        if (denied || !userData.delete(filePath)) return fail(denied || { errMsg: `unlink:fail no such file ${filePath}` });
        success({});
      });
    },
  });
  const request = ({ url, success, fail }) => {
    requests.push(url);
    later(() => {
      if (typeof url !== 'string' || !url.startsWith('https://')) return fail({ errMsg: 'request:fail invalid url' });
      const data = served.get(url);
      success(data === undefined ? { statusCode: 404, data: 'not found' } : { statusCode: 200, data });
    });
  };
  const wx = Object.freeze({ getFileSystemManager: () => fileSystemManager, request, env: Object.freeze({ USER_DATA_PATH }) });

  const record = (level) => (...args) => {
    consoleMessages.push({ level, text: args.map(String).join(' ') });
    if (level === 'error' || level === 'warn') console.error(`miniprogram console.${level}:`, ...args);
  };
  const miniConsole = { log: record('log'), info: record('info'), warn: record('warn'), error: record('error'), debug: record('debug') };

  const context = vm.createContext({ console: miniConsole, setTimeout, clearTimeout, setInterval, clearInterval, WXWebAssembly, wx }, { name: 'miniprogram' });
  // V8 gives every context its own WebAssembly; the mini-program has none.
  vm.runInContext('delete globalThis.WebAssembly;', context);
  const absent = vm.runInContext(`[${[...MISSING, 'process', 'Buffer', 'require', 'URL'].map((n) => `typeof ${n} === 'undefined' ? '' : '${n}'`).join(', ')}].filter(Boolean)`, context);
  if (absent.length > 0) throw new Error(`the mini-program context still has ${absent.join(', ')}`);

  const modules = new Map();
  /** WeChat's `require`: a path relative to the requiring file (or `/`-rooted in the package), `.js` optional. */
  function requireFrom(dir) {
    return (specifier) => {
      if (typeof specifier !== 'string' || !/^(\.{1,2}\/|\/)/.test(specifier)) {
        throw new Error(`require: \`${specifier}\` is not a relative path (mini-programs have no node_modules here)`);
      }
      let path = specifier.startsWith('/') ? posix.normalize(specifier.slice(1)) : posix.normalize(posix.join(dir, specifier));
      if (!path.endsWith('.js')) path += '.js';
      return load(path);
    };
  }
  function load(path) {
    const cached = modules.get(path);
    if (cached !== undefined) return cached.exports;
    const file = resolveInPackage(root, path, 'require');
    if (file instanceof Error) throw file;
    const wrapper = vm.runInContext(`(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`, context, { filename: file });
    const module = vm.runInContext('({ exports: {} })', context);
    modules.set(path, module);
    wrapper(requireFrom(posix.dirname(path)), module, module.exports);
    return module.exports;
  }

  return { require: (path) => load(path), global: (name) => vm.runInContext(name, context), WXWebAssembly, wx, calls, requests, userData, served, consoleMessages, context };
}
