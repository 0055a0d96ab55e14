//! The library behind the `banshi` command: the rules built into the binary, synthetic
//! applications, impact reports, key files and working-day arithmetic. Reading rule files is
//! `banshi-loader`'s.

pub mod builtin;
pub mod generate;
pub mod impact;
pub mod indicators;
pub mod keys;
pub mod lint;
pub mod lists;
pub mod workdays;
