// The self-service kiosk: choose a matter (or a theme, 一件事一次办: several matters with one
// interview, one combined checklist and one 一次性告知单), answer the engine's next question one screen at a
// time, see the result (eligibility with reasons, the materials checklist, due dates, fees) and
// print the one-time notice (一次性告知单). Every decision is the engine's: this file only asks
// `engine.questions()` what to ask next, answers the questions the citizen is never asked from
// config.js (card reader, data sharing, agency), and shows `engine.decide()`.
//
// Runs from a local folder with nothing from the network: the npm package's browser entry is in
// ./vendor/banshi/, the rules in ./rules.bundle.json. ES2017 and the DOM of 2018 (no `?.`, `??`,
// object spread, Promise.finally, flex gap or import maps), for older kiosk browsers.

import { Engine, BanshiError, todayInChina } from './vendor/banshi/src/browser.js';
import { ACCEPTANCE_LABELS, ROUTE_LABELS, STATUS_LABELS } from './vendor/banshi/src/labels.js';
import config from './config.js';

/** The fact through which the applicant says which materials they lack today. */
var MISSING_FACT = '缺少材料';

var app = document.getElementById('app');
var engine = null;
var session = null;
var idleTimer = 0;

// ------------------------------------------------------------------------------- DOM helpers

/**
 * An element: `h('button', {class: 'big', onclick: f}, ['是'])`. Text is always set as text
 * (never as HTML), so rule text cannot inject markup.
 */
function h(tag, props, children) {
  var el = document.createElement(tag);
  var attrs = props || {};
  Object.keys(attrs).forEach(function (key) {
    var value = attrs[key];
    if (value === undefined || value === null || value === false) return;
    if (key === 'class') el.className = value;
    else if (key.indexOf('on') === 0) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  });
  append(el, children);
  return el;
}

function append(el, children) {
  if (children === undefined || children === null || children === false) return;
  if (Array.isArray(children)) {
    children.forEach(function (child) {
      append(el, child);
    });
  } else if (typeof children === 'string' || typeof children === 'number') {
    el.appendChild(document.createTextNode(String(children)));
  } else {
    el.appendChild(children);
  }
}

function button(label, onClick, className, extra) {
  return h('button', Object.assign({ type: 'button', class: 'btn ' + (className || ''), onclick: onClick }, extra || {}), label);
}

/** Replaces the screen. `options`: title (the matter), back, restart, step. */
function show(body, options) {
  var opts = options || {};
  app.textContent = '';
  var bar = h('header', { class: 'bar no-print' }, [
    opts.back ? button('‹ 上一步', opts.back, 'bar-btn', { 'data-action': 'back' }) : h('span', { class: 'bar-spacer' }),
    h('div', { class: 'bar-title' }, opts.title || '政务服务自助办事指引'),
    opts.restart ? button('重新开始', restart, 'bar-btn', { 'data-action': 'restart' }) : h('span', { class: 'bar-spacer' }),
  ]);
  append(app, [
    bar,
    config.demo ? h('div', { class: 'demo no-print', role: 'note' }, '演示数据：数据共享结果来自虚构的示例申请人，仅供演示，不能用于实际办理') : null,
    h('main', { class: 'screen', 'data-screen': opts.screen || '' }, body),
  ]);
  window.scrollTo(0, 0);
}

// ------------------------------------------------------------------------------- formatting

/** `2026-03-30` → `2026年3月30日`. */
function chineseDate(iso) {
  var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return parts ? Number(parts[1]) + '年' + Number(parts[2]) + '月' + Number(parts[3]) + '日' : String(iso);
}

function limitText(limit) {
  if (!limit) return '';
  if (limit.working_days !== undefined) return limit.working_days === 0 ? '即办' : limit.working_days + '个工作日';
  return limit.days + '个自然日';
}

/** A citation; one never checked against a reachable text says so. */
function citation(c) {
  return '《' + c.document.replace(/^《|》$/g, '') + '》' + c.article + (c.unverified ? '（未核实）' : '');
}

function basisList(basis) {
  if (!basis || basis.length === 0) return null;
  return h('div', { class: 'basis' }, '依据：' + basis.map(citation).join('；'));
}

function shortAgency(agency) {
  var cut = agency.indexOf('（');
  return cut > 0 ? agency.slice(0, cut) : agency;
}

function yuan(amount) {
  return '¥' + amount;
}

/** A citizen-facing message for an input the engine refused. */
function inputProblem(error, question) {
  var e = error.errors.filter(function (x) {
    return x.path.split('[')[0] === question.fact;
  })[0] || error;
  var range = question.min !== undefined || question.max !== undefined ? '（可填 ' + (question.min !== undefined ? question.min : '') + '–' + (question.max !== undefined ? question.max : '') + '）' : '';
  switch (e.code) {
    case 'out_of_range': return '超出允许的范围' + range + '，请重新输入';
    case 'not_integer': return '请输入整数';
    case 'invalid_number': return '请输入有效的数字';
    case 'invalid_date': return '日期无效，请重新选择';
    case 'invalid_format': return '格式不正确，请核对后重新输入';
    default: return '输入有误，请重新输入';
  }
}

// ------------------------------------------------------------------------------- start

function resetIdle() {
  clearTimeout(idleTimer);
  if (session !== null && config.idleSeconds > 0) idleTimer = setTimeout(restart, config.idleSeconds * 1000);
}

function restart() {
  session = null;
  clearTimeout(idleTimer);
  showHome();
}

