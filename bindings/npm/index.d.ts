// Types of the `banshi` package, written by hand against the core's JSON (core/src/ffi.rs,
// decision.rs, deadline.rs, fees.rs, matter.rs, facts.rs). No `any`: every input and output has
// a type; unknown input is `unknown`.

/** A date, `YYYY-MM-DD`. Dates are text everywhere: the core has no time zone and no clock. */
export type DateText = string;

/** An exact decimal, as text (`"12.50"`): decimals never pass through a float on the way out. */
export type DecimalText = string;

/** One clock stop (特别程序) recorded by the handling agency: a procedure and its first and last day. */
export interface ProcedureRecord {
  readonly procedure: string;
  readonly from: DateText;
  readonly to: DateText;
}

/**
 * The value of one fact. `null` (or leaving the fact out) means "not answered yet". Decimals may
 * be JS numbers (`0.1` reaches the core as the text `0.1`) or strings (`"0.1"`).
 */
export type FactValue = boolean | number | string | null | readonly string[] | readonly ProcedureRecord[];

/** An applicant's facts: fact names (as in `matter(code).facts`) to values. */
export interface Facts {
  readonly [fact: string]: FactValue | undefined;
}

/** Options of every call that depends on a date. */
export interface DateOptions {
  /**
   * The decision date, `YYYY-MM-DD`. Default: today in China (UTC+8), from this device's clock
   * (see {@link todayInChina}); pass it explicitly when a server must reproduce the decision.
   */
  readonly on?: DateText;
}

/** Where the WebAssembly module comes from when it is not the file packaged beside the glue. */
export type WasmSource =
  | string
  | URL
  | Response
  | Promise<Response>
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

/**
 * Options of {@link Engine.load}. Outside development mode a bundle loads only when signed by
 * one of `trustedKeys`, and `receiptKey` is required:
 *
 * ```ts
 * await Engine.load(bundleText, { trustedKeys: ['1cca…b780'], receiptKey: '14ef…18e6' });
 * await Engine.load(unsignedBundle, { development: true }); // receipts say "key": "development"
 * ```
 */
export interface LoadOptions {
  /**
   * The public keys (Ed25519, 64 hex digits each) of the agencies whose signed bundles this
   * channel loads (`banshi keygen` prints one; `banshi bundle --sign` signs). A bundle signed by
   * none of them is refused (`untrusted_key`), an unsigned one too (`unsigned`), and one whose
   * signature does not verify always (`bad_signature`).
   */
  readonly trustedKeys?: readonly string[];
  /**
   * Development mode: unsigned bundles, and bundles signed by keys not in `trustedKeys`, load
   * (a signature that does not verify is still refused), and without `receiptKey` receipts are
   * made with the public development key and say `"key": "development"`. Default `false`.
   */
  readonly development?: boolean;
  /**
   * The deployment's receipt key (64 hex digits; `banshi keygen --receipt`), shared with the
   * servers that verify receipts: the facts fingerprint of every receipt is keyed with it.
   * Required outside development mode (`no_receipt_key`).
   */
  readonly receiptKey?: string;
  /**
   * The module (URL, response, bytes or compiled module), for pages that host the `.wasm` file
   * themselves (content-security policies, mini-programs). The first engine loaded in a page or
   * process instantiates the module; later engines share it and ignore this option.
   */
  readonly wasm?: WasmSource;
  /**
   * Split delivery (`banshi bundle --split DIR`): when only the catalogue's index is loaded
   * (`DIR/index.json`), fetches the file of one matter, `DIR/matters/<file>`, by its hash when a
   * session first needs it. Its text is checked against the hash in the signed index before it
   * is used (`hash_mismatch` otherwise). May answer at once (text or bytes: from a cache, and the
   * synchronous calls then fetch it themselves) or with a promise (then `await
   * engine.prepare(code)` before the synchronous calls, which otherwise throw `not_loaded`).
   */
  readonly fetchMatter?: (hash: string, file: string) => MatterText | Promise<MatterText>;
}

/** A matter file's content: its text, or its UTF-8 bytes. */
export type MatterText = string | Uint8Array | ArrayBuffer;

