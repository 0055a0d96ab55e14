// banshi's condition language (rules/README.md, "The condition language"; core/src/expr) turned
// into the two peers' formats, so that json-logic-js and @gorules/zen-engine evaluate the very
// `[[conditions]]` (with the `[[situations]]` they name) that banshi decides with.
//
// - `parse` reads one condition into a syntax tree, with the core's grammar and precedence
//   (`or` < `and` < `not` < comparisons, `in`, `contains` < `+ -` < `*` < unary `-`).
// - `typed` resolves names against a matter's facts and situations and gives every node its
//   type (the zen translation needs it: dates must be wrapped in `d(…)` there).
// - `jsonLogic` and `zen` write the typed tree in each peer's language.
// - `eligibility` builds, from one matter of a bundle, a JsonLogic rule (true when eligible),
//   one JsonLogic rule per condition (true when it fails) and a zen JDM graph: a decision table
//   with hit policy `collect` and one row per condition, whose output lists the failed ids.
//
// Both peers evaluate in two-valued logic, so they agree with banshi only when every fact the
// conditions name is given; bench.mjs compares them on exactly those applications.
//
// Semantics kept, and how:
// - Situations are inlined where a condition names them (neither peer has named sub-rules that a
//   row can refer to without an extra graph node; banshi evaluates each situation once).
// - `today()` is the decision date: `on` in the data both peers get (`{ facts, on }`).
// - `years_between`, `months_between`, `days_between`, `age`: whole units from a to b, negative
//   when b is earlier, counted like core/src/expr/mod.rs (a month is complete when the day of
//   month is reached: 2026-01-31 to 2026-02-28 is 0 months; 2008-02-29 to 2026-02-28 is 17
//   years). JsonLogic has no dates: these are custom operations (`add_operation`), plain JS,
//   counted in its time. zen has dates (`d()`), but its `diff(…, "month"|"year")` clamps month
//   ends (2026-01-31 to 2026-02-28 is 1 month there), so the month count is written out from
//   `year()`, `month()` and `day()`; days use `diff(…, "day")`.
// - `count(list)`: JsonLogic `reduce`; zen `len`.
// - `x in [..]` and `list contains x`: JsonLogic `in`; zen `in`.
// - Numbers: JsonLogic compares and multiplies JS doubles; zen uses decimals. Decimal facts that
//   arrive as text (`"66.67"`) are wrapped in `number(…)` for zen (JS coerces them by itself).

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false']);
const SYMBOLS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '+', '-', '*'];
const IDENT_START = /[\p{Alphabetic}_]/u;
const IDENT_PART = /[\p{Alphabetic}\p{N}_]/u;

