//! Keys a deployment configures: the publishing agencies' public keys that bundles must be
//! signed by ([`Trust`]), and the receipt key that makes a receipt's facts fingerprint keyed
//! ([`ReceiptKey`]). Why they work this way: `core/DESIGN.md`, "Why are bundles signed and
//! receipts keyed?".
//!
//! Keys travel as lowercase or uppercase hex: an Ed25519 public key is 64 hex digits, a
//! signature 128, a receipt key 64 (32 bytes).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A key that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyError {
    /// Not hex of the right length.
    #[error("{what} must be {digits} hex digits")]
    NotHex {
        /// Which key.
        what: &'static str,
        /// How many digits it takes.
        digits: usize,
    },
}

/// `N` bytes from `2 * N` hex digits, or `None`.
pub(crate) fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != N.checked_mul(2)? {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        let digit = |c: &u8| {
            char::from(*c)
                .to_digit(16)
                .and_then(|d| u8::try_from(d).ok())
        };
        *byte = digit(high)?.checked_mul(16)?.checked_add(digit(low)?)?;
    }
    Some(out)
}

/// Lowercase hex of `bytes`.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for byte in bytes {
        for nibble in [byte >> 4, byte & 15] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// An Ed25519 public key: a publishing agency's, which bundles are signed by.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// The key from its 64 hex digits.
    pub fn from_hex(text: &str) -> Result<PublicKey, KeyError> {
        from_hex(text.trim())
            .map(PublicKey)
            .ok_or(KeyError::NotHex {
                what: "a public key",
                digits: 64,
            })
    }

    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> PublicKey {
        PublicKey(bytes)
    }

    /// Its 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Its 64 lowercase hex digits, as bundles and configurations write it.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Which bundles a channel loads: those signed by one of `keys`, or, in development mode, also
/// unsigned ones. A signature that does not verify is refused in development mode too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// The publishing agencies' public keys.
    pub keys: Vec<PublicKey>,
    /// Development mode: unsigned bundles, and bundles signed only by keys not in `keys`, load.
    pub development: bool,
}

impl Trust {
    /// Bundles signed by one of `keys`, nothing else.
    pub fn keys(keys: impl IntoIterator<Item = PublicKey>) -> Trust {
        Trust {
            keys: keys.into_iter().collect(),
            development: false,
        }
    }

    /// Development mode with no trusted key: any bundle whose signatures, if any, verify.
    pub fn development() -> Trust {
        Trust {
            keys: Vec::new(),
            development: true,
        }
    }
}

/// The key of the receipt's facts fingerprint, HMAC-SHA256: a deployment's servers and
/// channels share it, so that only they can tell which facts a receipt fingerprints.
///
/// [`ReceiptKey::development`] is a fixed, published key: it keys nothing, and receipts made
/// with it say so (`"key":"development"`).
#[derive(Clone)]
pub struct ReceiptKey {
    /// The MAC keyed once, cloned for each fingerprint (saves hashing the padded key twice).
    mac: Hmac<Sha256>,
    /// What receipts name the key by: `development`, or 16 hex digits derived from the key.
    id: String,
}

/// The development receipt key: 32 zero bytes. Public, so it protects nothing.
pub const DEVELOPMENT_RECEIPT_KEY: [u8; 32] = [0; 32];

/// The key id of [`ReceiptKey::development`].
pub const DEVELOPMENT_KEY_ID: &str = "development";

impl ReceiptKey {
    /// A receipt key from its 32 bytes (the same bytes as [`DEVELOPMENT_RECEIPT_KEY`] give the
    /// development key, named as such).
    pub fn new(bytes: &[u8; 32]) -> ReceiptKey {
        // HMAC takes keys of any length: this cannot fail.
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(bytes)
            .unwrap_or_else(|_| Hmac::<Sha256>::new(&Default::default()));
        let mut key = ReceiptKey {
            mac,
            id: DEVELOPMENT_KEY_ID.into(),
        };
        if *bytes != DEVELOPMENT_RECEIPT_KEY {
            // A key id that reveals nothing of the key: the MAC of a fixed text, truncated.
            let tag = key.fingerprint(b"banshi receipt key id");
            key.id = tag
                .get("hmac-sha256:".len()..)
                .and_then(|hex| hex.get(..16))
                .unwrap_or_default()
                .into();
        }
        key
    }

    /// A receipt key from its 64 hex digits.
    pub fn from_hex(text: &str) -> Result<ReceiptKey, KeyError> {
        from_hex(text.trim())
            .map(|bytes| ReceiptKey::new(&bytes))
            .ok_or(KeyError::NotHex {
                what: "a receipt key",
                digits: 64,
            })
    }

    /// The development key ([`DEVELOPMENT_RECEIPT_KEY`]).
    pub fn development() -> ReceiptKey {
        ReceiptKey::new(&DEVELOPMENT_RECEIPT_KEY)
    }

    /// What receipts name this key by: `development`, or 16 hex digits.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether this is the development key, which keys nothing.
    pub fn is_development(&self) -> bool {
        self.id == DEVELOPMENT_KEY_ID
    }

    /// `hmac-sha256:` and the lowercase hex MAC of `bytes`.
    pub fn fingerprint(&self, bytes: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(bytes);
        let mut out = String::from("hmac-sha256:");
        out.push_str(&to_hex(&mac.finalize().into_bytes()));
        out
    }
}

impl fmt::Debug for ReceiptKey {
    // Never the key itself: rule sets are printed in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReceiptKey({})", self.id)
    }
}

impl Default for ReceiptKey {
    fn default() -> ReceiptKey {
        ReceiptKey::development()
    }
}

/// `sha256:` and the lowercase hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    out.push_str(&to_hex(&Sha256::digest(bytes)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_anything_else() {
        let bytes: [u8; 4] = from_hex("00ff7Aa0").unwrap();
        assert_eq!(bytes, [0, 255, 0x7a, 0xa0]);
        assert_eq!(to_hex(&bytes), "00ff7aa0");
        for bad in ["00ff7a", "00ff7aa0ff", "00fg7aa0", "+0ff7aa0", "００ff7a"] {
            assert_eq!(from_hex::<4>(bad), None, "{bad}");
        }
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        // RFC 4231 test case 2 uses a 4-byte key; check the construction through the crate.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            to_hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_development_key_is_named_and_other_keys_are_not() {
        assert_eq!(ReceiptKey::development().id(), "development");
        assert!(ReceiptKey::development().is_development());
        let key = ReceiptKey::new(&[7; 32]);
        assert_eq!(key.id().len(), 16);
        assert!(!key.is_development());
        assert_ne!(
            key.fingerprint(b"[]"),
            ReceiptKey::development().fingerprint(b"[]")
        );
        assert!(!alloc::format!("{key:?}").contains("0707"));
    }
}