/** One error, the same on every channel. */
export interface ErrorData {
  /**
   * A stable code to branch on: `unknown_fact`, `wrong_type`, `not_an_option`, `invalid_date`,
   * `invalid_number`, `not_integer`, `out_of_range`, `invalid_format`, `repeated`,
   * `invalid_json`, `not_an_object`, `too_large`, `unknown_matter`, `not_in_force`, `ended` (the
   * version in force ended without a successor, 取消 or 下放: the message names its last day and
   * why), `overflow`,
   * `invalid_receipt`, `invalid_bundle`, `bundle_format`, `hash_mismatch`, `invalid_rules`,
   * `not_loaded` (a catalogue's matter not fetched yet: {@link Engine.prepare}), `unavailable`
   * (its file could not be read), and from {@link Engine.load}: `unsigned`, `untrusted_key`, `bad_signature`,
   * `no_receipt_key`, `invalid_options`;
   * from the package itself, `internal_error`: the WebAssembly module failed (a trap, which the
   * core is written never to cause) and this call did not complete. The package has discarded the
   * module's instance and made a fresh one, into which every engine loads its rules again: the
   * same engines keep working (after {@link Engine.ready} where instantiation is asynchronous).
   * The call is not retried; calling again is safe.
   */
  readonly code: string;
  /** A one-line message for people. */
  readonly message: string;
  /**
   * Where: a fact's path (`电子证照[1]`), `on`, `facts`, `receipt`, a rule file's path, a
   * catalogue matter's hash (which names its file), or `""`.
   */
  readonly path: string;
}

/** Every error the package throws. `code`, `message` and `path` are the first error's. */
export class BanshiError extends Error {
  constructor(errors: readonly ErrorData[]);
  readonly name: 'BanshiError';
  readonly code: string;
  readonly path: string;
  /** All of them: invalid facts are reported at once, one per fact path. */
  readonly errors: readonly ErrorData[];
}

/** Today's date in China (UTC+8, no daylight saving) as `YYYY-MM-DD`, from `now` (default: the device's clock). */
export function todayInChina(now?: Date): DateText;

/** A legal-basis citation. */
export interface Citation {
  readonly document: string;
  readonly article: string;
  /** The text cited, where the rules quote it. */
  readonly excerpt?: string;
  /** Present (true) when the citation was never checked against a reachable text. */
  readonly unverified?: true;
}

/** A time limit: working days on the official calendar, or natural days. */
export type Limit = { readonly working_days: number } | { readonly days: number };

export type FactType = 'bool' | 'integer' | 'decimal' | 'text' | 'enum' | 'date' | 'enum_list' | 'procedures';

/** Who supplies a fact. */
export type FactSource = 'applicant' | 'data_sharing' | 'e_licence' | 'agency';

/** One fact of a matter's schema: what a form asks. */
export interface FactDef {
  readonly name: string;
  readonly type: FactType;
  readonly question: string;
  /** Options of `enum`, `enum_list` and `procedures` facts. */
  readonly options?: readonly string[];
  readonly source: FactSource;
  /** Identifier format checked on input, for `text` facts. */
  readonly format?: '居民身份证号' | '统一社会信用代码';
  readonly min?: DecimalText;
  readonly max?: DecimalText;
}

/** A matter in a listing: one version of it. */
export interface MatterSummary {
  /** 实施编码. */
  readonly code: string;
  /** 基本编码. */
  readonly basic_code: string;
  /** 事项名称. */
  readonly name: string;
  /** 事项类型. */
  readonly type: string;
  /** 实施机构. */
  readonly agency: string;
  readonly version: string;
  readonly effective: DateText;
  /** The region of an implementation (实施清单); absent for a matter written in one file. */
  readonly region?: string;
  /** 行使层级 of an implementation. */
  readonly level?: string;
  /** Present and `true` when the 实施编码 is a made-up example: show it as such. */
  readonly illustrative?: boolean;
  /** The last day in force of a version that ends without a successor (取消, 下放). */
  readonly last_day?: DateText;
  /** How many of the version's citations, codes and limits are unverified. */
  readonly unverified: number;
}

/** The national elements of a matter (事项要素). */
export interface MatterInfo {
  readonly code: string;
  readonly basic_code: string;
  readonly name: string;
  readonly type: string;
  readonly agency: string;
  /** 行使层级. */
  readonly levels: readonly string[];
  /** 设定依据. */
  readonly basis: readonly Citation[];
  readonly statutory_limit: Limit;
  readonly promised_limit: Limit;
  /** 办件类型: 即办件 or 承诺件. */
  readonly handling: string;
  readonly service_objects: readonly string[];
  /** 到办事现场次数. */
  readonly visits: number;
  /** 办理形式. */
  readonly modes: readonly string[];
  /** 高频政务服务事项; without `high_frequency_list` the mark is an example. */
  readonly high_frequency?: true;
  /** The published list that makes it 高频. */
  readonly high_frequency_list?: string;
}