function showFatal(message, error) {
  show([
    h('h1', { class: 'question' }, '系统暂时无法使用'),
    h('p', { class: 'lead' }, '请到人工窗口办理，给您带来不便，敬请谅解。'),
    h('p', { class: 'detail' }, message + (error ? '：' + (error && error.message ? error.message : String(error)) : '')),
    button('返回首页', restart, 'primary'),
  ], { screen: 'error' });
  console.error('kiosk:', message, error);
}

/** Why a configured matter may be left off the home page without stopping the terminal. */
var OFFERABLE = ['not_in_force', 'ended', 'unknown_matter'];

/** The matters offered today: config.matters in its order, or every matter in force. */
function offeredMatters(on) {
  var codes = [];
  engine.matters(config.region ? { region: config.region } : undefined).forEach(function (m) {
    if (codes.indexOf(m.code) < 0) codes.push(m.code);
  });
  if (Array.isArray(config.matters)) codes = config.matters.slice();
  var offered = [];
  codes.forEach(function (code) {
    try {
      offered.push(engine.matter(code, { on: on }));
    } catch (e) {
      // Not in force today, ended, or not in this bundle: not offered. Rules that fail their
      // check (a matter's text that is not the catalogue's) stop the terminal.
      if (!(e instanceof BanshiError) || OFFERABLE.indexOf(e.code) < 0) throw e;
    }
  });
  return offered;
}

/** The themes offered: config.themes in its order, or every theme in the bundle. */
function offeredThemes() {
  var all = engine.themes(themeOptions());
  if (!Array.isArray(config.themes)) return all;
  return config.themes.map(function (code) {
    return all.filter(function (t) { return t.code === code; })[0];
  }).filter(Boolean);
}

function showHome() {
  var on = todayInChina();
  var matters;
  var themes;
  try {
    // A catalogue's matters are checked against its signed index as they are first read: here.
    matters = offeredMatters(on);
    themes = offeredThemes();
  } catch (e) {
    return showFatal('办事规则未通过校验', e);
  }
  show([
    h('h1', { class: 'question' }, '请选择您要办理的事项'),
    h('p', { class: 'lead' }, '回答几个问题，即可知道能否办理、需要带哪些材料、多久办结、是否收费。'),
    h('div', { class: 'matters' }, matters.map(function (view) {
      return h('button', { type: 'button', class: 'btn matter', 'data-code': view.info.code, onclick: function () { begin(view.info.code); } }, [
        h('span', { class: 'matter-name' }, view.info.name),
        h('span', { class: 'matter-meta' }, view.info.type + ' · ' + shortAgency(view.info.agency)),
      ]);
    })),
    matters.length === 0 ? h('p', { class: 'lead' }, '今日暂无可办理的事项，请到人工窗口咨询。') : null,
    themes.length > 0 ? h('h2', { class: 'group' }, '一件事一次办：几个事项一次问、一套材料、一次受理') : null,
    themes.length > 0 ? h('div', { class: 'matters' }, themes.map(function (t) {
      return h('button', { type: 'button', class: 'btn matter theme', 'data-theme': t.code, onclick: function () { beginTheme(t); } }, [
        h('span', { class: 'matter-name' }, t.name),
        h('span', { class: 'matter-meta' }, '一件事一次办 · ' + t.matters.length + '个事项'),
      ]);
    })) : null,
    h('p', { class: 'footnote' }, '本终端只做办事指引，不保存您的回答；办理结果以窗口受理审核为准。'),
  ], { screen: 'home' });
}

function begin(code) {
  var on = todayInChina();
  var view;
  try {
    view = engine.matter(code, { on: on });
  } catch (e) {
    return showFatal('无法读取事项', e);
  }
  session = { code: code, on: on, view: view, theme: false, facts: {}, supplied: {}, unknown: [], history: [] };
  resetIdle();
  advance();
}

/** A theme call's options: the terminal's region, and `on` when given. */
function themeOptions(on) {
  var options = on === undefined ? {} : { on: on };
  if (typeof config.region === 'string') options.region = config.region;
  return options;
}

/** A theme: the same interview, asked of `themeQuestions`; its facts are the questions' own. */
function beginTheme(t) {
  session = { code: t.code, on: todayInChina(), view: { info: { code: t.code, name: t.name }, facts: [] }, theme: true, facts: {}, supplied: {}, unknown: [], history: [] };
  resetIdle();
  advance();
}

/** What to ask next, of the matter or the theme. */
function nextQuestions(facts) {
  return session.theme ? engine.themeQuestions(session.code, facts, themeOptions(session.on)) : engine.questions(session.code, facts, { on: session.on });
}

/** The decision, of the matter or the theme. */
function decideNow() {
  return session.theme ? engine.decideTheme(session.code, session.facts, themeOptions(session.on)) : engine.decide(session.code, session.facts, { on: session.on });
}

// ------------------------------------------------------------------------------- interview

/** A fact the citizen is never asked, from config.js; `undefined` when it is not known here. */
function supply(question) {
  var hook = question.source === 'e_licence' ? config.eLicences : question.source === 'data_sharing' ? config.dataSharing : config.agency;
  if (typeof hook !== 'function') return Promise.resolve(question.source === 'e_licence' ? [] : undefined);
  return Promise.resolve(hook.call(config, session.code, question));
}

function factDef(name) {
  return session.view.facts.filter(function (f) {
    return f.name === name;
  })[0];
}

/**
 * Asks the engine what to ask next. Questions for the card reader, data sharing or the agency
 * are answered from config.js and the engine asked again; the first question for the citizen is
 * shown; with none left, the result (after the missing-materials screen, for an eligible case).
 */
