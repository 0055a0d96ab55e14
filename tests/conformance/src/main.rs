//! Placeholder: the corpus generator lands next.

fn main() {}