/** How a version ends without a successor (取消, 下放). */
export interface VersionEnd {
  readonly last_day: DateText;
  readonly reason: '取消' | '下放';
  readonly note?: string;
  readonly basis: readonly Citation[];
}

export interface Version {
  readonly id: string;
  readonly effective: DateText;
  /** In {@link MatterView}: the version's end, if it has one. */
  readonly end?: VersionEnd;
  /** In a {@link Decision}: the version's last day in force, if it ends. */
  readonly last_day?: DateText;
}

/** One step (办理环节) of the 办理流程. */
export interface GuideStep {
  readonly name: string;
  readonly description?: string;
  /** How long the step takes at most. */
  readonly limit?: Limit;
}

/** 办事指南: what a front end shows beside the decision. Elements the rules leave out are absent. */
export interface Guide {
  /** 办理流程. */
  readonly steps: readonly GuideStep[];
  /** 办理结果. */
  readonly result?: string;
  /** 结果样本. */
  readonly result_sample?: string;
  /** 办理地点. */
  readonly places?: readonly string[];
  /** 办理时间. */
  readonly hours?: string;
  /** 咨询方式. */
  readonly consultation?: readonly string[];
  /** 监督投诉方式. */
  readonly complaints?: readonly string[];
  /** 送达方式. */
  readonly delivery?: readonly string[];
  /** 中介服务; none when absent. */
  readonly intermediary?: readonly string[];
  /** 常见问题. */
  readonly faq?: readonly { readonly question: string; readonly answer: string }[];
  /** Per material: 材料规格, 示范文本 and 空表. */
  readonly materials?: readonly {
    readonly id: string;
    readonly name: string;
    readonly spec?: string;
    readonly sample?: string;
    readonly blank?: string;
  }[];
}

/** Which implementation (实施清单) a matter is, and what it reduced against what it inherits. */
export interface Implementation {
  readonly region: string;
  readonly level: string;
  readonly illustrative: boolean;
  /** A 基本编码, or the 实施编码 of the implementation it narrows. */
  readonly inherits: string;
  /** 业务办理项编码. */
  readonly business_item?: string;
  readonly reduced: readonly string[];
  /** The region's 行政区划代码 (GB/T 2260), where the implementation gives one. */
  readonly region_code?: string;
}

/** A matter's version in force on a date, with its facts schema: enough to build a form. */
export interface MatterView {
  readonly info: MatterInfo;
  readonly version: Version;
  readonly facts: readonly FactDef[];
  /** 办事指南. */
  readonly guide: Guide;
  /** Present for a matter compiled from an implementation file. */
  readonly implementation?: Implementation;
}

export type Status = 'eligible' | 'ineligible' | 'needs_facts';

export interface MatterRef {
  readonly code: string;
  readonly basic_code: string;
  readonly name: string;
  readonly type: string;
  readonly agency: string;
  readonly handling: string;
  /** The region of the implementation decided with; absent for a matter written in one file. */
  readonly region?: string;
  /** 行使层级 of that implementation. */
  readonly level?: string;
  /** Present and `true` when the 实施编码 is a made-up example: show it as such. */
  readonly illustrative?: boolean;
  /** Present (true) when the codes were never checked against the published list. */
  readonly codes_unverified?: true;
}

export interface FailedCondition {
  readonly id: string;
  readonly message: string;
  readonly basis: readonly Citation[];
}

/** A fact still worth asking, in interview order. */
export interface Question {
  /** The key to answer with. */
  readonly fact: string;
  readonly question: string;
  readonly type: FactType;
  readonly options?: readonly string[];
  readonly source: FactSource;
}

export type MaterialStatus = 'submit' | 'exempt' | 'not_applicable' | 'undetermined' | 'deferred' | 'committed';

/** Why an exempt material is not needed (免证办). */
export type Route = 'cancelled' | 'data_sharing' | 'e_licence';

/** A commitment that replaces a proof (告知承诺制). */
export interface Commitment {
  readonly text: string;
  readonly consequence: string;
  /** For a proof promised later: how long after acceptance it is due (see the material's `due`). */
  readonly within?: Limit;
}

