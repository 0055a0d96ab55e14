//! The check characters of the two identifiers a text fact can be declared to hold
//! ([`TextFormat`](super::TextFormat)): the one place they are computed, for the core's
//! validation and for every generator of test data.
//!
//! - 居民身份证号码, GB 11643-1999 (公民身份号码): 17 digits (6 region, 8 birth date
//!   `YYYYMMDD`, 3 serial) and a check character by ISO 7064 MOD 11-2: the digits weighted by
//!   2^(18-i) mod 11 (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), the sum taken mod 11, and that
//!   remainder mapped through `10X98765432`.
//! - 统一社会信用代码, GB 32100-2015 (法人和其他组织统一社会信用代码编码规则): 17 symbols of
//!   the 31-symbol alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z), each worth its
//!   position in it, weighted by 3^(i-1) mod 31 (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28);
//!   the check symbol is worth `31 - sum mod 31`, and 0 when that is 31.

/// The weights of the 17 digits of a 居民身份证号码 (GB 11643-1999, ISO 7064 MOD 11-2).
pub const ID_NUMBER_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character of a 居民身份证号码 for each remainder of the weighted sum mod 11.
pub const ID_NUMBER_CHECK: &[u8; 11] = b"10X98765432";

/// The 31 symbols of a 统一社会信用代码, in the order of their values (GB 32100-2015).
pub const CREDIT_CODE_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of the first 17 symbols of a 统一社会信用代码 (GB 32100-2015).
pub const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The check character (`0`–`9` or `X`) of a 居民身份证号码 whose first 17 characters are
/// `first17`; `None` unless they are exactly 17 ASCII digits. The birth date is not looked at.
pub fn id_number_check(first17: &[u8]) -> Option<u8> {
    if first17.len() != ID_NUMBER_WEIGHTS.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (&byte, weight) in first17.iter().zip(ID_NUMBER_WEIGHTS) {
        if !byte.is_ascii_digit() {
            return None;
        }
        sum = sum.saturating_add(u32::from(byte.saturating_sub(b'0')).saturating_mul(weight));
    }
    ID_NUMBER_CHECK.get((sum % 11) as usize).copied()
}

/// The value (0–30) of one symbol of a 统一社会信用代码: its position in
/// [`CREDIT_CODE_ALPHABET`]; `None` for anything else (lower case included).
pub fn credit_code_value(symbol: u8) -> Option<u32> {
    CREDIT_CODE_ALPHABET
        .iter()
        .position(|&a| a == symbol)
        .and_then(|p| u32::try_from(p).ok())
}

/// The symbol of [`CREDIT_CODE_ALPHABET`] worth `value` mod 31.
pub fn credit_code_symbol(value: usize) -> u8 {
    CREDIT_CODE_ALPHABET
        .get(value % 31)
        .copied()
        .unwrap_or(b'0')
}

/// The check character of a 统一社会信用代码 whose first 17 characters are `first17`; `None`
/// unless they are exactly 17 symbols of [`CREDIT_CODE_ALPHABET`].
pub fn credit_code_check(first17: &[u8]) -> Option<u8> {
    if first17.len() != CREDIT_CODE_WEIGHTS.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (&byte, weight) in first17.iter().zip(CREDIT_CODE_WEIGHTS) {
        sum = sum.saturating_add(credit_code_value(byte)?.saturating_mul(weight));
    }
    let rest = 31u32.saturating_sub(sum.checked_rem(31)?).checked_rem(31)?;
    Some(credit_code_symbol(usize::try_from(rest).ok()?))
}

/// Whether `text` is 18 characters whose last is the check character of the first 17, by
/// `check` ([`id_number_check`] or [`credit_code_check`]).
pub(crate) fn ends_in_check(text: &[u8], check: fn(&[u8]) -> Option<u8>) -> bool {
    match text.split_last() {
        Some((&last, first17)) => check(first17) == Some(last),
        None => false,
    }
}

/// A 居民身份证号码 with its GB 11643-1999 check character: region (taken mod 10^6), birth date
/// (years clamped to four digits) and serial (taken mod 1000), as test data needs them.
pub fn id_number(region: u32, birth: chrono::NaiveDate, serial: u32) -> alloc::string::String {
    use chrono::Datelike;
    let body = alloc::format!(
        "{:06}{:04}{:02}{:02}{:03}",
        region.rem_euclid(1_000_000),
        birth.year().clamp(1000, 9999),
        birth.month(),
        birth.day(),
        serial.rem_euclid(1000)
    );
    let check = id_number_check(body.as_bytes()).unwrap_or(b'0');
    alloc::format!("{body}{}", char::from(check))
}

