//! Key files and the trust flags: `banshi keygen`, `banshi bundle --sign KEYFILE`,
//! `--trust PUBKEY|FILE`, `--dev` and `--receipt-key FILE`.
//!
//! File formats (lines starting with `#` are comments):
//! - a signing key (`banshi keygen -o FILE`, mode 0600): `ed25519-secret <64 hex digits>`, the
//!   Ed25519 seed, after a comment naming its public key;
//! - a trust file (`--trust FILE`): one public key per line, 64 hex digits (what `banshi keygen`
//!   prints on standard output);
//! - a receipt key (`banshi keygen --receipt -o FILE`, mode 0600): `receipt-key <64 hex digits>`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use banshi_core::bundle::BundleSignature;
use banshi_core::{PublicKey, ReceiptKey, Trust};
use clap::Args;
use ed25519_compact::{KeyPair, Seed};

/// The bundles a command trusts: `--trust` keys, or `--dev`.
#[derive(Debug, Clone, Default, Args)]
pub struct TrustArgs {
    /// A public key (64 hex digits) or a file of them, one a line, whose signatures a bundle is
    /// trusted by; repeatable. Rules read from a folder need none.
    #[arg(long = "trust", value_name = "PUBKEY|FILE", global = true)]
    pub trust: Vec<String>,
    /// Development mode: load unsigned bundles too (a signature that does not verify is still
    /// refused).
    #[arg(long, global = true)]
    pub dev: bool,
}

impl TrustArgs {
    /// The trust these flags give.
    pub fn trust(&self) -> Result<Trust, String> {
        let mut keys = Vec::new();
        for arg in &self.trust {
            keys.extend(public_keys(arg)?);
        }
        Ok(Trust {
            keys,
            development: self.dev,
        })
    }
}

/// The key in `arg`, or the keys in the file it names.
fn public_keys(arg: &str) -> Result<Vec<PublicKey>, String> {
    if let Ok(key) = PublicKey::from_hex(arg) {
        return Ok(vec![key]);
    }
    let text = std::fs::read_to_string(arg).map_err(|e| {
        format!("--trust {arg}: neither a public key (64 hex digits) nor a file: {e}")
    })?;
    let mut keys = Vec::new();
    for (n, line) in lines(&text) {
        if line.starts_with("ed25519-secret") || line.starts_with("receipt-key") {
            return Err(format!(
                "{arg}:{n}: a secret key file; trust its public key (`banshi keygen` printed it)"
            ));
        }
        keys.push(PublicKey::from_hex(line).map_err(|e| format!("{arg}:{n}: {e}"))?);
    }
    if keys.is_empty() {
        return Err(format!("{arg}: no public key in the file"));
    }
    Ok(keys)
}

/// The numbered lines of `text` that are not blank or comments, trimmed.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

/// The hex after `tag` on the one line of a key file that has it.
fn tagged(path: &Path, tag: &str) -> Result<String, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let found: Vec<&str> = lines(&text)
        .filter_map(|(_, line)| line.strip_prefix(tag))
        .map(str::trim)
        .collect();
    match found.as_slice() {
        [hex] => Ok((*hex).to_string()),
        _ => Err(format!(
            "{name}: not a key file: one line `{tag} <hex>` is expected"
        )),
    }
}

/// The signing key in a file written by `banshi keygen`.
pub fn read_signing_key(path: &Path) -> Result<KeyPair, String> {
    let hex = tagged(path, "ed25519-secret")?;
    let seed = hex_bytes::<32>(&hex)
        .ok_or_else(|| format!("{}: the secret key is not 64 hex digits", path.display()))?;
    Ok(KeyPair::from_seed(Seed::new(seed)))
}

/// The receipt key in a file written by `banshi keygen --receipt`.
pub fn read_receipt_key(path: &Path) -> Result<ReceiptKey, String> {
    let hex = tagged(path, "receipt-key")?;
    ReceiptKey::from_hex(&hex).map_err(|e| format!("{}: {e}", path.display()))
}

/// The public key of a signing key, hex.
pub fn public_hex(pair: &KeyPair) -> String {
    PublicKey::from_bytes(*pair.pk).to_hex()
}

/// Signatures by `keys` over a bundle's signed message: what [`banshi_core::bundle::write_signed`]
/// takes. Ed25519 signatures are deterministic, so the same rules and keys give the same bundle.
pub fn signer(keys: &[KeyPair]) -> impl Fn(&[u8]) -> Vec<BundleSignature> + '_ {
    move |message| {
        keys.iter()
            .map(|pair| BundleSignature {
                key: public_hex(pair),
                signature: hex(pair.sk.sign(message, None).as_ref()),
            })
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_bytes<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// What `banshi keygen` makes.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The secret key file to write (mode 0600; an existing file is never overwritten).
    #[arg(short, long)]
    pub output: PathBuf,
    /// A receipt key (HMAC-SHA256, 32 bytes) instead of a signing key.
    #[arg(long)]
    pub receipt: bool,
}

/// Runs `banshi keygen`: writes the secret key file and returns what to print: the public key
/// (hex), or for a receipt key its id.
pub fn keygen(args: &KeygenArgs) -> Result<String, String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| format!("no randomness from the system: {e}"))?;
    let (text, printed) = if args.receipt {
        let id = ReceiptKey::new(&secret).id().to_string();
        (
            format!(
                "# banshi receipt key {id}: HMAC-SHA256 key of receipts' facts fingerprints.\n\
                 # Secret: give it only to this deployment's servers and channels.\n\
                 receipt-key {}\n",
                hex(&secret)
            ),
            id,
        )
    } else {
        let pair = KeyPair::from_seed(Seed::new(secret));
        let public = public_hex(&pair);
        (
            format!(
                "# banshi signing key (Ed25519). Secret: whoever holds it can publish rules.\n\
                 # public key: {public}\n\
                 ed25519-secret {}\n",
                hex(&secret)
            ),
            public,
        )
    };
    write_secret(&args.output, &text)?;
    Ok(printed)
}

/// Writes a new file readable by its owner only.
fn write_secret(path: &Path, text: &str) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}