export interface MaterialDecision {
  readonly id: string;
  readonly name: string;
  /** 原件, 复印件 or 原件和复印件. */
  readonly form: string;
  /** 纸质, 电子 or 纸质或电子. */
  readonly medium: string;
  readonly copies: number;
  readonly basis: readonly Citation[];
  readonly status: MaterialStatus;
  readonly route?: Route;
  /** For `exempt`: the sharing route, the licence, or the cancelling basis. */
  readonly via?: string;
  readonly issuer?: string;
  readonly note?: string;
  /** 关键材料: the application cannot be accepted without it. */
  readonly key: boolean;
  /** For `deferred`, and `committed` with a proof promised later: the day it must be supplied by. */
  readonly due?: DateText;
  /** Why that day cannot be given (outside the calendar). */
  readonly due_error?: CalendarError;
  /** For `committed`: the commitment signed instead. */
  readonly commitment?: Commitment;
}

export type AcceptanceStatus = 'accepted' | 'accepted_with_deferral' | 'not_accepted' | 'pending';

/** 容缺受理 as the rules allow it. */
export interface Deferral {
  readonly period: Limit;
  readonly commitment: string;
  readonly basis: readonly Citation[];
  readonly materials: readonly string[];
  /** No 容缺 for an applicant with a serious dishonesty record (严重失信). */
  readonly dishonest_excluded?: boolean;
}

/** One line of the one-time notice (一次性告知单). */
export interface NoticeItem {
  readonly id: string;
  readonly name: string;
  readonly form: string;
  readonly medium: string;
  readonly copies: number;
  readonly key: boolean;
  readonly basis: readonly Citation[];
}

/** Whether the application can be accepted with the materials at hand (present when `缺少材料` is answered). */
export interface Acceptance {
  readonly status: AcceptanceStatus;
  /** `ineligible` or `missing_materials`. */
  readonly reason?: string;
  readonly missing: readonly string[];
  readonly deferred: readonly string[];
  readonly deferral?: Deferral;
  /** Why 容缺 was withheld although the missing materials are deferrable. */
  readonly deferral_refused?: string;
  /** Why the deferred materials' due date cannot be given (outside the calendar). */
  readonly due_error?: CalendarError;
  readonly notice?: readonly NoticeItem[];
}

/** 告知承诺制, for matters that offer it. */
export interface CommitmentDecision {
  readonly offered?: boolean;
  readonly chosen?: boolean;
  readonly reason?: string;
  readonly basis: readonly Citation[];
}

export type FeeStatus = 'charged' | 'waived' | 'not_applicable' | 'undetermined';

export interface WaiverLine {
  readonly id: string;
  readonly name: string;
  readonly basis: readonly Citation[];
}

export interface FeeLine {
  readonly id: string;
  readonly name: string;
  readonly status: FeeStatus;
  readonly quantity?: DecimalText;
  readonly unit?: string;
  readonly unit_price?: DecimalText;
  readonly amount?: DecimalText;
  readonly waiver?: WaiverLine;
  readonly reduction?: DecimalText;
  readonly payable?: DecimalText;
  readonly basis: readonly Citation[];
}

/** Fees and waivers, for matters whose rules state them; amounts in yuan, as exact decimal text. */
export interface Fees {
  readonly free: boolean;
  readonly basis: readonly Citation[];
  readonly items: readonly FeeLine[];
  readonly total?: DecimalText;
  readonly rounding: string;
}

/** A day that cannot be counted: outside the official working-day calendar. */
export interface CalendarError {
  readonly kind: 'out_of_range';
  readonly date: DateText;
  readonly first: DateText;
  readonly last: DateText;
}

export interface Due {
  readonly limit: Limit;
  readonly due?: DateText;
  readonly error?: CalendarError;
  /** Present (true) when the limit was never checked against a reachable text. */
  readonly unverified?: true;
}

/** The `[[time_limits]]` route whose limits a deadline was counted with, and why. */
export interface AppliedLimits {
  readonly id: string;
  /** 即办件 or 承诺件 in this route. */
  readonly handling: string;
  readonly reason: string;
  readonly basis: readonly Citation[];
}

/** Why an application not accepted has no deadline (limits run from acceptance). */
export interface NoDeadline {
  readonly reason: 'ineligible' | 'missing_materials';
  readonly message: string;
  readonly basis: readonly Citation[];
}

