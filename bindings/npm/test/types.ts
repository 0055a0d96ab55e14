// Compile-time checks of index.d.ts (`npm run check-types`, run by tests/wasm.sh): the API as a
// web team writes it, imported by the package's own name through its `exports` map. Lines
// marked @ts-expect-error must fail to type-check: they prove the types are not `any`.

import { BanshiError, Engine, todayInChina } from 'banshi';
import type { Decision, DecideEnvelope, ErrorData, Facts, MaterialStatus, Receipt, Status, ThemeDecision, ThemeMaterialStatus } from 'banshi';

export async function example(bundle: string): Promise<string> {
  const engine: Engine = await Engine.load(bundle, { trustedKeys: ['1cca221c8ec6073393a7ba59cd3a508cbb46bd964484cbc22a81364c6e08b780'], receiptKey: '00'.repeat(32) });
  const development: Engine = await Engine.load(bundle, { development: true });
  const { inUse, peak, size }: { inUse: number; peak: number; size: number } = Engine.memory();
  console.log(inUse <= peak && peak <= size);
  development.free();
  // @ts-expect-error trusted keys are a list
  await Engine.load(bundle, { trustedKeys: 'abc' });
  const code = engine.matters()[0]?.code ?? '';
  const form = engine.matter(code, { on: '2026-03-02' });
  const facts: Facts = { 年龄: 30, 份额: 0.1, 电子证照: [], 特别程序: [{ procedure: '听证', from: '2026-03-02', to: '2026-03-05' }], 未答: null };
  for (const fact of form.facts) {
    if (fact.type === 'enum' && fact.options) console.log(fact.options.join('、'));
  }
  try {
    const decision: Decision = engine.decide(code, facts, { on: todayInChina() });
    const status: Status = decision.status;
    const submit: string[] = decision.materials.filter((m) => m.status === 'submit').map((m) => m.name);
    const receipt: Receipt | undefined = decision.receipt;
    if (receipt) {
      const check = engine.verify(code, facts, receipt, { on: decision.on });
      if (!check.valid) console.log(check.mismatches.join(','));
    }
    const next = engine.questions(code, JSON.stringify(facts));
    const theme = engine.themes({ region: '西安市' })[0]?.code ?? '';
    const regions: readonly string[] | undefined = engine.themes()[0]?.regions;
    const inRegion: string | undefined = engine.decideTheme(theme, {}, { on: '2026-03-02', region: '西安市' }).theme.region;
    console.log(regions, inRegion);
    const combined: ThemeDecision = engine.decideTheme(theme, { 缺少材料: ['lease'] }, { on: '2026-03-02' });
    const produced: ThemeMaterialStatus = combined.materials[0]?.status ?? 'produced';
    const notice: string[] = (combined.acceptance?.notice ?? []).map((n) => `${n.name}（${n.matters.join('、')}）`);
    console.log(produced, notice, combined.deadline.promised_due, engine.themeQuestions(theme, {}).questions.length);
    // @ts-expect-error a theme decision's status is a Status
    const wrong: number = combined.status;
    console.log(status, submit, next.questions.map((q) => q.fact), decision.deadline?.promised.due ?? decision.deadline?.promised.error?.date ?? decision.no_deadline?.reason);
    const text = engine.decideJson(code, facts, { on: '2026-03-02' });
    const envelope = JSON.parse(text) as DecideEnvelope;
    return envelope.ok ? envelope.decision.status : envelope.errors.map((e) => e.code).join(',');
  } catch (e) {
    if (e instanceof BanshiError && e.code === 'internal_error') {
      await Engine.ready(); // the module failed; the same engine works again once this resolves
      return engine.decide(engine.matters()[0]?.code ?? '', {}).status;
    }
    if (e instanceof BanshiError) {
      const all: readonly ErrorData[] = e.errors;
      return `${e.code} ${e.path} ${e.message} (${all.length})`;
    }
    throw e;
  } finally {
    engine.free();
  }
}

export function mistakes(engine: Engine, decision: Decision): void {
  // @ts-expect-error a status is one of three strings, not a number
  const n: number = decision.status;
  // @ts-expect-error material statuses are a closed set
  const s: MaterialStatus = 'maybe';
  // @ts-expect-error facts are JSON values: a Date is not one
  engine.decide('CODE', { 出生日期: new Date() });
  // @ts-expect-error `on` is a YYYY-MM-DD string
  engine.decide('CODE', {}, { on: new Date() });
  // @ts-expect-error engines come from Engine.load
  new Engine();
  // @ts-expect-error the hash is read-only
  engine.hash = 'sha256:0';
  console.log(n, s);
}

// `banshi/labels`: every status has a label, typed by the package's own unions.
import { ERROR_LABELS, MATERIAL_STATUS_LABELS, STATUS_LABELS, errorLabel } from 'banshi/labels';
import type { ErrorCode } from 'banshi/labels';

export function label(decision: Decision, error: ErrorData): string {
  const status: string = STATUS_LABELS[decision.status];
  const materials: string[] = decision.materials.map((m) => MATERIAL_STATUS_LABELS[m.status]);
  const known: ErrorCode = 'unknown_fact';
  // @ts-expect-error not an error code
  const unknown: ErrorCode = 'no_such_code';
  return [status, ...materials, ERROR_LABELS[known], errorLabel(error.code), unknown].join(' ');
}