async function advance() {
  var s = session;
  for (var guard = 0; guard < 1000; guard++) {
    var next;
    try {
      next = nextQuestions(s.facts);
    } catch (e) {
      if (!(e instanceof BanshiError)) throw e;
      // A supplied value the engine refused (a gateway's bad answer): treat the fact as unknown.
      var refused = e.errors.map(function (x) { return x.path.split('[')[0]; });
      var bad = refused.filter(function (name) { return s.supplied[name] !== undefined; });
      if (bad.length === 0) return showFatal('无法判断', e);
      bad.forEach(function (name) {
        delete s.facts[name];
        delete s.supplied[name];
        if (s.unknown.indexOf(name) < 0) s.unknown.push(name);
      });
      continue;
    }
    var suppliedOne = false;
    for (var i = 0; i < next.questions.length; i++) {
      var q = next.questions[i];
      if (s.unknown.indexOf(q.fact) >= 0) continue;
      if (q.source === 'applicant') return q.fact === MISSING_FACT ? showMissing() : showQuestion(q);
      var value = await supply(q);
      if (session !== s) return; // restarted meanwhile
      if (value === undefined || value === null) {
        s.unknown.push(q.fact);
        continue;
      }
      s.facts[q.fact] = value;
      s.supplied[q.fact] = q.source;
      suppliedOne = true;
      break;
    }
    if (suppliedOne) continue;
    if (next.status === 'eligible' && (s.theme || factDef(MISSING_FACT)) && s.facts[MISSING_FACT] === undefined) return showMissing();
    return showResult();
  }
  return showFatal('问题过多', null);
}

function snapshot() {
  return { facts: Object.assign({}, session.facts), supplied: Object.assign({}, session.supplied), unknown: session.unknown.slice() };
}

/** Records an answer if the engine accepts it; otherwise returns the citizen-facing problem. */
function answer(question, value) {
  var facts = Object.assign({}, session.facts);
  facts[question.fact] = value;
  try {
    nextQuestions(facts);
  } catch (e) {
    if (e instanceof BanshiError) return inputProblem(e, factDef(question.fact) || question);
    throw e;
  }
  session.history.push(snapshot());
  session.facts = facts;
  advance();
  return null;
}

function back() {
  if (session === null || session.history.length === 0) return restart();
  var before = session.history.pop();
  session.facts = before.facts;
  session.supplied = before.supplied;
  session.unknown = before.unknown;
  advance();
}

function frame(body, screen) {
  show(body, { title: session.view.info.name, back: back, restart: true, screen: screen });
}

function showQuestion(question) {
  var def = factDef(question.fact) || question;
  var problem = h('p', { class: 'problem', role: 'alert' });
  var submit = function (value) {
    var message = answer(question, value);
    if (message !== null) problem.textContent = message;
  };
  var input;
  switch (question.type) {
    case 'bool':
      input = h('div', { class: 'yesno' }, [button('是', function () { submit(true); }, 'yes'), button('否', function () { submit(false); }, 'no')]);
      break;
    case 'enum':
      input = h('div', { class: 'options' }, (question.options || []).map(function (option) {
        return button(option, function () { submit(option); }, 'option');
      }));
      break;
    case 'enum_list':
      input = multiSelect(question.options || [], [], submit, '以上都没有');
      break;
    case 'integer':
    case 'decimal':
      input = numberPad(def, submit);
      break;
    case 'date':
      input = datePicker(session.on, submit);
      break;
    default:
      input = textInput(submit);
  }
  // A new touch on the input clears the last complaint (capture: before the handlers run).
  input.addEventListener('click', function () { problem.textContent = ''; }, true);
  frame([
    h('p', { class: 'step' }, '第 ' + (session.history.length + 1) + ' 步'),
    h('h1', { class: 'question' }, question.question),
    input,
    problem,
  ], 'question');
}

/** Toggle buttons and a confirm button; `none` labels the confirm button while nothing is chosen. */
function multiSelect(options, chosen, submit, none) {
  var picked = chosen.slice();
  var confirm = button(none, function () {
    submit(options.filter(function (o) { return picked.indexOf(o) >= 0; }));
  }, 'primary confirm', { 'data-action': 'confirm' });
  var toggles = options.map(function (option) {
    var el = button([h('span', { class: 'check', 'aria-hidden': 'true' }), option], function () {
      var at = picked.indexOf(option);
      if (at >= 0) picked.splice(at, 1);
      else picked.push(option);
      el.setAttribute('aria-pressed', at >= 0 ? 'false' : 'true');
      confirm.textContent = picked.length === 0 ? none : '确定（已选 ' + picked.length + ' 项）';
    }, 'option toggle', { 'aria-pressed': picked.indexOf(option) >= 0 ? 'true' : 'false' });
    return el;
  });
  return h('div', { class: 'multi' }, [h('div', { class: 'options' }, toggles), confirm]);
}