/** 通办: where an application is handed in and who decides it. */
export interface Routing {
  readonly status: 'local' | 'routed' | 'outside_scope' | 'pending';
  /** 全市, 全省 or 跨省. */
  readonly scope: string;
  readonly distance?: string;
  readonly deciding: string;
  readonly receiving?: string;
  readonly forwarding?: string;
  readonly forwarding_limit?: Limit;
  /** The day the deciding agency has the application; the limits run from it. */
  readonly forwarded_by?: DateText;
  readonly error?: CalendarError;
  readonly basis: readonly Citation[];
}

export interface ExtensionDue {
  readonly limit: Limit;
  readonly approval: string;
  readonly basis: readonly Citation[];
  readonly due?: DateText;
  readonly error?: CalendarError;
}

export interface PauseDecision {
  readonly procedure: string;
  readonly from: DateText;
  readonly to: DateText;
  readonly working_days?: number;
  readonly days: number;
  readonly over_limit: boolean;
  readonly basis: readonly Citation[];
}

/** When the result is due, for an application accepted on the decision date. */
export interface Deadline {
  readonly accepted_on: DateText;
  readonly accepted_on_working_day?: boolean;
  readonly counting_from?: DateText;
  /** The route whose limits apply; absent when the matter's own do. */
  readonly applied?: AppliedLimits;
  readonly promised: Due;
  readonly statutory: Due;
  readonly extension?: ExtensionDue;
  readonly pauses: readonly PauseDecision[];
  /** The notices (国办发明电…) the working days were counted on. */
  readonly calendar: readonly string[];
}

/** Fingerprints that let a counter or server confirm a decision by deciding again. */
export interface Receipt {
  /** The rules' bundle hash. */
  readonly bundle: string;
  /** HMAC-SHA256 of the canonical facts with the receipt key, `hmac-sha256:…`. */
  readonly facts: string;
  /**
   * The receipt key's id (16 hex digits), or `development` for the public development key, with
   * which the facts fingerprint protects nothing.
   */
  readonly key: string;
  /** SHA-256 of the decision's canonical JSON without its receipt. */
  readonly decision: string;
}

/** A decision, exactly as every channel receives it. */
export interface Decision {
  readonly matter: MatterRef;
  readonly version: Version;
  readonly on: DateText;
  readonly status: Status;
  readonly failed: readonly FailedCondition[];
  readonly questions: readonly Question[];
  readonly situations: readonly string[];
  readonly materials: readonly MaterialDecision[];
  readonly acceptance?: Acceptance;
  readonly commitment?: CommitmentDecision;
  readonly fees?: Fees;
  readonly routing?: Routing;
  /** Absent when the application is not accepted: `no_deadline` says why. */
  readonly deadline?: Deadline;
  readonly no_deadline?: NoDeadline;
  readonly receipt?: Receipt;
}

/** A theme (一件事一次办): several matters with one interview, materials list and acceptance. */
export interface ThemeSummary {
  readonly code: string;
  readonly name: string;
  /** The plans that make it one 一件事, article by article. */
  readonly basis: readonly Citation[];
  /** Its matters as the theme names them, prerequisites first: a 基本编码 (decided with the
   *  region's implementation) or a 实施编码. */
  readonly matters: readonly string[];
  /** The regions the theme is offered in, each checked to implement every matter (absent when
   *  the theme file names none). A region not listed that implements them all decides it too. */
  readonly regions?: readonly string[];
}

/** A theme call's date and region. */
export interface ThemeOptions extends DateOptions {
  /**
   * The region whose implementations decide the matters the theme names by 基本编码, e.g.
   * `'咸阳市秦都区'`, or its 行政区划代码 (`'610113'`: 西安市雁塔区, decided with 西安市's
   * implementations, the nearest region enclosing it that has them). Default: the theme's only
   * region; a theme several regions implement needs one (`region_needed`), a region lacking one
   * of its matters is `not_in_region`, two implementations equally near `implementations_tie`.
   */
  readonly region?: string;
}

/** A material of a theme's combined list: `produced` when an earlier matter of the theme grants it. */
export type ThemeMaterialStatus = MaterialStatus | 'produced';

/** One matter's material that a line of the combined list stands for. */
export interface ThemeServe {
  /** The theme's key for the matter. */
  readonly matter: string;
  /** The material's id in that matter. */
  readonly material: string;
  readonly status: MaterialStatus;
  readonly route?: Route;
  readonly basis: readonly Citation[];
}

