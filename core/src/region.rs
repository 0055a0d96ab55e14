//! Regions by their 行政区划代码, and which regions lie within which.
//!
//! A code is GB/T 2260's six digits: two for the province (省), two for the city (地级市), two for
//! the county (县、区); 统计用区划代码 adds three for the township (乡、镇、街道) and three for the
//! village (村), twelve digits in all. A region's code ends in zeros for the parts below it:
//! 陕西省 is 610000, 西安市 610100, 西安市雁塔区 610113. So a region lies within another when
//! its code begins with the other's significant digits (the code without those trailing zero
//! parts) and has more of them: 610113 lies within 610100 and within 610000, 610100 within
//! 610000, and no code within itself.
//!
//! ```
//! use banshi_core::region::{is_code, within};
//! assert!(within("610113", "610100"));
//! assert!(within("610113", "610000"));
//! assert!(!within("610100", "610100"));
//! assert!(!within("610402", "610100"));
//! assert!(is_code("610113") && !is_code("61011") && !is_code("000000"));
//! ```
//!
//! # A region's implementation of a matter
//!
//! A decision for a region (a name, or a code) takes, of a base item's implementations, the one
//! of the nearest region that encloses it: the region itself, else its county, city, province.
//! A name becomes a code through the catalogue: the `region_code` its implementations give for
//! that `region` (one code a name, checked when the catalogue is built). A name no
//! implementation gives a code for (西咸新区沣东新城, not a division of GB/T 2260) is matched
//! exactly, as is any name when the catalogue names it exactly; a name the catalogue does not
//! know and that is not a code is refused. Two implementations equally near, or none that
//! encloses the region, are refused too: the decision never guesses.

use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::common::Text;

/// Where each part of a code ends: 省, 市, 县, 乡, 村.
const PARTS: [usize; 5] = [2, 4, 6, 9, 12];

/// Whether `code` is a 行政区划代码: 6, 9 or 12 ASCII digits, not all zero.
pub fn is_code(code: &str) -> bool {
    matches!(code.len(), 6 | 9 | 12)
        && code.bytes().all(|b| b.is_ascii_digit())
        && code.bytes().any(|b| b != b'0')
}

/// The code without the zero parts below its region: `6101` for 610100, `61` for 610000.
pub fn significant(code: &str) -> &str {
    PARTS
        .iter()
        .filter(|&&end| end <= code.len())
        .find(|&&end| {
            code.get(end..)
                .is_some_and(|rest| rest.bytes().all(|b| b == b'0'))
        })
        .and_then(|&end| code.get(..end))
        .unwrap_or(code)
}

/// Whether the region coded `inner` lies within the region coded `outer` (never itself).
pub fn within(inner: &str, outer: &str) -> bool {
    let (inner, outer) = (significant(inner), significant(outer));
    inner.len() > outer.len() && inner.starts_with(outer)
}

/// Where each base item is implemented and which code each region name has: built once per rule
/// set from its index, then each look-up is a binary search.
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// (基本编码, entry number) of every matter version, sorted.
    by_base: Vec<(Text, usize)>,
    /// (region name, its code) of every region an implementation names, sorted, one a name
    /// (a name given two codes keeps none: it is matched by name only).
    names: Vec<(Text, Option<Text>)>,
}

/// How a region given to a decision is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known<'a> {
    /// A 行政区划代码, given as one or as the name of a region that has it.
    Code(&'a str),
    /// A name the catalogue's implementations give, without a code: matched exactly.
    Name,
    /// Neither a name the catalogue knows nor a code.
    Unknown,
}

/// Why no implementation serves a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Miss {
    /// None is in the region or in one that encloses it.
    None,
    /// Two, with these 实施编码, are equally near.
    Tie(Text, Text),
}

