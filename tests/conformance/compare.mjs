// Runs the corpus through one channel's `banshi` package and compares every answer with the
// native one, byte for byte. Shared by the Node run and the page the Chromium run loads, so it
// uses nothing but the language: no Node or DOM APIs.

/** Where two texts first differ, with context: what a mismatch prints. */
export function diff(expected, actual) {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 60);
  const show = (s) => JSON.stringify(s.slice(from, i + 80));
  return `first difference at character ${i} (expected ${expected.length} characters, got ${actual.length})\n      expected …${show(expected)}…\n      actual   …${show(actual)}…`;
}

/** The body an object-returning method gives for an `{"ok":true,…}` envelope. */
function body(op, envelope) {
  switch (op) {
    case 'decide': return envelope.decision;
    case 'questions': return { status: envelope.status, questions: envelope.questions };
    case 'eligibility': return { status: envelope.status, failed: envelope.failed, questions: envelope.questions };
    case 'verify': return { valid: envelope.valid, mismatches: envelope.mismatches, receipt: envelope.receipt };
    case 'matter': return envelope.matter;
    case 'matters': return envelope.matters;
    case 'decide_theme': return envelope.decision;
    case 'theme_questions': return { status: envelope.status, questions: envelope.questions };
    case 'themes': return envelope.themes;
    case 'indicators': return envelope.indicators;
    default: return envelope;
  }
}

/** The facts and receipt as a front end passes them: objects, or text. */
function inputs(c, problems) {
  if (c.via !== 'object') return { facts: c.facts, receipt: c.receipt };
  const facts = JSON.parse(c.facts);
  // The object path must write exactly the text the native side decided on; this is where a
  // JS number such as 0.1 or 0.30000000000000004 is shown to reach the core unchanged.
  const written = JSON.stringify(facts);
  if (written !== c.facts) problems.push(`JSON.stringify of the facts object differs from the native facts text: ${diff(c.facts, written)}`);
  const receipt = c.receipt === undefined ? undefined : JSON.parse(c.receipt);
  return { facts, receipt };
}

/** A listing's options: the region, when the case names one. */
function listOptions(c) {
  return c.region === undefined ? undefined : { region: c.region };
}

/** A theme call's options: the date and, when the case names one, the region. */
function themeOptions(c) {
  return c.region === undefined ? { on: c.on } : { on: c.on, region: c.region };
}

/** The envelope text of the `…Json` method for a case. */
function envelopeText(engine, c, facts, receipt) {
  const options = { on: c.on };
  switch (c.op) {
    case 'decide': return engine.decideJson(c.code, facts, options);
    case 'questions': return engine.questionsJson(c.code, facts, options);
    case 'eligibility': return engine.eligibilityJson(c.code, facts, options);
    case 'verify': return engine.verifyJson(c.code, facts, receipt, options);
    case 'matter': return engine.matterJson(c.code, options);
    case 'matters': return engine.mattersJson(listOptions(c));
    case 'decide_theme': return engine.decideThemeJson(c.code, facts, themeOptions(c));
    case 'theme_questions': return engine.themeQuestionsJson(c.code, facts, themeOptions(c));
    case 'themes': return engine.themesJson(listOptions(c));
    case 'indicators': return engine.indicatorsJson({ ...options, ...JSON.parse(c.facts) });
    default: throw new Error(`unknown op ${c.op}`);
  }
}

/** The object method's answer: `{value}`, or `{errors, first}` for a thrown BanshiError. */
async function objectAnswer(Engine, BanshiError, engine, c, facts, receipt, loadOptions) {
  const options = { on: c.on };
  try {
    switch (c.op) {
      case 'decide': return { value: engine.decide(c.code, facts, options) };
      case 'questions': return { value: engine.questions(c.code, facts, options) };
      case 'eligibility': return { value: engine.eligibility(c.code, facts, options) };
      case 'verify': return { value: engine.verify(c.code, facts, receipt, options) };
      case 'matter': return { value: engine.matter(c.code, options) };
      case 'matters': return { value: engine.matters(listOptions(c)) };
      case 'decide_theme': return { value: engine.decideTheme(c.code, facts, themeOptions(c)) };
      case 'theme_questions': return { value: engine.themeQuestions(c.code, facts, themeOptions(c)) };
      case 'themes': return { value: engine.themes(listOptions(c)) };
      case 'indicators': return { value: engine.indicators({ ...options, ...JSON.parse(c.facts) }) };
      case 'load': {
        // A load case's own options (development mode, a missing receipt key…), else the corpus's.
        const loaded = await Engine.load(c.bundle_text, JSON.parse(c.options === undefined ? loadOptions : c.options));
        const hash = loaded.hash;
        loaded.free();
        return { value: { ok: true, hash } };
      }
      default: throw new Error(`unknown op ${c.op}`);
    }
  } catch (e) {
    if (e instanceof BanshiError) return { errors: e.errors, first: { code: e.code, message: e.message, path: e.path } };
    return { thrown: `${e && e.name}: ${e && e.message}` };
  }
}