export interface ThemeMaterial {
  /** The theme file's id, or `<matter key>.<material id>`; `缺少材料` lists these. */
  readonly id: string;
  readonly name: string;
  /** The most demanding form any matter asks. */
  readonly form: string;
  /** 纸质, 电子, 纸质或电子, or 纸质和电子 when matters ask both. */
  readonly medium: string;
  readonly copies: number;
  readonly key: boolean;
  readonly status: ThemeMaterialStatus;
  /** For `produced`: the key of the matter that grants it. */
  readonly produced_by?: string;
  /** For `deferred`: the latest day a matter wants it by. */
  readonly due?: DateText;
  readonly serves: readonly ThemeServe[];
}

export interface ThemeNoticeItem {
  readonly id: string;
  readonly name: string;
  readonly form: string;
  readonly medium: string;
  readonly copies: number;
  readonly key: boolean;
  /** The keys of the matters that need it. */
  readonly matters: readonly string[];
}

/** The one acceptance and its 一次性告知. */
export interface ThemeAcceptance {
  readonly status: AcceptanceStatus;
  readonly reason?: 'ineligible' | 'missing_materials';
  readonly deferred: readonly string[];
  readonly notice?: readonly ThemeNoticeItem[];
}

export interface ThemeMatterDue {
  readonly matter: string;
  readonly promised_from?: DateText;
  readonly promised_due?: DateText;
  readonly statutory_from?: DateText;
  readonly statutory_due?: DateText;
}

/** Parallel matters from the one acceptance, prerequisites end to end; the theme's dates the latest. */
export interface ThemeDeadline {
  readonly accepted_on: DateText;
  readonly promised_due?: DateText;
  readonly statutory_due?: DateText;
  readonly error?: CalendarError;
  readonly matters: readonly ThemeMatterDue[];
}

export interface ThemeFees {
  /** The sum of the matters' totals (yuan, two decimals); absent while one is undetermined. */
  readonly total?: string;
  readonly matters: readonly { readonly matter: string; readonly total?: string }[];
}

/** A theme decision, exactly as every channel receives it. */
export interface ThemeDecision {
  readonly theme: {
    readonly code: string;
    readonly name: string;
    readonly basis: readonly Citation[];
    /** The region decided for; absent when its matters name no region. */
    readonly region?: string;
  };
  readonly on: DateText;
  readonly status: Status;
  /** Each underlying fact once, under the theme's names. */
  readonly questions: readonly Question[];
  /** Each matter's own decision (without its receipt), prerequisites first. */
  readonly matters: readonly { readonly key: string; readonly after: readonly string[]; readonly decision: Decision }[];
  readonly materials: readonly ThemeMaterial[];
  readonly acceptance?: ThemeAcceptance;
  readonly fees: ThemeFees;
  readonly deadline: ThemeDeadline;
  readonly receipt?: Receipt;
}

/** What an interview needs next. */
export interface QuestionsResult {
  readonly status: Status;
  readonly questions: readonly Question[];
}

/**
 * Whether the 受理条件 hold, from the conditions alone: no materials, deadline, fees or receipt.
 * `failed` and `questions` are those a decision would give for the conditions; a decision may
 * still ask more (about materials or fees) where this says `eligible`.
 */
export interface EligibilityResult {
  readonly status: Status;
  readonly failed: readonly FailedCondition[];
  readonly questions: readonly Question[];
}

/** The outcome of deciding again and comparing with a receipt. */
export interface Verification {
  /** True when bundle, facts and decision fingerprints all match. */
  readonly valid: boolean;
  /**
   * The parts that differ; `key` when the receipt was made with another receipt key (or the
   * development key), whose facts fingerprint cannot then be compared.
   */
  readonly mismatches: readonly ('bundle' | 'key' | 'facts' | 'decision')[];
  /** The receipt of the decision made here. */
  readonly receipt: Receipt;
}

/** Which figures `indicators` reports: all when neither is given. */
export interface IndicatorOptions extends DateOptions {
  /** Only this region (its name or its 行政区划代码), with the regions within it. */
  readonly region?: string;
  /** Only this level (行使层级), for example `'县级'`. */
  readonly level?: string;
}

/** What an indicator must reach: at least a percentage, or at least a number of matters. */
export type IndicatorTarget = { readonly percent: number } | { readonly count: number };

