//! `banshi-serve` (also run as `banshi serve`): decisions over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use banshi_cli::keys::{self, TrustArgs};
use banshi_core::ffi::{LoadOptions, failure};
use banshi_server::{Config, DEFAULT_MAX_BODY, RulesSource, Shared};
use clap::Parser;

/// Serve banshi's decisions over HTTP: POST /v1/decide, /v1/questions, /v1/eligibility,
/// /v1/verify; GET /v1/matters, /healthz, /openapi.json. SIGHUP reloads the rules; SIGTERM or
/// ctrl-c stops after the requests in flight.
#[derive(Debug, Parser)]
#[command(name = "banshi serve", version, about)]
struct Args {
    /// A rules folder instead of the rules built into this binary.
    #[arg(long, conflicts_with = "bundle")]
    rules: Option<PathBuf>,
    /// A bundle made by `banshi bundle`; it must be signed by a `--trust` key, or `--dev` given,
    /// and needs `--receipt-key` outside development mode.
    #[arg(long)]
    bundle: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    /// The deployment's receipt key (`banshi keygen --receipt`).
    #[arg(long, value_name = "FILE")]
    receipt_key: Option<PathBuf>,
    /// The address to listen on (port 0: any free port, printed in the `listening` line).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BODY)]
    max_body: usize,
    /// The longest a request may take, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// A file holding the token that opens POST /v1/admin/reload (its first line); without it
    /// that endpoint is closed and only SIGHUP reloads.
    #[arg(long, value_name = "FILE")]
    admin_token: Option<PathBuf>,
}

fn config(args: &Args) -> Result<Config, String> {
    let trust = args.trust.trust()?;
    let receipt_key = match &args.receipt_key {
        Some(path) => Some(keys::read_receipt_key(path)?),
        None => None,
    };
    let admin_token = match &args.admin_token {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let token = text.lines().next().unwrap_or_default().trim().to_string();
            if token.len() < 16 {
                return Err(format!(
                    "{}: the admin token is shorter than 16 characters",
                    path.display()
                ));
            }
            Some(token)
        }
        None => None,
    };
    let source = match (&args.rules, &args.bundle) {
        (Some(dir), _) => RulesSource::Folder(dir.clone()),
        (None, Some(file)) => RulesSource::Bundle(file.clone()),
        (None, None) => RulesSource::Builtin,
    };
    Ok(Config {
        source,
        options: LoadOptions { trust, receipt_key },
        max_body: args.max_body,
        timeout: Duration::from_millis(args.timeout_ms),
        admin_token,
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = match config(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let shared = match Shared::new(config) {
        Ok(shared) => Arc::new(shared),
        Err(errors) => {
            eprintln!("error: the rules did not load: {}", failure(&errors));
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let hash = shared.engine().hash().to_string();
    let served = runtime.block_on(banshi_server::serve(shared, args.addr, |addr| {
        eprintln!(
            "{}",
            serde_json::json!({"event": "listening", "addr": addr.to_string(), "hash": hash})
        );
    }));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}: {e}", args.addr);
            ExitCode::FAILURE
        }
    }
}