impl Places {
    /// The places of `entries`: each one's number, 基本编码, region and region code.
    pub fn new<'a>(
        entries: impl Iterator<Item = (usize, &'a Text, Option<&'a Text>, Option<&'a Text>)>,
    ) -> Places {
        type Row<'a> = (usize, &'a Text, Option<&'a Text>, Option<&'a Text>);
        let rows: Vec<Row<'a>> = entries.collect();
        // The core's one shared sort, of indices: sorting each type with the standard sort would
        // add a copy of the sorting code to the WebAssembly module.
        let by = |key: &dyn Fn(&Row<'a>, &Row<'a>) -> Ordering| {
            crate::common::sorted_order(rows.len(), &|a, b| match (rows.get(a), rows.get(b)) {
                (Some(x), Some(y)) => key(x, y),
                _ => Ordering::Equal,
            })
        };
        // Stable: a base's entries stay in number order.
        let by_base = by(&|x, y| x.1.cmp(y.1))
            .into_iter()
            .filter_map(|i| rows.get(i).map(|r| (r.1.clone(), r.0)))
            .collect();
        let mut names: Vec<(Text, Option<Text>)> = Vec::new();
        for i in by(&|x, y| (x.2, x.3).cmp(&(y.2, y.3))) {
            let Some(&(_, _, Some(name), code)) = rows.get(i) else {
                continue;
            };
            match names.last_mut() {
                // A name given two codes (a catalogue not built by `banshi bundle`) keeps none.
                Some((last, known)) if *last == *name => {
                    if known.as_ref() != code {
                        *known = None;
                    }
                }
                _ => names.push((name.clone(), code.cloned())),
            }
        }
        Places { by_base, names }
    }

    /// The entry numbers of every version of every matter of `base`, ascending.
    pub fn implementations<'a>(&'a self, base: &'a str) -> impl Iterator<Item = usize> + 'a {
        let from = self.by_base.partition_point(|(b, _)| **b < *base);
        self.by_base
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(b, _)| **b == *base)
            .map(|&(_, n)| n)
    }

    /// How `region` is known: a code as given, a name by the code its implementations give.
    pub fn known<'a>(&'a self, region: &'a str) -> Known<'a> {
        if is_code(region) {
            return Known::Code(region);
        }
        let at = self.names.partition_point(|(name, _)| **name < *region);
        match self.names.get(at) {
            Some((name, Some(code))) if **name == *region => Known::Code(code),
            Some((name, None)) if **name == *region => Known::Name,
            _ => Known::Unknown,
        }
    }
}

/// Of `candidates` (each implementation version's 实施编码, region and region code), the one
/// for `region`, known as `known`: the region's own (same name, or same code), else the one of
/// the nearest region that encloses it.
pub(crate) fn nearest<'a>(
    region: &str,
    known: Known<'_>,
    candidates: impl Iterator<Item = (&'a Text, Option<&'a Text>, Option<&'a Text>)>,
) -> Result<&'a Text, Miss> {
    // (how near: the enclosing region's significant digits, the region's own above all; 实施编码)
    let mut best: Option<(usize, &Text)> = None;
    let mut tie: Option<&Text> = None;
    for (code, name, region_code) in candidates {
        let near = if name.is_some_and(|n| **n == *region) {
            usize::MAX
        } else {
            match (known, region_code) {
                (Known::Code(wanted), Some(c)) if significant(c) == significant(wanted) => {
                    usize::MAX
                }
                (Known::Code(wanted), Some(c)) if within(wanted, c) => significant(c).len(),
                _ => continue,
            }
        };
        match best {
            Some((b, _)) if b > near => {}
            Some((b, found)) if b == near => {
                if *found != *code {
                    tie = Some(code);
                }
            }
            _ => {
                best = Some((near, code));
                tie = None;
            }
        }
    }
    match (best, tie) {
        (Some((_, a)), Some(b)) => Err(Miss::Tie(a.clone(), b.clone())),
        (Some((_, found)), None) => Ok(found),
        (None, _) => Err(Miss::None),
    }
}