function numberPad(def, submit) {
  var text = '';
  var display = h('div', { class: 'display', 'aria-live': 'polite' }, '');
  var decimal = def.type === 'decimal';
  var update = function () {
    display.textContent = text === '' ? '请输入' : text;
    display.className = text === '' ? 'display empty' : 'display';
  };
  var press = function (key) {
    return function () {
      if (key === '⌫') text = text.slice(0, -1);
      else if (key === '清除') text = '';
      else if (key === '.') {
        if (text.indexOf('.') < 0) text = (text === '' ? '0' : text) + '.';
      } else if (text.length < 12) text = text === '0' ? key : text + key;
      update();
    };
  };
  update();
  var keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', decimal ? '.' : '清除', '0', '⌫'];
  var hint = def.min !== undefined || def.max !== undefined ? '可填 ' + (def.min !== undefined ? def.min : '') + '–' + (def.max !== undefined ? def.max : '') : '';
  return h('div', { class: 'pad' }, [
    display,
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'keys' }, keys.map(function (key) {
      return button(key, press(key), 'key', { 'aria-label': key === '⌫' ? '退格' : key });
    })),
    button('确定', function () {
      if (text === '' || text === '.' || /\.$/.test(text)) return;
      // Integers as JSON numbers; decimals as text, read exactly by the core.
      submit(decimal ? text : Number(text));
    }, 'primary confirm', { 'data-action': 'confirm' }),
  ]);
}

var WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

function pad2(n) {
  return (n < 10 ? '0' : '') + n;
}

/** A calendar: year and month steppers, a grid of days, a confirm button. */
function datePicker(todayIso, submit) {
  var start = /^(\d{4})-(\d{2})/.exec(todayIso);
  var year = Number(start[1]);
  var month = Number(start[2]);
  var day = 0;
  var root = h('div', { class: 'date' });
  var render = function () {
    root.textContent = '';
    var days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > days) day = 0;
    var first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    var step = function (years, months) {
      return function () {
        var m = month - 1 + months + years * 12;
        year += Math.floor(m / 12);
        month = (m % 12 + 12) % 12 + 1;
        render();
      };
    };
    var cells = [];
    WEEKDAYS.forEach(function (w) { cells.push(h('span', { class: 'weekday' }, w)); });
    for (var blank = 0; blank < first; blank++) cells.push(h('span', { class: 'blank' }));
    for (var d = 1; d <= days; d++) {
      (function (d) {
        cells.push(button(String(d), function () { day = d; render(); }, 'day' + (d === day ? ' picked' : ''), { 'aria-pressed': d === day ? 'true' : 'false', 'aria-label': d + '日' }));
      })(d);
    }
    append(root, [
      h('div', { class: 'stepper' }, [
        button('−10年', step(-10, 0), 'step-btn'),
        button('−1年', step(-1, 0), 'step-btn'),
        h('span', { class: 'shown', 'data-part': 'year' }, year + '年'),
        button('+1年', step(1, 0), 'step-btn'),
        button('+10年', step(10, 0), 'step-btn'),
      ]),
      h('div', { class: 'stepper' }, [
        button('‹ 上月', step(0, -1), 'step-btn'),
        h('span', { class: 'shown', 'data-part': 'month' }, month + '月'),
        button('下月 ›', step(0, 1), 'step-btn'),
      ]),
      h('div', { class: 'days' }, cells),
      h('p', { class: 'picked-date' }, day ? '已选：' + year + '年' + month + '月' + day + '日' : '请点选日期'),
      button('确定', function () {
        if (day) submit(year + '-' + pad2(month) + '-' + pad2(day));
      }, 'primary confirm', { 'data-action': 'confirm', disabled: !day }),
    ]);
  };
  render();
  return root;
}

function textInput(submit) {
  var field = h('input', { class: 'text', type: 'text', autocomplete: 'off' });
  return h('div', { class: 'text-entry' }, [field, button('确定', function () {
    if (field.value.trim() !== '') submit(field.value.trim());
  }, 'primary confirm', { 'data-action': 'confirm' })]);
}

/**
 * 缺少材料: which of the materials this case needs the citizen does not have today. A matter
 * lists them by name (its fact's options); a theme by the ids of its combined list, shown by name.
 */
function showMissing() {
  var def = factDef(MISSING_FACT);
  var needed = [];
  try {
    needed = decideNow().materials.filter(function (m) {
      return m.status === 'submit' || m.status === 'deferred' || m.status === 'undetermined';
    });
  } catch (e) {
    if (!(e instanceof BanshiError)) throw e;
  }
  var names = needed.map(function (m) { return m.name; });
  var options = session.theme ? names : (def.options || []).filter(function (o) { return names.indexOf(o) >= 0; });
  if (options.length === 0 && !session.theme) options = def.options || [];
  var value = function (picked) {
    if (!session.theme) return picked;
    return picked.map(function (name) { return needed[names.indexOf(name)].id; });
  };
  var problem = h('p', { class: 'problem', role: 'alert' });
  frame([
    h('p', { class: 'step' }, '第 ' + (session.history.length + 1) + ' 步'),
    h('h1', { class: 'question' }, '以下材料，您今天有哪些还没有带齐？'),
    h('p', { class: 'lead' }, '请点选还没有准备好的材料；都准备好了，请直接点“材料都带齐了”。'),
    multiSelect(options, [], function (picked) {
      var message = answer({ fact: MISSING_FACT }, value(picked));
      if (message !== null) problem.textContent = message;
    }, '材料都带齐了'),
    problem,
  ], 'missing');
}

// ------------------------------------------------------------------------------- result

// The codes' labels are the npm package's (`banshi/labels`); the kiosk adds what to do next.
var STATUS_TEXT = STATUS_LABELS;
var ACCEPTANCE_HINT = {
  accepted_with_deferral: '：缺少的非关键材料请在期限内补交',
  not_accepted: '：缺少关键材料，请按一次性告知单补齐',
};
var ACCEPTANCE_TEXT = {};
Object.keys(ACCEPTANCE_LABELS).forEach(function (status) {
  ACCEPTANCE_TEXT[status] = ACCEPTANCE_LABELS[status] + (ACCEPTANCE_HINT[status] || '');
});
var ROUTE_TEXT = ROUTE_LABELS;