/// A 统一社会信用代码 from 17 symbols (values, taken mod 31, of [`CREDIT_CODE_ALPHABET`]) and
/// its GB 32100-2015 check character.
pub fn credit_code(symbols: &[usize]) -> alloc::string::String {
    let mut code: alloc::vec::Vec<u8> = symbols
        .iter()
        .take(17)
        .map(|&s| credit_code_symbol(s))
        .collect();
    code.extend(credit_code_check(&code));
    code.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked examples of the two standards, and each with its last character changed.
    ///
    /// GB 11643-1999, 11010519491231002X: the weighted sum 1×7 + 1×9 + 0×10 + 1×5 + 0×8 + 5×4 +
    /// 1×2 + 9×1 + 4×6 + 9×3 + 1×7 + 2×9 + 3×10 + 1×5 + 0×8 + 0×4 + 2×2 is 167, 167 mod 11 = 2,
    /// and position 2 of `10X98765432` is X.
    ///
    /// GB 32100-2015, 91350100M000100Y43: with M = 21 and Y = 30 the weighted sum is
    /// 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640, 1640 mod 31 = 28, and 31 − 28 = 3.
    #[test]
    fn the_examples_of_the_standards() {
        let id: fn(&[u8]) -> Option<u8> = id_number_check;
        let credit: fn(&[u8]) -> Option<u8> = credit_code_check;
        for (check, code, wrong) in [
            (id, "11010519491231002X", "110105194912310021"),
            (credit, "91350100M000100Y43", "91350100M000100Y44"),
        ] {
            let (first17, last) = code.as_bytes().split_at(17);
            assert_eq!(check(first17), last.first().copied(), "{code}");
            assert!(ends_in_check(code.as_bytes(), check), "{code}");
            assert!(!ends_in_check(wrong.as_bytes(), check), "{wrong}");
        }
    }

    /// Changing the serial's last digit by one moves the weighted sum by 2 (its weight), so the
    /// check runs through ten of the table's eleven entries.
    #[test]
    fn id_number_checks_follow_the_table() {
        // Sum for 1101051949123100d is 163 + 2d, so the remainder is (9 + 2d) mod 11.
        let expected = [b'3', b'1', b'X', b'8', b'6', b'4', b'2', b'0', b'9', b'7'];
        for (d, want) in (b'0'..=b'9').zip(expected) {
            let mut body = *b"11010519491231000";
            body[16] = d;
            assert_eq!(id_number_check(&body), Some(want), "{}", char::from(d));
        }
    }

    #[test]
    fn id_number_needs_17_digits() {
        assert_eq!(id_number_check(b"1101051949123100"), None);
        assert_eq!(id_number_check(b"110105194912310021"), None);
        assert_eq!(id_number_check(b"1101051949123100X"), None);
        assert_eq!(
            id_number_check("１１０１０５１９４９１２３１００２".as_bytes()),
            None
        );
    }

    /// A remainder of 0 gives check value 0, not 31: 17 zeros sum to 0.
    #[test]
    fn credit_code_check_of_a_zero_sum_is_zero() {
        assert_eq!(credit_code_check(b"00000000000000000"), Some(b'0'));
        // One `1` in the last position weighs 28: 31 − 28 = 3.
        assert_eq!(credit_code_check(b"00000000000000001"), Some(b'3'));
        // Y (30) in the first position weighs 30: 31 − 30 = 1.
        assert_eq!(credit_code_check(b"Y0000000000000000"), Some(b'1'));
    }

    #[test]
    fn credit_code_refuses_symbols_outside_the_alphabet() {
        for bad in [b'I', b'O', b'S', b'V', b'Z', b'm', b'-'] {
            let mut body = *b"91350100M000100Y4";
            body[8] = bad;
            assert_eq!(credit_code_check(&body), None, "{}", char::from(bad));
        }
        assert_eq!(credit_code_check(b"91350100M000100Y"), None);
        assert_eq!(credit_code_value(b'Y'), Some(30));
        assert_eq!(credit_code_symbol(31), b'0');
    }
}
