// `banshi/labels`: the Chinese label of every code a decision or an error carries, for front
// ends to show instead of the English codes. Plain data, no WebAssembly: importing it loads
// nothing else. A test (bindings/server/tests/labels.rs) fails when the core or a channel adds a
// code that has no label here.

/** A decision's `status`. */
export const STATUS_LABELS = Object.freeze({
  eligible: '符合受理条件',
  ineligible: '不符合受理条件',
  needs_facts: '还需补充信息',
});

/** A material's `status`. */
export const MATERIAL_STATUS_LABELS = Object.freeze({
  submit: '需提交',
  exempt: '免提交',
  not_applicable: '不适用',
  undetermined: '待确定',
  deferred: '容缺后补',
  committed: '告知承诺',
});

/** Why an exempt material need not be brought (免证办): its `route`. */
export const ROUTE_LABELS = Object.freeze({
  cancelled: '直接取消',
  data_sharing: '数据共享',
  e_licence: '电子证照',
});

/** `acceptance.status`: whether the application can be accepted with the materials at hand. */
export const ACCEPTANCE_LABELS = Object.freeze({
  accepted: '材料齐全，可以受理',
  accepted_with_deferral: '可以容缺受理',
  not_accepted: '暂不能受理',
  pending: '材料是否齐全还需确定',
});

/** A fee item's `status`. */
export const FEE_STATUS_LABELS = Object.freeze({
  charged: '收费',
  waived: '免收',
  not_applicable: '不适用',
  undetermined: '待确定',
});

/** A question's `source`: who supplies the answer. */
export const SOURCE_LABELS = Object.freeze({
  applicant: '申请人填写',
  data_sharing: '数据共享核验',
  e_licence: '电子证照读取',
  agency: '办理机关填写',
});

/** An error's `code`, from the core, the package or `banshi serve`. */
export const ERROR_LABELS = Object.freeze({
  // The facts
  invalid_json: '数据格式错误',
  not_an_object: '数据格式错误',
  too_large: '数据过大',
  unknown_fact: '不认识的信息项',
  wrong_type: '填写的类型不对',
  not_an_option: '不是可选的选项',
  invalid_date: '日期无效',
  invalid_number: '数字无效',
  not_integer: '须填写整数',
  out_of_range: '超出允许的范围',
  invalid_format: '格式不正确',
  repeated: '重复填写',
  asked_as: '该信息在主题中用统一名称填写',
  // The matter and the decision
  unknown_matter: '没有这个事项',
  unknown_theme: '没有这个主题（一件事）',
  not_in_region: '本地区未实施该主题（一件事）中的事项',
  region_needed: '请选择办理地区',
  no_implementation: '本地区及其上级地区均未实施该事项',
  implementations_tie: '本地区适用的实施清单不唯一，请联系办理机构',
  unknown_region: '无法识别该地区，请填写行政区划代码',
  invalid_filter: '地区或层级的筛选条件无效',
  not_in_force: '该日期没有施行中的办事规则',
  ended: '该事项已取消或下放，不再按本规则办理',
  overflow: '数值过大，无法计算',
  serialize: '结果无法输出',
  // The rules bundle and the load options
  invalid_rules: '办事规则有误',
  hash_mismatch: '规则包已被改动（哈希不符）',
  bundle_format: '规则包版本不符',
  not_loaded: '该事项的规则尚未载入',
  unavailable: '该事项的规则文件无法读取',
  invalid_bundle: '不是有效的规则包',
  unsigned: '规则包未签名',
  untrusted_key: '规则包的签名者不受信任',
  bad_signature: '规则包签名无效',
  invalid_options: '加载选项有误',
  no_receipt_key: '缺少回执密钥',
  // Receipts
  invalid_receipt: '回执无效',
  invalid_decision: '决定无效',
  // The package and the mini-program
  unknown: '未知错误',
  unknown_call: '不支持的调用',
  internal_error: '系统内部错误，请重试',
  wasm_unavailable: '当前环境不支持 WebAssembly',
  // `banshi serve`
  timeout: '请求超时',
  not_found: '没有这个接口',
  method_not_allowed: '请求方法不对',
  unauthorized: '未获授权',
  unreadable: '规则文件无法读取',
});

/** The label of an error code; codes added after this package was built read `出错了`. */
export function errorLabel(code) {
  return Object.prototype.hasOwnProperty.call(ERROR_LABELS, code) ? ERROR_LABELS[code] : '出错了';
}