/// Whether the region coded `inner` is the region coded `outer` (610100 and 610100000 are one)
/// or lies within it.
pub fn lies_in(inner: &str, outer: &str) -> bool {
    significant(inner) == significant(outer) || within(inner, outer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn places() -> Places {
        let t = |s: &str| -> Text { s.into() };
        let rows: Vec<(usize, Text, Option<Text>, Option<Text>)> = alloc::vec![
            (0, t("B1"), Some(t("西安市")), Some(t("610100"))),
            (1, t("B1"), Some(t("西安市")), Some(t("610100"))),
            (2, t("B1"), Some(t("咸阳市")), Some(t("610400"))),
            (3, t("B1"), Some(t("咸阳市秦都区")), Some(t("610402"))),
            (4, t("B2"), Some(t("西咸新区沣东新城")), None),
            (5, t("B3"), None, None),
            // Two codes for one name: neither is trusted.
            (6, t("B4"), Some(t("某市")), Some(t("610100"))),
            (7, t("B4"), Some(t("某市")), Some(t("610200"))),
        ];
        Places::new(
            rows.iter()
                .map(|(n, b, r, c)| (*n, b, r.as_ref(), c.as_ref())),
        )
    }

    #[test]
    fn names_become_codes_through_the_catalogue() {
        let p = places();
        assert_eq!(p.known("西安市"), Known::Code("610100"));
        assert_eq!(p.known("610113"), Known::Code("610113"));
        assert_eq!(p.known("西咸新区沣东新城"), Known::Name);
        assert_eq!(p.known("某市"), Known::Name);
        assert_eq!(p.known("西安市雁塔区"), Known::Unknown);
        assert_eq!(p.implementations("B1").collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(p.implementations("B3").collect::<Vec<_>>(), [5]);
        assert_eq!(p.implementations("B0").count(), 0);
    }

    #[test]
    fn the_nearest_enclosing_implementation_serves_a_region() {
        let t = |s: &str| -> Text { s.into() };
        let rows: Vec<(Text, Option<Text>, Option<Text>)> = alloc::vec![
            (t("XA"), Some(t("西安市")), Some(t("610100"))),
            (t("XY"), Some(t("咸阳市")), Some(t("610400"))),
            (t("QD"), Some(t("咸阳市秦都区")), Some(t("610402"))),
            (t("SX"), Some(t("陕西省")), Some(t("610000"))),
            (t("FD"), Some(t("西咸新区沣东新城")), None),
        ];
        let pick = |region: &str, known| {
            nearest(
                region,
                known,
                rows.iter().map(|(c, n, r)| (c, n.as_ref(), r.as_ref())),
            )
            .map(|c| c.to_string())
        };
        // 雁塔区 lies within 西安市: the city's list applies there.
        assert_eq!(pick("610113", Known::Code("610113")).as_deref(), Ok("XA"));
        // 秦都区's own wins over 咸阳市's; 咸阳市's other districts get the city's.
        assert_eq!(pick("610402", Known::Code("610402")).as_deref(), Ok("QD"));
        assert_eq!(pick("610404", Known::Code("610404")).as_deref(), Ok("XY"));
        // A region by name, and a village code, resolve the same way.
        assert_eq!(
            pick("咸阳市秦都区", Known::Code("610402")).as_deref(),
            Ok("QD")
        );
        assert_eq!(
            pick("610402001001", Known::Code("610402001001")).as_deref(),
            Ok("QD")
        );
        // Elsewhere in the province: the province's.
        assert_eq!(pick("610300", Known::Code("610300")).as_deref(), Ok("SX"));
        // A name without a code: exactly, and nothing else.
        assert_eq!(pick("西咸新区沣东新城", Known::Name).as_deref(), Ok("FD"));
        assert_eq!(pick("西咸新区", Known::Unknown), Err(Miss::None));
        // Another province: nothing encloses it.
        assert_eq!(pick("620100", Known::Code("620100")), Err(Miss::None));
        let tied = [
            (t("A"), Some(t("西安市")), Some(t("610100"))),
            (t("A"), Some(t("西安市")), Some(t("610100"))),
            (t("B"), Some(t("西安市")), Some(t("610100"))),
        ];
        assert_eq!(
            nearest(
                "610113",
                Known::Code("610113"),
                tied.iter().map(|(c, n, r)| (c, n.as_ref(), r.as_ref()))
            ),
            Err(Miss::Tie(t("A"), t("B")))
        );
        // A nearer one settles a tie further out.
        let settled = [
            (t("A"), Some(t("陕西省")), Some(t("610000"))),
            (t("B"), Some(t("陕西省")), Some(t("610000"))),
            (t("C"), Some(t("西安市")), Some(t("610100"))),
        ];
        assert_eq!(
            nearest(
                "610113",
                Known::Code("610113"),
                settled.iter().map(|(c, n, r)| (c, n.as_ref(), r.as_ref()))
            ),
            Ok(&t("C"))
        );
    }

    #[test]
    fn codes_nest_by_their_significant_digits() {
        assert_eq!(significant("610000"), "61");
        assert_eq!(significant("610100"), "6101");
        assert_eq!(significant("610113"), "610113");
        assert_eq!(significant("610113001000"), "610113001");
        assert!(within("610113001", "610113"));
        assert!(within("610113001", "610100"));
        assert!(!within("610100000", "610100"));
        // 咸阳市秦都区 lies within 咸阳市, not 西安市; 610110 is not within 610100's 610113.
        assert!(within("610402", "610400"));
        assert!(!within("610402", "610100"));
        assert!(!within("610110", "610113"));
        assert!(!within("610000", "610100"));
        assert!(lies_in("610100000", "610100") && lies_in("610113", "610100"));
        assert!(!lies_in("610100", "610113"));
    }

    #[test]
    fn only_6_9_or_12_digits_are_codes() {
        assert!(is_code("610100") && is_code("610113001") && is_code("610113001001"));
        assert!(!is_code("6101") && !is_code("6101000") && !is_code("61010a"));
        assert!(!is_code("000000"));
    }
}