function lex(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = String.fromCodePoint(src.codePointAt(i));
    if (/\s/u.test(c)) {
      i += c.length;
    } else if (IDENT_START.test(c)) {
      let j = i;
      while (j < src.length) {
        const d = String.fromCodePoint(src.codePointAt(j));
        if (!IDENT_PART.test(d)) break;
        j += d.length;
      }
      tokens.push({ t: 'ident', v: src.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      tokens.push({ t: 'number', v: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw new SyntaxError(`unterminated text in ${src}`);
        const d = src[j];
        j += 1;
        if (d === '"') break;
        if (d === '\\') {
          text += src[j];
          j += 1;
        } else {
          text += d;
        }
      }
      tokens.push({ t: 'text', v: text });
      i = j;
    } else {
      const sym = SYMBOLS.find((s) => src.startsWith(s, i));
      if (sym === undefined) throw new SyntaxError(`unexpected \`${c}\` in ${src}`);
      tokens.push({ t: 'sym', v: sym });
      i += sym.length;
    }
  }
  tokens.push({ t: 'end' });
  return tokens;
}

/** One condition's syntax tree: `{ k: kind, … }`. */
export function parse(src) {
  const tokens = lex(src);
  let pos = 0;
  const tok = () => tokens[pos];
  const atWord = (w) => tok().t === 'ident' && tok().v === w;
  const atSym = (s) => tok().t === 'sym' && tok().v === s;
  const expect = (s) => {
    if (!atSym(s)) throw new SyntaxError(`expected \`${s}\` in ${src}`);
    pos += 1;
  };
  const joined = (kind, items) => (items.length === 1 ? items[0] : { k: kind, items });
  function or() {
    const items = [and()];
    while (atWord('or')) {
      pos += 1;
      items.push(and());
    }
    return joined('or', items);
  }
  function and() {
    const items = [not()];
    while (atWord('and')) {
      pos += 1;
      items.push(not());
    }
    return joined('and', items);
  }
  function not() {
    if (atWord('not')) {
      pos += 1;
      return { k: 'not', x: not() };
    }
    return compare();
  }
  function compare() {
    const left = sum();
    const t = tok();
    if (t.t === 'sym' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      pos += 1;
      return { k: 'cmp', op: t.v, a: left, b: sum() };
    }
    if (atWord('in')) {
      pos += 1;
      if (!atSym('[')) throw new SyntaxError(`expected a list after \`in\` in ${src}`);
      return { k: 'in', x: left, list: primary() };
    }
    if (atWord('contains')) {
      pos += 1;
      return { k: 'contains', list: left, x: sum() };
    }
    return left;
  }
  function sum() {
    let left = product();
    while (atSym('+') || atSym('-')) {
      const op = tok().v;
      pos += 1;
      left = { k: 'arith', op, a: left, b: product() };
    }
    return left;
  }
  function product() {
    let left = unary();
    while (atSym('*')) {
      pos += 1;
      left = { k: 'arith', op: '*', a: left, b: unary() };
    }
    return left;
  }
  function unary() {
    if (atSym('-')) {
      pos += 1;
      return { k: 'neg', x: unary() };
    }
    return primary();
  }
  function primary() {
    const t = tok();
    if (t.t === 'number') {
      pos += 1;
      return { k: 'number', v: t.v };
    }
    if (t.t === 'text') {
      pos += 1;
      return { k: 'text', v: t.v };
    }
    if (t.t === 'ident' && (t.v === 'true' || t.v === 'false')) {
      pos += 1;
      return { k: 'bool', v: t.v === 'true' };
    }
    if (t.t === 'ident' && !KEYWORDS.has(t.v)) {
      pos += 1;
      if (!atSym('(')) return { k: 'name', v: t.v };
      pos += 1;
      const args = [];
      if (!atSym(')')) {
        for (;;) {
          args.push(or());
          if (!atSym(',')) break;
          pos += 1;
        }
      }
      expect(')');
      return { k: 'call', f: t.v, args };
    }
    if (atSym('(')) {
      pos += 1;
      const inner = or();
      expect(')');
      return inner;
    }
    if (atSym('[')) {
      pos += 1;
      const items = [];
      if (!atSym(']')) {
        for (;;) {
          items.push(unary());
          if (!atSym(',')) break;
          pos += 1;
        }
      }
      expect(']');
      return { k: 'list', items };
    }
    throw new SyntaxError(`expected a value, a name or \`(\` in ${src}`);
  }
  const tree = or();
  if (tok().t !== 'end') throw new SyntaxError(`unexpected text after the condition in ${src}`);
  return tree;
}

const FACT_TYPES = {
  bool: 'bool',
  integer: 'number',
  decimal: 'number',
  text: 'text',
  enum: 'text',
  date: 'date',
  enum_list: 'list',
  procedures: 'procedures',
};

/**
 * The tree with names resolved (facts, or situations inlined) and a type on every node. Also
 * collects, in `uses`, every fact the tree reads (through inlined situations too).
 */
function typed(node, scope, uses) {
  const t = (n) => typed(n, scope, uses);
  switch (node.k) {
    case 'bool':
      return { ...node, ty: 'bool' };
    case 'number':
      return { ...node, ty: 'number' };
    case 'text':
      return { ...node, ty: 'text' };
    case 'list':
      return { ...node, items: node.items.map(t), ty: 'constlist' };
    case 'name': {
      const fact = scope.facts.get(node.v);
      if (fact !== undefined) {
        uses.add(node.v);
        return { k: 'fact', v: node.v, ty: FACT_TYPES[fact.type], fact };
      }
      const situation = scope.situations.get(node.v);
      if (situation !== undefined) {
        for (const f of situation.uses) uses.add(f);
        return situation.tree;
      }
      throw new Error(`unknown name \`${node.v}\``);
    }
    case 'not':
      return { k: 'not', x: t(node.x), ty: 'bool' };
    case 'and':
    case 'or':
      return { k: node.k, items: node.items.map(t), ty: 'bool' };
    case 'cmp':
      return { ...node, a: t(node.a), b: t(node.b), ty: 'bool' };
    case 'in':
      return { k: 'in', x: t(node.x), list: t(node.list), ty: 'bool' };
    case 'contains':
      return { k: 'contains', list: t(node.list), x: t(node.x), ty: 'bool' };
    case 'arith':
      return { ...node, a: t(node.a), b: t(node.b), ty: 'number' };
    case 'neg':
      return { k: 'neg', x: t(node.x), ty: 'number' };
    case 'call': {
      const args = node.args.map(t);
      switch (node.f) {
        case 'today':
          return { k: 'today', ty: 'date' };
        case 'date':
          return { k: 'dateconst', v: node.args[0].v, ty: 'date' };
        case 'age':
          return { k: 'between', unit: 'years', a: args[0], b: { k: 'today', ty: 'date' }, ty: 'number' };
        case 'years_between':
        case 'months_between':
        case 'days_between':
          return { k: 'between', unit: node.f.split('_')[0], a: args[0], b: args[1], ty: 'number' };
        case 'count':
          return { k: 'count', x: args[0], ty: 'number' };
        default:
          throw new Error(`unknown function \`${node.f}\``);
      }
    }
    default:
      throw new Error(`cannot type ${node.k}`);
  }
}

// ---------------------------------------------------------------------------------------------
// JsonLogic (json-logic-js). Data: `{ facts, on }`.

const JL_CMP = { '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function jl(node) {
  switch (node.k) {
    case 'bool':
      return node.v;
    case 'number':
      return Number(node.v);
    case 'text':
    case 'dateconst':
      return node.v;
    case 'constlist':
    case 'list':
      return node.items.map(jl);
    case 'fact':
      if (node.v.includes('.')) throw new Error(`JsonLogic \`var\` cannot name \`${node.v}\``);
      return { var: `facts.${node.v}` };
    case 'today':
      return { var: 'on' };
    case 'not':
      return { '!': [jl(node.x)] };
    case 'and':
      return { and: node.items.map(jl) };
    case 'or':
      return { or: node.items.map(jl) };
    case 'cmp':
      return { [JL_CMP[node.op]]: [jl(node.a), jl(node.b)] };
    case 'in':
      return { in: [jl(node.x), jl(node.list)] };
    case 'contains':
      return { in: [jl(node.x), jl(node.list)] };
    case 'arith':
      return { [node.op]: [jl(node.a), jl(node.b)] };
    case 'neg':
      return { '-': [jl(node.x)] };
    case 'between':
      return { [`${node.unit}_between`]: [jl(node.a), jl(node.b)] };
    case 'count':
      return { reduce: [jl(node.x), { '+': [{ var: 'accumulator' }, 1] }, 0] };
    default:
      throw new Error(`no JsonLogic for ${node.k}`);
  }
}

/** Whole months from `a` to `b` (`YYYY-MM-DD`), negative when `b` is earlier: core/src/expr. */
export function monthsBetween(a, b) {
  if (b < a) return -monthsBetween(b, a);
  const ay = +a.slice(0, 4);
  const am = +a.slice(5, 7);
  const ad = +a.slice(8, 10);
  const by = +b.slice(0, 4);
  const bm = +b.slice(5, 7);
  const bd = +b.slice(8, 10);
  return (by - ay) * 12 + bm - am - (bd < ad ? 1 : 0);
}

function dayNumber(s) {
  return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
}

/** The custom operations the JsonLogic rules use: JsonLogic itself has no dates. */
export const JSON_LOGIC_OPERATIONS = {
  months_between: (a, b) => monthsBetween(a, b),
  years_between: (a, b) => Math.trunc(monthsBetween(a, b) / 12),
  days_between: (a, b) => dayNumber(b) - dayNumber(a),
};

// ---------------------------------------------------------------------------------------------
// zen expressions. Context: `{ facts, on }`; fact names are CJK, which zen's lexer does not take
// as identifiers, so facts are read as `facts["名称"]`.

const ZEN_CMP = { '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function zenDate(node) {
  switch (node.k) {
    case 'today':
      return 'd(on)';
    case 'dateconst':
      return `d(${JSON.stringify(node.v)})`;
    default:
      return `d(${zen(node)})`;
  }
}

function zenMonths(a, b) {
  // Valid for b >= a: the month count of core/src/expr's months_between.
  return `((${b}.year() - ${a}.year()) * 12 + ${b}.month() - ${a}.month() - (${b}.day() < ${a}.day() ? 1 : 0))`;
}

function zen(node) {
  switch (node.k) {
    case 'bool':
      return String(node.v);
    case 'number':
      return node.v;
    case 'text':
      return JSON.stringify(node.v);
    case 'dateconst':
    case 'today':
      return zenDate(node);
    case 'constlist':
    case 'list':
      return `[${node.items.map(zen).join(', ')}]`;
    case 'fact': {
      const ref = `facts[${JSON.stringify(node.v)}]`;
      return node.fact.type === 'decimal' ? `number(${ref})` : ref;
    }
    case 'not':
      return `not (${zen(node.x)})`;
    case 'and':
      return node.items.map((x) => `(${zen(x)})`).join(' and ');
    case 'or':
      return node.items.map((x) => `(${zen(x)})`).join(' or ');
    case 'cmp': {
      const dates = node.a.ty === 'date';
      const a = dates ? zenDate(node.a) : zen(node.a);
      const b = dates ? zenDate(node.b) : zen(node.b);
      return `(${a} ${ZEN_CMP[node.op]} ${b})`;
    }
    case 'in':
      return `(${zen(node.x)} in ${zen(node.list)})`;
    case 'contains':
      return `(${zen(node.x)} in ${zen(node.list)})`;
    case 'arith':
      return `(${zen(node.a)} ${node.op} ${zen(node.b)})`;
    case 'neg':
      return `(-(${zen(node.x)}))`;
    case 'between': {
      const a = zenDate(node.a);
      const b = zenDate(node.b);
      if (node.unit === 'days') return `${b}.diff(${a}, "day")`;
      const months = `(${b} >= ${a} ? ${zenMonths(a, b)} : -${zenMonths(b, a)})`;
      return node.unit === 'months' ? months : `trunc(${months} / 12)`;
    }
    case 'count':
      return `len(${zen(node.x)})`;
    default:
      throw new Error(`no zen expression for ${node.k}`);
  }
}

/**
 * `years_between`/`months_between`/`days_between` of two date constants in both peers'
 * languages, for bench.mjs's check of the date arithmetic on month ends and leap days.
 */
export function between(unit, a, b) {
  const node = { k: 'between', unit, a: { k: 'dateconst', v: a, ty: 'date' }, b: { k: 'dateconst', v: b, ty: 'date' }, ty: 'number' };
  return { jsonLogic: jl(node), zen: zen(node) };
}

// ---------------------------------------------------------------------------------------------

/**
 * The eligibility rules of one matter (a bundle's `rules.matters[i].source`, the TOML as JSON).
 * Returns `{ code, conditions: [{ id, uses, jsonLogicFails }], jsonLogic, zen, uses }`:
 * `jsonLogic` is true when every condition holds where it applies; `zen` is a JDM graph whose
 * result is the list of failed conditions (`[{ failed: id }]`); `uses` lists the facts read.
 */
export function eligibility(source) {
  const facts = new Map(source.facts.map((f) => [f.name, f]));
  const situations = new Map();
  const scope = { facts, situations };
  for (const s of source.situations ?? []) {
    const uses = new Set();
    situations.set(s.name, { tree: typed(parse(s.when), scope, uses), uses });
  }
  const allUses = new Set();
  const conditions = (source.conditions ?? []).map((c) => {
    const uses = new Set();
    const require = typed(parse(c.require), scope, uses);
    const when = c.when === undefined ? undefined : typed(parse(c.when), scope, uses);
    for (const f of uses) allUses.add(f);
    // Fails when it applies and does not hold.
    const fails = when === undefined ? { k: 'not', x: require, ty: 'bool' } : { k: 'and', items: [when, { k: 'not', x: require, ty: 'bool' }], ty: 'bool' };
    // Holds: it does not apply, or it is met.
    const holds = when === undefined ? require : { k: 'or', items: [{ k: 'not', x: when, ty: 'bool' }, require], ty: 'bool' };
    return { id: c.id, uses, fails, holds };
  });
  const jsonLogic = { '!!': [{ and: conditions.map((c) => jl(c.holds)) }] };
  const table = {
    id: 'conditions',
    type: 'decisionTableNode',
    name: '受理条件',
    position: { x: 300, y: 100 },
    content: {
      hitPolicy: 'collect',
      inputs: [{ id: 'condition', name: 'fails when', type: 'expression', field: '' }],
      outputs: [{ id: 'failed', name: 'failed', type: 'expression', field: 'failed' }],
      rules: conditions.map((c) => ({
        _id: c.id,
        condition: zen(c.fails),
        failed: JSON.stringify(c.id),
      })),
    },
  };
  const graph = {
    contentType: 'application/vnd.gorules.decision',
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 100 } },
      table,
      { id: 'response', type: 'outputNode', name: 'Response', position: { x: 600, y: 100 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'conditions', type: 'edge' },
      { id: 'e2', sourceId: 'conditions', targetId: 'response', type: 'edge' },
    ],
  };
  return {
    code: source.matter.implementation_code,
    conditions: conditions.map((c) => ({ id: c.id, uses: [...c.uses], jsonLogicFails: jl(c.fails), zenFails: zen(c.fails) })),
    jsonLogic,
    zen: graph,
    uses: [...allUses],
  };
}