/** A plan's clause, quoted. */
export interface PlanClause {
  readonly document: string;
  /** For example `任务1`. */
  readonly clause: string;
  readonly text: string;
}

/** A matter that pulls an indicator below its target, and why. */
export interface IndicatorPull {
  readonly code: string;
  readonly name: string;
  readonly why: string;
}

/** An indicator measured on one region and level (neither: the whole catalogue). A region's
 *  figures take in the regions within it (by 行政区划代码: 610113 lies within 610100), unless
 *  `alone`. */
export interface IndicatorFigure {
  readonly region?: string;
  /** The region's 行政区划代码, where its implementations give one. */
  readonly region_code?: string;
  /** The region's own implementations only (given for a region with regions within it). */
  readonly alone?: true;
  readonly level?: string;
  /** Exact decimal text: matters, materials or steps counted (for 承诺时限压缩, the sum of the matters' compressions). */
  readonly numerator: DecimalText;
  readonly denominator: number;
  /** `numerator / denominator` in percent to one decimal; `null` when there is nothing to measure. */
  readonly percent: DecimalText | null;
  /** `null` when there is nothing to measure. */
  readonly met: boolean | null;
  readonly pulling_down: readonly IndicatorPull[];
  /** How many matters counted rest on an example mark (a 高频 mark without a list); absent for none. */
  readonly illustrative?: number;
}

/** One of the plans' indicators (rules/README.md, "Indicators"). */
export interface Indicator {
  /** `promise-compression`, `at-most-one-visit`, `immediate`, `materials-reduction`, `steps-reduction`, `online`, `fully-online`, `fully-online-baqiao`, `public-service-guides`, `high-frequency-online`. */
  readonly id: string;
  readonly name: string;
  /** What is counted, in one line. */
  readonly measure: string;
  readonly target: IndicatorTarget;
  readonly clause: PlanClause;
  readonly figures: readonly IndicatorFigure[];
}

/** Every indicator, measured on the matters in force on `on`. */
export interface IndicatorReport {
  readonly on: DateText;
  readonly indicators: readonly Indicator[];
}

/** What a `…Json` method returns, once parsed: the answer, or every error. */
export type Envelope<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly errors: readonly ErrorData[] };
export type MattersEnvelope = Envelope<{ readonly matters: readonly MatterSummary[] }>;
export type MatterEnvelope = Envelope<{ readonly matter: MatterView }>;
export type DecideEnvelope = Envelope<{ readonly decision: Decision }>;
export type QuestionsEnvelope = Envelope<QuestionsResult>;
export type EligibilityEnvelope = Envelope<EligibilityResult>;
export type VerifyEnvelope = Envelope<Verification>;
export type ThemesEnvelope = Envelope<{ readonly themes: readonly ThemeSummary[] }>;
export type ThemeDecideEnvelope = Envelope<{ readonly decision: ThemeDecision }>;
export type IndicatorsEnvelope = Envelope<{ readonly indicators: IndicatorReport }>;

/**
 * Rules compiled once from a bundle (the text `banshi bundle` writes), then any number of
 * decisions. Methods throw {@link BanshiError}; the `…Json` methods instead return the core's
 * envelope text (`{"ok":true,…}` or `{"ok":false,"errors":[…]}`) byte for byte as every channel
 * produces it, for logging, forwarding to a server, or comparison.
 *
 * Facts may be an object or JSON text; a receipt may be an object or JSON text.
 */
