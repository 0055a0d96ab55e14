//! `banshi serve`: the decisions of `banshi-core` over HTTP, for servers written in any language.
//!
//! Every answer is the core's own JSON ([`banshi_core::ffi::Engine`], the calls every channel
//! makes): `POST /v1/decide` answers the bytes `banshi decide --compact` prints, and a failure is
//! the envelope `{"ok":false,"errors":[{"code","message","path"}]}` with the codes every channel
//! uses and a 4xx status. `GET /openapi.json` describes it all ([`api::ApiDoc`]).
//!
//! The rules are held behind one lock as an `Arc<Engine>`: a request clones the `Arc` and
//! decides without the lock, and a reload (`SIGHUP`, or `POST /v1/admin/reload`) compiles the
//! new rules first and then swaps the `Arc`, so requests in flight finish on the rules they
//! started with and no request sees half of a change.

pub mod answer;
pub mod api;
pub mod indicators;
mod log;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use banshi_cli::builtin;
use banshi_core::ffi::{Engine, ErrorData, LoadOptions};
use banshi_core::keys::ReceiptKey;

/// Where the rules come from, read again on every reload.
#[derive(Debug, Clone)]
pub enum RulesSource {
    /// The rules built into the binary from the repository's `rules/`.
    Builtin,
    /// A rules folder (the author's own rules: no signature asked for).
    Folder(PathBuf),
    /// A bundle written by `banshi bundle`, signed by a trusted key (or `--dev`).
    Bundle(PathBuf),
}

/// The largest bundle `POST /v1/admin/reload` accepts. The core sets no limit on a catalogue as
/// a whole (each matter is bounded when it is compiled); a reload's body is held in memory, so
/// the server bounds it: 1 GiB, about 60,000 matters of the shipped ones' size.
pub const MAX_RELOAD_BYTES: usize = 1024 * 1024 * 1024;

/// How a server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The rules.
    pub source: RulesSource,
    /// The trusted keys, development mode and the receipt key, as every channel takes them.
    pub options: LoadOptions,
    /// The largest request body accepted (`too_large`, 413, above it); a reload's bundle may be
    /// up to [`MAX_RELOAD_BYTES`].
    pub max_body: usize,
    /// The longest a request may take, reading its body included (`timeout`, 503, after it).
    pub timeout: Duration,
    /// The token `POST /v1/admin/reload` must send as `Authorization: Bearer <token>`; without
    /// one the endpoint is closed.
    pub admin_token: Option<String>,
}

/// The default request body limit: the core reads facts of up to 256 KiB
/// ([`banshi_core::limits::MAX_FACTS_BYTES`]), and a verify request also carries a decision.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// What every request shares: the rules in force and the configuration.
#[derive(Debug)]
pub struct Shared {
    engine: RwLock<Arc<Engine>>,
    config: Config,
}

impl Shared {
    /// Loads the rules of `config`; fails with the errors every channel reports.
    pub fn new(config: Config) -> Result<Shared, Vec<ErrorData>> {
        let engine = load(&config)?;
        Ok(Shared {
            engine: RwLock::new(Arc::new(engine)),
            config,
        })
    }

    /// The rules in force now.
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swaps in new rules; requests already deciding keep the ones they hold.
    pub fn swap(&self, engine: Engine) {
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(engine);
    }

    /// Reads the configured rules again and swaps them in; on failure the rules in force stay.
    pub fn reload(&self) -> Result<String, Vec<ErrorData>> {
        let engine = load(&self.config)?;
        let hash = engine.hash().to_string();
        self.swap(engine);
        Ok(hash)
    }

    /// Loads a bundle's text with the configured trust and receipt key and swaps it in.
    pub fn reload_bundle(&self, text: &str) -> Result<String, Vec<ErrorData>> {
        let engine = Engine::load(text, &self.config.options)?;
        let hash = engine.hash().to_string();
        self.swap(engine);
        Ok(hash)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

fn failure(code: &str, message: impl ToString, path: impl ToString) -> Vec<ErrorData> {
    vec![ErrorData {
        code: code.into(),
        message: message.to_string(),
        path: path.to_string(),
    }]
}

/// The engine for `config`: a bundle as [`Engine::load`] loads it for every channel (signed, a
/// receipt key outside development mode), or rules compiled from TOML with the receipt key
/// given, else the public development key.
fn load(config: &Config) -> Result<Engine, Vec<ErrorData>> {
    let files = match &config.source {
        RulesSource::Bundle(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| failure("unreadable", format!("{}: {e}", path.display()), ""))?;
            return Engine::load(&text, &config.options);
        }
        RulesSource::Folder(dir) => {
            builtin::read_rules(dir).map_err(|e| failure("unreadable", e, dir.display()))?
        }
        RulesSource::Builtin => builtin::files(),
    };
    let rules = banshi_loader::compile(&files).map_err(|problems| {
        problems
            .iter()
            .map(|p| ErrorData {
                code: "invalid_rules".into(),
                message: p.message.clone(),
                path: format!("{}:{}:{}", p.file, p.line, p.column),
            })
            .collect::<Vec<_>>()
    })?;
    let key = config
        .options
        .receipt_key
        .clone()
        .unwrap_or_else(ReceiptKey::development);
    Ok(Engine::from_rules(rules.with_receipt_key(key)))
}

/// Serves until `SIGTERM` or ctrl-c, then finishes the requests in flight; `SIGHUP` reloads the
/// rules. `ready` is told the address bound (useful with port 0).
pub async fn serve(
    shared: Arc<Shared>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    #[cfg(unix)]
    tokio::spawn(reload_on_hangup(Arc::clone(&shared)));
    axum::serve(listener, api::router(shared))
        .with_graceful_shutdown(shutdown())
        .await?;
    log::event("stopped", &[]);
    Ok(())
}

#[cfg(unix)]
async fn reload_on_hangup(shared: Arc<Shared>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        return;
    };
    while hangups.recv().await.is_some() {
        let shared = Arc::clone(&shared);
        match tokio::task::spawn_blocking(move || shared.reload()).await {
            Ok(Ok(hash)) => log::event("reloaded", &[("hash", &hash)]),
            Ok(Err(errors)) => log::event("reload_failed", &[("errors", &codes(&errors))]),
            Err(e) => log::event("reload_failed", &[("errors", &e.to_string())]),
        }
    }
}

/// The codes of `errors`, comma-separated, for the log.
pub(crate) fn codes(errors: &[ErrorData]) -> String {
    errors
        .iter()
        .map(|e| e.code.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    log::event("stopping", &[]);
}
