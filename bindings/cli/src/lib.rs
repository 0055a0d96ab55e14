//! The library behind the `banshi` command: loading rule files from TOML, locating problems
//! as `file:line:col`, and the rules built into the binary.

pub mod generate;
pub mod impact;
pub mod load;
pub mod workdays;