export class Engine {
  private constructor();
  /**
   * Instantiates the module (once per page or process) and opens the bundle, which must be
   * signed by one of `options.trustedKeys` (see {@link LoadOptions}) unless in development mode.
   * A catalogue (what `banshi bundle` writes) opens from its index: the module holds the index
   * and each matter once first decided, checked against its hash, compiled and kept; the rest
   * stays in the bundle given here (text, or bytes for large catalogues), or, split, is fetched
   * with `options.fetchMatter`.
   */
  static load(bundle: string | Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<Engine>;
  /**
   * Resolves when the module can be called. That is at once, except just after an
   * `internal_error` where the fresh instance is made asynchronously (always in mini-programs,
   * and on old browsers' main thread): until then every call throws `internal_error`. Rejects
   * with a {@link BanshiError} `internal_error` if the module cannot be instantiated again.
   */
  static ready(): Promise<void>;
  /**
   * The module's memory in bytes, for every engine of the page or process together: `inUse`,
   * what the engines' indexes, compiled matters and calls hold now; `peak`, the most they held
   * at once; `size`, the module's linear memory, which WebAssembly never shrinks (its high-water
   * mark; the free part of it is reused by later calls). All 0 before the first `Engine.load`.
   */
  static memory(): { inUse: number; peak: number; size: number };
  /** The bundle's hash, `sha256:…`. */
  readonly hash: string;
  /** Every version of every matter; with `region` (a name or a 行政区划代码), only the
   *  implementations of that region and of the regions within it, by code where both codes are
   *  known (`'西安市'` and `'610100'` list `'西安市雁塔区'`'s, 610113), else by name
   *  (`'西咸新区'` lists `'西咸新区沣东新城'`'s). A catalogue split across files needs every page
   *  of its index first: `await engine.prepare('#')`. */
  matters(options?: { region?: string }): MatterSummary[];
  mattersJson(options?: { region?: string }): string;
  /** The version in force on `on`, with its facts schema. */
  matter(code: string, options?: DateOptions): MatterView;
  matterJson(code: string, options?: DateOptions): string;
  /** The 办事指南 of the version in force on `on`: 办理流程, 办理结果, 办理地点, 办理时间 … */
  guide(code: string, options?: DateOptions): Guide;
  /** Eligibility, materials, deadlines and a receipt. */
  decide(code: string, facts?: Facts | string, options?: DateOptions): Decision;
  decideJson(code: string, facts?: Facts | string, options?: DateOptions): string;
  /** Only the status and the questions still worth asking. */
  questions(code: string, facts?: Facts | string, options?: DateOptions): QuestionsResult;
  questionsJson(code: string, facts?: Facts | string, options?: DateOptions): string;
  /** Only whether the 受理条件 hold: the cheapest call, for a pre-check before an interview. */
  eligibility(code: string, facts?: Facts | string, options?: DateOptions): EligibilityResult;
  eligibilityJson(code: string, facts?: Facts | string, options?: DateOptions): string;
  /** Decides again and compares with a receipt made elsewhere (a phone, a kiosk). */
  verify(code: string, facts: Facts | string, receipt: Receipt | string, options?: DateOptions): Verification;
  verifyJson(code: string, facts: Facts | string, receipt: Receipt | string, options?: DateOptions): string;
  /**
   * Makes sure the rules of the matter in force on `on` are in the module: its page of the
   * catalogue's index and its own file, from the bundle or fetched with `fetchMatter` (split
   * delivery), checked against the catalogue and compiled. A theme's code fetches every version
   * of its matters; `''` every theme's; `'*'` every matter (for {@link Engine.indicators}); `'#'`
   * every page of the index (for {@link Engine.matters}). Resolves at once when they are;
   * rejects with `hash_mismatch` for a page or matter file that is not the catalogue's.
   */
  prepare(code: string, options?: DateOptions): Promise<void>;
  /** The themes (一件事一次办); with `region` (a name or a 行政区划代码), only those offered
   *  there or in a region that encloses it (`'610113'` lists those offered in 西安市). A
   *  catalogue split across files needs every page of its index first: `await engine.prepare('')`. */
  themes(options?: { region?: string }): ThemeSummary[];
  themesJson(options?: { region?: string }): string;
  /**
   * A theme's decision: facts under the theme's names (`缺少材料` lists theme material ids);
   * each matter's decision, the combined materials, one acceptance and 一次性告知, the deadlines.
   */
  decideTheme(code: string, facts?: Facts | string, options?: ThemeOptions): ThemeDecision;
  decideThemeJson(code: string, facts?: Facts | string, options?: ThemeOptions): string;
  /** What a theme's one interview asks next. */
  themeQuestions(code: string, facts?: Facts | string, options?: ThemeOptions): QuestionsResult;
  themeQuestionsJson(code: string, facts?: Facts | string, options?: ThemeOptions): string;
  /**
   * The plans' indicators (承诺时限压缩, 即办件占比, 网上可办率, 全程网办 …) of the matters in force on
   * `on`, per level: the figures `banshi indicators --json` prints.
   */
  indicators(options?: IndicatorOptions): IndicatorReport;
  indicatorsJson(options?: IndicatorOptions): string;
  /** Frees the engine's memory now instead of when it is garbage-collected. */
  free(): void;
}