function badge(m) {
  switch (m.status) {
    case 'submit': return h('span', { class: 'badge submit' }, '需提交');
    case 'exempt': return h('span', { class: 'badge exempt' }, ['免证', m.route ? h('small', null, ' · ' + ROUTE_TEXT[m.route]) : null]);
    case 'deferred': return h('span', { class: 'badge deferred' }, ['容缺', m.due ? h('small', null, ' · ' + chineseDate(m.due) + '前补交') : null]);
    case 'committed': return h('span', { class: 'badge committed' }, ['承诺', h('small', null, ' · 签署承诺书代替')]);
    default: return h('span', { class: 'badge undetermined' }, '待确定');
  }
}

/** Why an exempt material need not be brought (免证办), in the citizen's words. */
function exemptText(m) {
  if (m.route === 'e_licence') return '已查到' + m.via + '电子证照，免于提交';
  if (m.route === 'data_sharing') return '通过' + m.via + '核验，免于提交';
  return '已取消该材料：' + m.via;
}

function materialCard(m) {
  var details = [m.form, m.medium, m.copies + '份'].join(' · ');
  return h('li', { class: 'material ' + m.status, 'data-material': m.id }, [
    h('div', { class: 'material-head' }, [h('span', { class: 'material-name' }, m.name), badge(m)]),
    h('div', { class: 'material-detail' }, details + (m.key && m.status === 'submit' ? ' · 关键材料' : '')),
    m.status === 'exempt' && m.via ? h('div', { class: 'material-note' }, exemptText(m)) : null,
    m.status === 'deferred' && m.due ? h('div', { class: 'material-note' }, '容缺受理，请于' + chineseDate(m.due) + '前补交') : null,
    m.status === 'committed' && m.due ? h('div', { class: 'material-note', 'data-part': 'commitment-due' }, '已承诺，请于' + chineseDate(m.due) + '前补交') : null,
    m.status === 'committed' && m.commitment ? h('div', { class: 'material-note' }, '承诺内容：' + m.commitment.text) : null,
    m.note ? h('div', { class: 'material-note' }, m.note) : null,
  ]);
}

function dueLine(label, due) {
  if (!due) return null;
  var when = due.due ? chineseDate(due.due) : '超出节假日日历范围，请到窗口确认';
  return h('div', { class: 'due', 'data-part': label === '承诺办结' ? 'promised' : 'statutory' }, [
    h('span', { class: 'due-label' }, label + '（' + limitText(due.limit) + '）'),
    h('span', { class: 'due-date' }, due.limit && due.limit.working_days === 0 && due.due ? '受理当日办结 ' + chineseDate(due.due) : when),
    due.unverified ? h('span', { class: 'unverified', 'data-part': 'unverified' }, '（时限未核实，以窗口为准）') : null,
  ]);
}

/** The time-limit card: the due dates, or why an application not accepted has none. */
function deadlineSection(d) {
  if (!d.deadline) {
    return d.no_deadline ? h('section', { class: 'card', 'data-part': 'no-deadline' }, [
      h('h2', null, '办理时限'),
      h('p', null, d.no_deadline.message),
      basisList(d.no_deadline.basis),
    ]) : null;
  }
  var dl = d.deadline;
  return h('section', { class: 'card' }, [
    h('h2', null, '办理时限'),
    dl.applied ? h('p', { 'data-part': 'applied-limits' }, dl.applied.handling + '：' + dl.applied.reason) : null,
    dueLine('承诺办结', dl.promised),
    dueLine('法定时限', dl.statutory),
    h('p', { class: 'footnote' }, '自' + chineseDate(dl.accepted_on) + '受理起计算' + (dl.calendar.length > 0 ? '，节假日按' + dl.calendar.join('、') + '安排' : '') + '。'),
  ]);
}

/** 通办: where the application is handed in, for matters that route it. */
function routingSection(r) {
  if (!r || r.status === 'local' || r.status === 'pending') return null;
  var lines = r.status === 'routed'
    ? ['可在' + r.receiving + '提交（' + r.scope + '通办），由' + shortAgency(r.deciding) + '办理。', r.forwarding + (r.forwarded_by ? '，' + chineseDate(r.forwarded_by) + '前送达办理单位。' : '。')]
    : ['本事项' + r.scope + '通办，您所在地不在通办范围内，请向' + shortAgency(r.deciding) + '申请。'];
  return h('section', { class: 'card', 'data-part': 'routing' }, [h('h2', null, '在哪里办')].concat(lines.map(function (t) { return h('p', null, t); })).concat([basisList(r.basis)]));
}

function feeSection(fees) {
  if (!fees) return h('p', { class: 'fee-total', 'data-part': 'fee' }, '收费：请到窗口咨询');
  if (fees.free || fees.total === '0.00') {
    return [h('p', { class: 'fee-total', 'data-part': 'fee' }, '不收费'), basisList(fees.basis)];
  }
  var lines = fees.items.filter(function (item) { return item.status !== 'not_applicable'; }).map(function (item) {
    var amount = item.status === 'charged' ? yuan(item.payable || item.amount) : item.status === 'waived' ? '已免收' + (item.waiver ? '（' + item.waiver.name + '）' : '') : '待确定';
    return h('li', { class: 'fee-item' }, [h('span', null, item.name), h('span', null, amount)]);
  });
  return [
    h('p', { class: 'fee-total', 'data-part': 'fee' }, fees.total !== undefined ? '合计 ' + yuan(fees.total) : '金额待确定'),
    h('ul', { class: 'fee-items' }, lines),
    basisList(fees.basis),
  ];
}