/**
 * Every problem with one case (empty when it conforms), decided with each engine of its bundle:
 * the one-file catalogue, and the same catalogue split (matter files fetched by their hash).
 */
async function check(Engine, BanshiError, engines, c, loadOptions) {
  const problems = [];
  const [whole, split] = engines.get(c.bundle);
  for (const p of await checkWith(Engine, BanshiError, whole, c, loadOptions)) problems.push(p);
  if (c.op === 'load') return problems;
  for (const p of await checkWith(Engine, BanshiError, split, c, loadOptions)) problems.push(`split: ${p}`);
  return problems;
}

async function checkWith(Engine, BanshiError, engine, c, loadOptions) {
  const problems = [];
  const { facts, receipt } = inputs(c, problems);
  if (c.op !== 'load') {
    const text = envelopeText(engine, c, facts, receipt);
    if (text !== c.expect) problems.push(`${c.op}Json: ${diff(c.expect, text)}`);
  }
  // The object API must give the same answer parsed, or throw the same errors.
  const expected = JSON.parse(c.expect);
  const got = await objectAnswer(Engine, BanshiError, engine, c, facts, receipt, loadOptions);
  if (expected.ok) {
    const want = JSON.stringify(c.op === 'load' ? expected : body(c.op, expected));
    const have = got.value === undefined ? JSON.stringify(got) : JSON.stringify(got.value);
    if (want !== have) problems.push(`${c.op}(): ${diff(want, have)}`);
  } else {
    const want = JSON.stringify({ errors: expected.errors, first: expected.errors[0] });
    const have = JSON.stringify(got.errors ? { errors: got.errors, first: got.first } : got);
    if (want !== have) problems.push(`${c.op}() should throw BanshiError: ${diff(want, have)}`);
  }
  return problems;
}

/**
 * Decides the whole corpus through `Engine` (one channel's package) and compares. Returns counts,
 * the time spent deciding, and the failures with their case and diff.
 */
export async function runCorpus(corpus, Engine, BanshiError, now = () => Date.now()) {
  const engines = new Map();
  for (const b of corpus.bundles) {
    // Signed with the test key; the corpus's options trust it and give the test receipt key.
    const engine = await Engine.load(b.text, JSON.parse(corpus.options));
    // Split delivery: the header line alone, each matter file handed over when first needed
    // (here at once, from memory, as a mini-program's file cache would).
    const fetchMatter = (hash) => b.matters[hash];
    const split = await Engine.load(b.header, { ...JSON.parse(corpus.options), fetchMatter });
    for (const e of [engine, split]) {
      if (e.hash !== b.hash) throw new Error(`bundle ${b.name}: engine hash ${e.hash}, expected ${b.hash}`);
    }
    engines.set(b.name, [engine, split]);
  }
  const started = now();
  const failures = [];
  for (const c of corpus.cases) {
    let problems;
    try {
      problems = await check(Engine, BanshiError, engines, c, corpus.options);
    } catch (e) {
      problems = [`threw ${e && e.name}: ${e && e.message}`];
    }
    if (problems.length > 0) failures.push({ id: c.id, title: c.title, op: c.op, code: c.code, on: c.on, facts: c.facts.length > 400 ? `${c.facts.slice(0, 400)}… (${c.facts.length} characters)` : c.facts, problems });
  }
  const ms = now() - started;
  for (const pair of engines.values()) pair.forEach((e) => e.free());
  return { cases: corpus.cases.length, passed: corpus.cases.length - failures.length, failed: failures.length, ms, failures };
}

/** The report lines of a channel's run. */
export function report(channel, result, limit = 20) {
  const lines = [];
  for (const f of result.failures.slice(0, limit)) {
    lines.push(`MISMATCH ${channel} ${f.id} (${f.op} ${JSON.stringify(f.code)} on ${JSON.stringify(f.on)}): ${f.title}`);
    lines.push(`    facts: ${f.facts}`);
    for (const p of f.problems) lines.push(`    ${p}`);
  }
  if (result.failures.length > limit) lines.push(`… and ${result.failures.length - limit} more`);
  return lines;
}
