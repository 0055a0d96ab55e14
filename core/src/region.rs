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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn only_6_9_or_12_digits_are_codes() {
        assert!(is_code("610100") && is_code("610113001") && is_code("610113001001"));
        assert!(!is_code("6101") && !is_code("6101000") && !is_code("61010a"));
        assert!(!is_code("000000"));
    }
}