/** 办事指南 from the rules (the engine's `matter` call), shown as given: nothing is added here. */
function guideSection(view) {
  var g = view.guide || { steps: [] };
  var line = function (label, values) {
    if (!values || values.length === 0) return null;
    return h('p', { class: 'guide-line' }, label + '：' + [].concat(values).join('；'));
  };
  var imp = view.implementation;
  return h('section', { class: 'card', 'data-part': 'guide' }, [
    h('h2', null, '办事指南'),
    imp ? h('p', { class: 'footnote' }, imp.region + ' · ' + imp.level + ' · 实施编码 ' + view.info.code + (imp.illustrative ? '（示例编码）' : '')) : null,
    g.steps.length > 0 ? h('ol', { class: 'guide-steps' }, g.steps.map(function (step) {
      return h('li', null, step.name + (step.limit ? '（' + limitText(step.limit) + '）' : '') + (step.description ? '：' + step.description : ''));
    })) : null,
    line('办理结果', g.result),
    line('结果样本', g.result_sample),
    line('办理地点', g.places),
    line('办理时间', g.hours),
    line('送达方式', g.delivery),
    line('中介服务', g.intermediary),
    line('咨询方式', g.consultation),
    line('监督投诉', g.complaints),
    (g.materials || []).length > 0 ? h('ul', { class: 'guide-materials' }, g.materials.map(function (m) {
      return h('li', null, m.name + '：' + [m.spec, m.sample && '示范文本 ' + m.sample, m.blank && '空表 ' + m.blank].filter(Boolean).join('；'));
    })) : null,
    (g.faq || []).length > 0 ? h('dl', { class: 'guide-faq' }, g.faq.map(function (f) {
      return h('div', null, [h('dt', null, f.question), h('dd', null, f.answer)]);
    })) : null,
  ]);
}

function showResult() {
  if (session.theme) return showThemeResult();
  var s = session;
  var d;
  try {
    d = engine.decide(s.code, s.facts, { on: s.on });
  } catch (e) {
    return showFatal('无法判断', e);
  }
  var shown = d.materials.filter(function (m) { return m.status !== 'not_applicable'; });
  var hidden = d.materials.length - shown.length;
  var acceptance = d.acceptance;
  var open = d.questions.filter(function (q) { return q.fact !== MISSING_FACT; });
  frame([
    h('section', { class: 'status ' + d.status, 'data-part': 'status' }, [
      h('h1', { class: 'status-text' }, STATUS_TEXT[d.status]),
      acceptance && d.status === 'eligible' ? h('p', { class: 'acceptance', 'data-part': 'acceptance' }, ACCEPTANCE_TEXT[acceptance.status]) : null,
      acceptance && acceptance.deferral_refused ? h('p', { class: 'acceptance' }, acceptance.deferral_refused) : null,
      d.status === 'ineligible' ? h('p', { class: 'acceptance' }, '如对下列条件有疑问，请到人工窗口咨询。') : null,
    ]),
    d.failed.length > 0 ? h('section', { class: 'card' }, [
      h('h2', null, '不符合的条件'),
      h('ul', { class: 'reasons' }, d.failed.map(function (f) {
        return h('li', { class: 'reason', 'data-condition': f.id }, [h('div', { class: 'reason-text' }, f.message), basisList(f.basis)]);
      })),
    ]) : null,
    open.length > 0 ? h('section', { class: 'card' }, [
      h('h2', null, '需到窗口核实的信息'),
      h('ul', { class: 'reasons' }, open.map(function (q) { return h('li', { class: 'reason' }, q.question); })),
    ]) : null,
    acceptance && acceptance.notice && acceptance.notice.length > 0 ? button('查看并打印一次性告知单', function () { showNotice(d); }, 'primary no-print', { 'data-action': 'notice' }) : null,
    d.status !== 'ineligible' ? h('section', { class: 'card' }, [
      h('h2', null, '材料清单'),
      h('ul', { class: 'materials' }, shown.map(materialCard)),
      hidden > 0 ? h('p', { class: 'footnote' }, '另有 ' + hidden + ' 项材料与您的情形无关，无需准备。') : null,
    ]) : null,
    acceptance && acceptance.status === 'accepted_with_deferral' && acceptance.deferral ? h('section', { class: 'card', 'data-part': 'deferral' }, [
      h('h2', null, '容缺受理承诺'),
      h('p', null, '受理时请签署承诺：' + acceptance.deferral.commitment),
      basisList(acceptance.deferral.basis),
    ]) : null,
    d.commitment && d.commitment.chosen && d.commitment.offered !== false ? h('section', { class: 'card' }, [
      h('h2', null, '告知承诺'),
      h('p', null, '您选择以告知承诺方式办理：签署承诺书代替相关证明材料。承诺不实的，将依法承担相应责任。'),
      basisList(d.commitment.basis),
    ]) : null,
    d.commitment && d.commitment.reason ? h('section', { class: 'card' }, [h('h2', null, '告知承诺'), h('p', null, d.commitment.reason)]) : null,
    routingSection(d.routing),
    d.status !== 'ineligible' ? deadlineSection(d) : null,
    d.matter.codes_unverified ? h('p', { class: 'footnote unverified', 'data-part': 'codes-unverified' }, '本事项编码未经核实。') : null,
    d.status !== 'ineligible' ? h('section', { class: 'card' }, [h('h2', null, '收费'), feeSection(d.fees)]) : null,
    guideSection(s.view),
    h('p', { class: 'footnote' }, '核验码 ' + (d.receipt ? d.receipt.decision.slice(7, 19) : '') + '：窗口可据此核对本次判断。结果仅供参考，以窗口受理审核为准。'),
    h('div', { class: 'actions no-print' }, [button('返回修改', back, 'secondary'), button('办理其他事项', restart, 'primary')]),
  ], 'result');
}

