// The kiosk vendor's settings. This is the one file a deployment edits: where the rules are,
// which matters the terminal offers, and how the facts the citizen is never asked reach the
// engine: the card reader's electronic licences, the data-sharing platform, the agency's
// records. Every hook may return a value or a Promise of one; `undefined` means "not known
// here", and the result screen then lists that fact for the counter to check.
//
// As shipped, `demo` is true: the data-sharing answers come from the made-up applicant below
// and every screen says 演示数据. A real terminal sets `demo: false` and wires `dataSharing` to
// its government data-sharing gateway (after the citizen's ID card is read).

/** The made-up applicant the demo answers data-sharing questions for, by fact name. */
var DEMO_APPLICANT = {
  // 居民身份证换领, 机动车驾驶证期满换证
  有常住户口: true,
  出生日期: '1985-06-15',
  户籍所在地: '陕西省',
  原证有效期限: '十年',
  原证有效期截止日期: '2026-04-01',
  姓名已办理户口变更登记: true,
  驾驶证状态: '正常',
  驾驶证有效期限: '六年',
  驾驶证有效期截止日期: '2026-04-15',
  准驾车型: ['C1'],
  有效期内记满12分: false,
  已通过三力测试: true,
  // 失业保险金申领
  失业保险累计缴费月数: 36,
  已办理失业登记: true,
  // 出版物零售业务经营许可
  已完成工商注册登记: true,
  经营范围含出版物零售: true,
  严重失信: false,
  // 国有建设用地使用权及房屋所有权转移登记（存量房买卖）
  已取得不动产权属证书: true,
  共有方式: '单独所有',
  已被查封或限制: false,
  已设定抵押: false,
  约定禁止或限制转让: false,
  买卖合同已网签备案: true,
  已缴纳契税: true,
  出卖人个人所得税已完税或免征: true,
  房屋规划用途: '住宅',
};

export default {
  /**
   * The rules bundle, signed by the publishing agency (`banshi bundle rules -o
   * rules.bundle.json --sign KEYFILE`), beside index.html.
   */
  bundle: './rules.bundle.json',

  /**
   * The public keys (64 hex digits each) of the agencies whose signed bundles this terminal
   * loads: a bundle signed by none of them, unsigned, or whose rules were edited after signing is
   * refused, and the terminal sends the citizen to a counter. As shipped: the repository's TEST
   * key (tests/keys/), which anyone can sign with. A deployment puts its agency's key here.
   */
  trustedKeys: ['1cca221c8ec6073393a7ba59cd3a508cbb46bd964484cbc22a81364c6e08b780'],

  /**
   * The deployment's receipt key (64 hex digits, `banshi keygen --receipt`), shared with the
   * servers that verify the receipts this terminal prints. As shipped: the repository's TEST
   * receipt key, which protects nothing. A deployment puts its own here.
   */
  receiptKey: '14ef35eaaa701ed0dc9e115171e8569b885925820c41768c5b38e13a84c418e6',

  /**
   * Development mode: unsigned bundles load, and receipts without a receipt key are made with
   * the public development key. Never on a terminal in service.
   */
  development: false,

  /**
   * The matters offered, by 实施编码, in this order; `null` offers every matter the bundle has
   * in force today. A 公安 hall would list only its own.
   */
  matters: null,

  /**
   * The themes offered (一件事一次办: several matters with one interview and one checklist), by
   * code, in this order; `null` offers every theme the bundle has in this terminal's region.
   */
  themes: null,

  /**
   * The terminal's region (行政区划, as implementations name it): a theme is decided with this
   * region's implementations of its matters and offered only where the region implements them
   * all. `null` offers every theme and decides each in its only region.
   */
  region: '西安市',

  /**
   * The region the terminal serves: only its implementations (实施清单) are offered, and those
   * of the regions within it. `null` offers every region's.
   */
  region: '西安市',

  /** Seconds without a touch before the terminal clears everything and returns to the start. */
  idleSeconds: 120,

  /** Shows 演示数据 on every screen and answers data-sharing questions for DEMO_APPLICANT. */
  demo: true,

  /**
   * The electronic licences found for a holder (facts of source `e_licence`: 电子证照,
   * 代理人电子证照, 出卖人电子证照, …). The citizen is never asked. Without a card reader, or
   * when it finds nothing, the list is empty, and every material a licence could replace is
   * listed for submission. A reader that found a licence returns its names, as the fact's
   * options spell them (['居民身份证', '营业执照']).
   * @param {string} matter 实施编码
   * @param {{fact: string, question: string, options?: string[]}} question
   */
  eLicences: function (matter, question) {
    return [];
  },

  /**
   * Facts the agency finds on the data-sharing platform (source `data_sharing`): return the
   * value, or `undefined` when the platform does not know it.
   */
  dataSharing: function (matter, question) {
    return this.demo ? DEMO_APPLICANT[question.fact] : undefined;
  },

  /**
   * Facts only the agency records (source `agency`), such as 特别程序 (clock stops): at
   * application none has started.
   */
  agency: function (matter, question) {
    return question.type === 'procedures' ? [] : undefined;
  },
};
