// A TypeScript mini-program using the copied-in folder, type-checked with the ES2017 library only
// (no DOM: mini-programs have none) against the folder's generated index.d.ts.
import { BanshiError, Engine, todayInChina, wxMatterFetcher } from '../../bindings/miniprogram/dist/banshi/index.js';
import type { Decision, Facts, MaterialDecision, QuestionsResult, Verification } from '../../bindings/miniprogram/dist/banshi/index.js';
import bundle = require('../../bindings/miniprogram/dist/banshi/rules.bundle.js');

export async function interview(code: string, facts: Facts): Promise<string> {
  const engine: Engine = await Engine.load(bundle, { wasm: 'banshi/banshi_wasm_bg.wasm.br', trustedKeys: ['1cca221c8ec6073393a7ba59cd3a508cbb46bd964484cbc22a81364c6e08b780'], receiptKey: '00'.repeat(32), development: false });
  const on = todayInChina();
  const next: QuestionsResult = engine.questions(code, facts, { on });
  const first = next.questions[0];
  if (first !== undefined) return first.question;
  try {
    const decision: Decision = engine.decide(code, facts, { on });
    const exempt: MaterialDecision[] = decision.materials.filter((m) => m.status === 'exempt');
    const checked: Verification = engine.verify(code, facts, decision.receipt ?? '', { on });
    return `${decision.status} ${exempt.length} ${checked.valid} ${decision.deadline?.promised.due ?? decision.no_deadline?.reason ?? ''}`;
  } catch (e) {
    if (e instanceof BanshiError) return `${e.code} ${e.path} ${e.errors.length}`;
    throw e;
  } finally {
    engine.free();
  }
}

export async function wrongSource(): Promise<void> {
  // @ts-expect-error WXWebAssembly takes a path inside the code package, not bytes
  await Engine.load(bundle, { wasm: new Uint8Array(8) });
}

export async function splitDelivery(index: string, code: string): Promise<void> {
  const fetchMatter = wxMatterFetcher('https://rules.example.gov.cn/matters/');
  const engine: Engine = await Engine.load(index, { trustedKeys: [], development: true, fetchMatter });
  await engine.prepare(code, { on: todayInChina() });
  fetchMatter.forget('sha256:00', '00.json');
  // @ts-expect-error the base URL is a string
  wxMatterFetcher(7);
}