var THEME_BADGE = { produced: '由本次前序事项办理后取得', submit: '需提交', exempt: '免证', deferred: '容缺', committed: '承诺', undetermined: '待确定' };

/** A line of a theme's combined checklist: the material once, with the matters it serves. */
function themeMaterialCard(m, names) {
  var details = [m.form, m.medium, m.copies + '份'].join(' · ');
  var serves = m.serves.filter(function (x) { return x.status !== 'not_applicable'; }).map(function (x) { return names[x.matter] || x.matter; });
  var note = m.status === 'produced' ? '由“' + (names[m.produced_by] || m.produced_by) + '”办结后取得，无需另行提交'
    : m.status === 'deferred' && m.due ? '容缺受理，请于' + chineseDate(m.due) + '前补交' : null;
  return h('li', { class: 'material ' + m.status, 'data-material': m.id }, [
    h('div', { class: 'material-head' }, [h('span', { class: 'material-name' }, m.name), h('span', { class: 'badge ' + m.status }, THEME_BADGE[m.status] || m.status)]),
    h('div', { class: 'material-detail' }, details + (m.key && m.status === 'submit' ? ' · 关键材料' : '')),
    h('div', { class: 'material-note' }, '用于：' + serves.join('、')),
    note ? h('div', { class: 'material-note' }, note) : null,
  ]);
}

/** A theme's result: each matter's outcome, the one checklist, the chained due dates, fees. */
function showThemeResult() {
  var s = session;
  var d;
  try {
    d = engine.decideTheme(s.code, s.facts, themeOptions(s.on));
  } catch (e) {
    return showFatal('无法判断', e);
  }
  var names = {};
  d.matters.forEach(function (m) { names[m.key] = m.decision.matter.name; });
  var shown = d.materials.filter(function (m) { return m.status !== 'not_applicable'; });
  var acceptance = d.acceptance;
  var dues = {};
  d.deadline.matters.forEach(function (x) { dues[x.matter] = x; });
  frame([
    h('section', { class: 'status ' + d.status, 'data-part': 'status' }, [
      h('h1', { class: 'status-text' }, STATUS_TEXT[d.status]),
      acceptance && d.status === 'eligible' ? h('p', { class: 'acceptance', 'data-part': 'acceptance' }, ACCEPTANCE_TEXT[acceptance.status]) : null,
    ]),
    h('section', { class: 'card', 'data-part': 'matters' }, [
      h('h2', null, '本次一并办理的事项'),
      h('ul', { class: 'reasons' }, d.matters.map(function (m) {
        var due = dues[m.key] || {};
        return h('li', { class: 'reason', 'data-matter': m.key }, [
          h('div', { class: 'reason-text' }, m.decision.matter.name + '：' + STATUS_TEXT[m.decision.status]),
          m.after.length > 0 ? h('div', { class: 'material-note' }, '在“' + m.after.map(function (k) { return names[k]; }).join('、') + '”办结后办理') : null,
          due.promised_due ? h('div', { class: 'material-note' }, '承诺' + chineseDate(due.promised_due) + '前办结') : null,
          m.decision.failed.map(function (f) { return h('div', { class: 'reason-text', 'data-condition': f.id }, [f.message, basisList(f.basis)]); }),
        ]);
      })),
    ]),
    acceptance && acceptance.notice && acceptance.notice.length > 0 ? button('查看并打印一次性告知单', function () { showThemeNotice(d, names); }, 'primary no-print', { 'data-action': 'notice' }) : null,
    d.status !== 'ineligible' ? h('section', { class: 'card' }, [
      h('h2', null, '一套材料清单'),
      h('ul', { class: 'materials' }, shown.map(function (m) { return themeMaterialCard(m, names); })),
    ]) : null,
    d.status !== 'ineligible' ? h('section', { class: 'card' }, [
      h('h2', null, '办理时限'),
      h('div', { class: 'due', 'data-part': 'promised' }, [h('span', { class: 'due-label' }, '全部承诺办结'), h('span', { class: 'due-date' }, d.deadline.promised_due ? chineseDate(d.deadline.promised_due) : '超出节假日日历范围，请到窗口确认')]),
      h('div', { class: 'due', 'data-part': 'statutory' }, [h('span', { class: 'due-label' }, '全部法定时限'), h('span', { class: 'due-date' }, d.deadline.statutory_due ? chineseDate(d.deadline.statutory_due) : '超出节假日日历范围，请到窗口确认')]),
      h('p', { class: 'footnote' }, '自' + chineseDate(d.deadline.accepted_on) + '一次受理起计算；有前置关系的事项依次办理，其余并联办理。'),
    ]) : null,
    d.status !== 'ineligible' ? h('section', { class: 'card' }, [h('h2', null, '收费'), h('p', { class: 'fee-total', 'data-part': 'fee' }, d.fees.total === undefined ? '金额待确定' : d.fees.total === '0.00' ? '不收费' : '合计 ' + yuan(d.fees.total))]) : null,
    h('p', { class: 'footnote' }, '核验码 ' + (d.receipt ? d.receipt.decision.slice(7, 19) : '') + '：窗口可据此核对本次判断。结果仅供参考，以窗口受理审核为准。'),
    h('div', { class: 'actions no-print' }, [button('返回修改', back, 'secondary'), button('办理其他事项', restart, 'primary')]),
  ], 'result');
}

