// Types of `banshi/labels` (src/labels.js): the Chinese label of every code.
import type { AcceptanceStatus, FactSource, FeeStatus, MaterialStatus, Route, Status } from './index.js';

/** A decision's `status`. */
export declare const STATUS_LABELS: Readonly<Record<Status, string>>;
/** A material's `status`. */
export declare const MATERIAL_STATUS_LABELS: Readonly<Record<MaterialStatus, string>>;
/** Why an exempt material need not be brought: its `route`. */
export declare const ROUTE_LABELS: Readonly<Record<Route, string>>;
/** `acceptance.status`. */
export declare const ACCEPTANCE_LABELS: Readonly<Record<AcceptanceStatus, string>>;
/** A fee item's `status`. */
export declare const FEE_STATUS_LABELS: Readonly<Record<FeeStatus, string>>;
/** A question's `source`. */
export declare const SOURCE_LABELS: Readonly<Record<FactSource, string>>;
/** Every error code of the core, the package and `banshi serve`. */
export type ErrorCode =
  | 'invalid_json' | 'not_an_object' | 'too_large' | 'unknown_fact' | 'wrong_type'
  | 'not_an_option' | 'invalid_date' | 'invalid_number' | 'not_integer' | 'out_of_range'
  | 'invalid_format' | 'repeated' | 'unknown_matter' | 'not_in_force' | 'overflow' | 'serialize'
  | 'invalid_rules' | 'hash_mismatch' | 'bundle_format' | 'not_loaded' | 'unavailable' | 'invalid_bundle' | 'unsigned'
  | 'untrusted_key' | 'bad_signature' | 'invalid_options' | 'no_receipt_key' | 'invalid_receipt'
  | 'invalid_decision' | 'unknown' | 'internal_error' | 'wasm_unavailable' | 'timeout' | 'not_found'
  | 'method_not_allowed' | 'unauthorized' | 'unreadable' | 'ended' | 'asked_as' | 'unknown_theme'
  | 'unknown_call' | 'invalid_filter' | 'not_in_region' | 'region_needed' | 'no_implementation'
  | 'implementations_tie' | 'unknown_region';
/** An error's `code` → its label. */
export declare const ERROR_LABELS: Readonly<Record<ErrorCode, string>>;
/** The label of an error code; an unknown code reads `出错了`. */
export declare function errorLabel(code: string): string;
