//! The WebAssembly build of banshi's rules core (a thin shell until the wasm work lands).
#![no_std]

pub use banshi_core;