/** A theme's one-time notice: every missing material once, with the matters that need it. */
function showThemeNotice(d, names) {
  var sheet = h('article', { class: 'sheet', 'data-part': 'notice' }, [
    h('h1', { class: 'sheet-title' }, '一次性告知单'),
    h('table', { class: 'sheet-meta' }, h('tbody', null, [
      h('tr', null, [h('th', null, '一件事'), h('td', null, d.theme.name)]),
      h('tr', null, [h('th', null, '包含事项'), h('td', null, d.matters.map(function (m) { return m.decision.matter.name + '（' + m.decision.matter.code + '）'; }).join('；'))]),
      h('tr', null, [h('th', null, '告知日期'), h('td', null, chineseDate(d.on))]),
    ])),
    h('p', null, '您申请一并办理的上述事项，申请材料尚不齐全，暂不能受理。现一次性告知您需要补齐的全部材料如下，请补齐后再次提交申请：'),
    h('table', { class: 'sheet-items' }, [
      h('thead', null, h('tr', null, ['序号', '材料名称', '要求', '用于事项'].map(function (t) { return h('th', null, t); }))),
      h('tbody', null, d.acceptance.notice.map(function (item, i) {
        return h('tr', null, [
          h('td', null, String(i + 1)),
          h('td', null, [item.name, item.key ? h('small', null, '（关键材料）') : null]),
          h('td', null, [item.form, item.medium, item.copies + '份'].join('，')),
          h('td', null, item.matters.map(function (k) { return names[k] || k; }).join('；')),
        ]);
      })),
    ]),
    h('p', { class: 'sheet-foot' }, '本告知单由政务服务自助终端依据已公布的办事指南生成，最终以受理窗口审核为准。核验码 ' + (d.receipt ? d.receipt.decision.slice(7, 19) : '') + '。'),
    h('div', { class: 'sheet-sign' }, [h('span', null, '申请人（签字）：'), h('span', null, '经办人（签字）：')]),
  ]);
  show([
    sheet,
    h('div', { class: 'actions no-print' }, [
      button('返回结果', function () { showThemeResult(); }, 'secondary'),
      button('打印告知单', function () { window.print(); }, 'primary', { 'data-action': 'print' }),
    ]),
  ], { title: '一次性告知单', back: function () { showThemeResult(); }, restart: true, screen: 'notice' });
}

/** The one-time notice (一次性告知单), laid out for A4 paper. */
function showNotice(d) {
  var notice = d.acceptance.notice;
  var sheet = h('article', { class: 'sheet', 'data-part': 'notice' }, [
    h('h1', { class: 'sheet-title' }, '一次性告知单'),
    h('table', { class: 'sheet-meta' }, h('tbody', null, [
      h('tr', null, [h('th', null, '事项名称'), h('td', null, d.matter.name)]),
      h('tr', null, [h('th', null, '实施编码'), h('td', null, d.matter.code)]),
      h('tr', null, [h('th', null, '受理机构'), h('td', null, d.matter.agency)]),
      h('tr', null, [h('th', null, '告知日期'), h('td', null, chineseDate(d.on))]),
    ])),
    h('p', null, '您申请办理的上述事项，申请材料尚不齐全，暂不能受理。现一次性告知您需要补齐的全部材料如下，请补齐后再次提交申请：'),
    h('table', { class: 'sheet-items' }, [
      h('thead', null, h('tr', null, ['序号', '材料名称', '要求', '依据'].map(function (t) { return h('th', null, t); }))),
      h('tbody', null, notice.map(function (item, i) {
        return h('tr', null, [
          h('td', null, String(i + 1)),
          h('td', null, [item.name, item.key ? h('small', null, '（关键材料）') : null]),
          h('td', null, [item.form, item.medium, item.copies + '份'].join('，')),
          h('td', null, item.basis.map(citation).join('；')),
        ]);
      })),
    ]),
    h('p', { class: 'sheet-foot' }, '本告知单由政务服务自助终端依据已公布的办事指南生成，最终以受理窗口审核为准。核验码 ' + (d.receipt ? d.receipt.decision.slice(7, 19) : '') + '。'),
    h('div', { class: 'sheet-sign' }, [h('span', null, '申请人（签字）：'), h('span', null, '经办人（签字）：')]),
  ]);
  show([
    sheet,
    h('div', { class: 'actions no-print' }, [
      button('返回结果', function () { showResult(); }, 'secondary'),
      button('打印告知单', function () { window.print(); }, 'primary', { 'data-action': 'print' }),
    ]),
  ], { title: '一次性告知单', back: function () { showResult(); }, restart: true, screen: 'notice' });
}

// ------------------------------------------------------------------------------- boot

['pointerdown', 'touchstart', 'mousedown', 'keydown'].forEach(function (type) {
  document.addEventListener(type, resetIdle, true);
});

async function boot() {
  show([h('p', { class: 'lead' }, '正在加载，请稍候…')], { screen: 'loading' });
  try {
    var response = await fetch(config.bundle);
    if (!response.ok) throw new Error(config.bundle + ': ' + response.status);
    engine = await Engine.load(await response.text(), {
      wasm: config.wasm || undefined,
      trustedKeys: config.trustedKeys,
      receiptKey: config.receiptKey,
      development: config.development === true,
    });
  } catch (e) {
    return showFatal('无法加载办事规则', e);
  }
  showHome();
}

boot();
