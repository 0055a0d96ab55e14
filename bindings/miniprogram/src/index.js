// banshi for WeChat mini-programs: the npm package's Engine (same methods, same errors, same
// bytes), instantiated through `WXWebAssembly.instantiate(path, imports)` from a `.wasm.br` file
// inside the code package. It never touches `WebAssembly`, `fetch`, `TextEncoder` or
// `TextDecoder`: the glue beside this file was rewritten at build time to take its text coders
// from ./text.js and to leave instantiation to this file.
//
//   const { Engine } = require('./banshi/index.js');
//   const engine = await Engine.load(require('./banshi/rules.bundle.js'));
//   engine.decide(code, facts, { on: '2026-03-02' });
//
// ES2017 script (CommonJS), like the rest of this folder.

'use strict';

var glue = require('./banshi_wasm.js');
var shared = require('./engine.js');

/**
 * Where the module is when this folder is copied to `banshi/` at the root of the code package.
 * A path inside the code package, relative to its root: WXWebAssembly takes no bytes and no URL.
 */
var DEFAULT_WASM = 'banshi/banshi_wasm_bg.wasm.br';

/** The pending or finished instantiation, shared by every engine; cleared when it fails. */
var instantiating = null;
/** The path the module was instantiated from, to instantiate it again after a trap. */
var instantiated = null;

function unavailable(message) {
  return new shared.BanshiError([{ code: 'wasm_unavailable', message: message, path: 'wasm' }]);
}

async function instantiate(path) {
  if (typeof path !== 'string' || path === '') {
    throw unavailable('in a mini-program the module is a path inside the code package (such as `' + DEFAULT_WASM + '`), not bytes, a URL or a compiled module');
  }
  if (typeof WXWebAssembly === 'undefined' || typeof WXWebAssembly.instantiate !== 'function') {
    throw unavailable('WXWebAssembly is not available here: the mini-program base library must be 2.14.0 or later (2.13.0 without `.wasm.br`)');
  }
  var result = await WXWebAssembly.instantiate(path, glue.__wbg_get_imports());
  // `{instance, module}` like WebAssembly.instantiate of bytes; some runtimes give the instance.
  var instance = result && result.instance ? result.instance : result;
  glue.__wbg_finalize_init(instance, result && result.module);
  instantiated = path;
}

/** @param {unknown} wasm the `wasm` load option: a path inside the code package, or nothing */
function initialize(wasm) {
  if (instantiating === null) {
    instantiating = instantiate(wasm === undefined || wasm === null ? DEFAULT_WASM : wasm);
    instantiating.catch(function () {
      instantiating = null;
    });
  }
  return instantiating;
}

/**
 * After a trap (see defineEngine in ./engine.js): the glue forgets the instance and the module is
 * instantiated again from the same path. Always asynchronous: WXWebAssembly has nothing but
 * `instantiate`, so calls throw `internal_error` until `Engine.ready()` resolves.
 */
function restart() {
  glue.__banshi_discard();
  instantiating = instantiate(instantiated);
  instantiating.catch(function () {
    instantiating = null;
  });
  return instantiating;
}

/** Calls a wx API of the callback style (`success`/`fail`) as a promise. */
function wxCall(api, args) {
  return new Promise(function (resolve, reject) {
    var given = {};
    Object.keys(args).forEach(function (k) { given[k] = args[k]; });
    given.success = resolve;
    given.fail = function (e) { reject(e); };
    api(given);
  });
}

function matterUnavailable(file, why) {
  return new shared.BanshiError([{ code: 'unavailable', message: 'the matter file `' + file + '` could not be fetched: ' + why, path: file }]);
}

/**
 * A `fetchMatter` for `Engine.load` (split delivery, `banshi bundle --split`): each matter file
 * is downloaded with `wx.request` from `baseUrl` + its file name (`<hash>.json`) and kept in the
 * user data folder (`wx.env.USER_DATA_PATH` + `/banshi-matters/`), so a later session reads it
 * without a download. A file's name is its hash, so a kept file never goes stale; the engine
 * checks each text against the signed index, and a text it refuses is deleted from the folder
 * (`forget`), so the next call downloads it again.
 *
 *   const engine = await Engine.load(indexText, { ..., fetchMatter: wxMatterFetcher('https://rules.example.gov.cn/matters/') });
 *   await engine.prepare(code, { on });
 *
 * `options.cache: false` downloads every time.
 */
function wxMatterFetcher(baseUrl, options) {
  if (typeof baseUrl !== 'string' || baseUrl === '') {
    throw new shared.BanshiError([{ code: 'invalid_options', message: 'wxMatterFetcher needs the URL of the folder of matter files', path: 'baseUrl' }]);
  }
  var keep = !(options && options.cache === false);
  var fs = wx.getFileSystemManager();
  var folder = wx.env.USER_DATA_PATH + '/banshi-matters';
  var made = null;
  function ready() {
    if (made === null) {
      made = wxCall(fs.mkdir.bind(fs), { dirPath: folder, recursive: true }).catch(function () {
        // It exists already (or cannot be made: then writes fail and nothing is kept).
      });
    }
    return made;
  }
  async function download(file) {
    var res;
    try {
      res = await wxCall(wx.request, { url: baseUrl + file, method: 'GET', dataType: 'text', responseType: 'text' });
    } catch (e) {
      throw matterUnavailable(file, e && e.errMsg ? e.errMsg : String(e));
    }
    if (res.statusCode !== 200 || typeof res.data !== 'string') {
      throw matterUnavailable(file, 'HTTP ' + res.statusCode);
    }
    return res.data;
  }
  async function fetchMatter(hash, file) {
    if (!keep) return download(file);
    await ready();
    var path = folder + '/' + file;
    try {
      return (await wxCall(fs.readFile.bind(fs), { filePath: path, encoding: 'utf8' })).data;
    } catch (e) {
      // Not kept yet.
    }
    var text = await download(file);
    try {
      await wxCall(fs.writeFile.bind(fs), { filePath: path, data: text, encoding: 'utf8' });
    } catch (e) {
      // Storage full or refused: decided from the download, fetched again next time.
    }
    return text;
  }
  fetchMatter.forget = function (hash, file) {
    if (!keep) return;
    fs.unlink({ filePath: folder + '/' + file, success: function () {}, fail: function () {} });
  };
  return fetchMatter;
}

exports.Engine = shared.defineEngine(initialize, restart);
exports.wxMatterFetcher = wxMatterFetcher;
exports.BanshiError = shared.BanshiError;
exports.todayInChina = shared.todayInChina;
