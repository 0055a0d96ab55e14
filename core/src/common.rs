//! Leaf types every rule family shares: shared texts, legal citations and time limits.

use serde::{Deserialize, Serialize};

/// Text shared between the compiled rules and every decision made from them: cloning it into a
/// decision is a reference-count increment, not an allocation.
pub type Text = alloc::sync::Arc<str>;

/// A legal-basis citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The document.
    pub document: Text,
    /// The article.
    pub article: Text,
    /// The text cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Text>,
    /// Whether the citation was never checked against a reachable text (no `verified` mark in
    /// the rule file): a decision resting on it says so.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub unverified: bool,
}

/// Citations shared by the compiled rules and the decisions made from them.
pub type Citations = alloc::sync::Arc<[Citation]>;

/// Citations as decisions give them: document and article, without the excerpt.
pub(crate) fn short_citations(basis: &[Citation], ids: &[usize]) -> Citations {
    ids.iter()
        .filter_map(|&i| basis.get(i))
        .map(|c| Citation {
            document: c.document.clone(),
            article: c.article.clone(),
            excerpt: None,
            unverified: c.unverified,
        })
        .collect()
}

/// The full citations numbered `ids` among a matter's `[[basis]]`.
pub(crate) fn citations(basis: &[Citation], ids: &[usize]) -> alloc::vec::Vec<Citation> {
    ids.iter().filter_map(|&i| basis.get(i).cloned()).collect()
}

/// A time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Working days on the official calendar.
    WorkingDays(u32),
    /// Natural days.
    Days(u32),
}

/// Serde for an optional decimal as a JSON string (`"80.00"`), pinned here rather than left to
/// rust_decimal's own `Serialize`: a crate elsewhere in a server's build could turn that into
/// JSON numbers (rust_decimal's `serde-float` feature) and so change every decision's bytes and
/// receipt. Used as `#[serde(default, with = "crate::common::decimal_text")]`; `default` makes a
/// missing field read as `None`, which `with` alone would refuse.
pub(crate) mod decimal_text {
    pub use rust_decimal::serde::str_option::{deserialize, serialize};
}

/// Sorts `items` stably by `cmp`. Every caller shares one sort, of indices (the WebAssembly
/// module carries a copy of the standard sort for each type sorted, about 5 KB each); only the
/// moving of the items into their order is made per type.
pub(crate) fn sort_by<T>(
    items: &mut alloc::vec::Vec<T>,
    cmp: &dyn Fn(&T, &T) -> core::cmp::Ordering,
) {
    let order = {
        let items: &[T] = items;
        sorted_order(items.len(), &|a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => core::cmp::Ordering::Equal,
        })
    };
    let mut slots: alloc::vec::Vec<Option<T>> =
        core::mem::take(items).into_iter().map(Some).collect();
    for i in order {
        if let Some(item) = slots.get_mut(i).and_then(Option::take) {
            items.push(item);
        }
    }
}

/// The indices `0..len` in the stable order `cmp` gives them.
pub(crate) fn sorted_order(
    len: usize,
    cmp: &dyn Fn(usize, usize) -> core::cmp::Ordering,
) -> alloc::vec::Vec<usize> {
    let mut order: alloc::vec::Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_sort_is_stable() {
        let mut items = alloc::vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut items, &|x, y| x.0.cmp(&y.0));
        assert_eq!(
            items,
            alloc::vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]
        );
        assert_eq!(sorted_order(3, &|a, b| b.cmp(&a)), alloc::vec![2, 1, 0]);
    }
}
