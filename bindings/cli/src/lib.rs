//! The library behind the `banshi` command: the rules built into the binary, synthetic
//! applications, impact reports, key files, working-day arithmetic, and the authors' tools: case
//! runs and snapshots (`banshi test`), rule diffs (`banshi diff`) and editor schemas. Reading rule files is
//! `banshi-loader`'s.

pub mod builtin;
pub mod cases;
pub mod diff;
pub mod generate;
pub mod impact;
pub mod indicators;
pub mod keys;
pub mod lint;
pub mod lists;
pub mod preview;
pub mod schema;
pub mod workdays;
