//! `banshi preview`: the kiosk page with the author's working rules, on 127.0.0.1.
//!
//! The page is the kiosk's own (`bindings/kiosk/src`, with the npm package's browser entry from
//! `bindings/npm`), so the author sees exactly what an applicant sees. Around it the preview
//! serves a panel (the facts given so far and the decision JSON, beside the screens) and three
//! stand-ins: the rules bundle, built from the folder and rebuilt when a file in it changes
//! (modification times are polled on each request: no watcher); `config.js`, the kiosk's own
//! in development mode (the working rules are unsigned); and the package's browser entry,
//! wrapped so that every decision the page makes is also posted to the panel, and so that
//! `todayInChina()` is `--on`'s date.
//!
//! The server is std's TCP listener, one thread per connection, GET only, bound to 127.0.0.1:
//! a tool for one author's browser, not a server for the public.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use banshi_core::bundle;

/// `banshi preview`.
#[derive(Debug, clap::Args)]
pub struct PreviewArgs {
    /// The rules folder (default: `rules`).
    pub path: Option<PathBuf>,
    /// The date the kiosk decides on, YYYY-MM-DD (default: today in China).
    #[arg(long)]
    pub on: Option<String>,
    /// The port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The kiosk page's folder.
    #[arg(long, default_value = "bindings/kiosk/src")]
    pub kiosk: PathBuf,
    /// The built npm package (its `src/` and `dist/`; `node bindings/npm/scripts/build.mjs`).
    #[arg(long, default_value = "bindings/npm")]
    pub package: PathBuf,
}

/// The bundle built from the folder, and the modification times it was built from.
struct Built {
    stamp: Vec<(PathBuf, Option<SystemTime>)>,
    /// The bundle text, or the problems that kept it from being built.
    result: Result<String, String>,
    /// Times rebuilt.
    builds: u64,
}

impl Default for Built {
    fn default() -> Self {
        Built {
            stamp: Vec::new(),
            result: Err(String::new()),
            builds: 0,
        }
    }
}

struct State {
    rules: PathBuf,
    kiosk: PathBuf,
    package: PathBuf,
    on: Option<String>,
    built: Mutex<Built>,
}

const PANEL: &str = include_str!("preview.html");

/// Runs the preview until the process is stopped.
pub fn run(args: &PreviewArgs) -> Result<(), String> {
    if let Some(on) = &args.on
        && banshi_core::facts::parse_date(on).is_none()
    {
        return Err(format!("--on `{on}` is not a real date in YYYY-MM-DD form"));
    }
    for needed in [
        args.kiosk.join("kiosk.js"),
        args.package.join("src/browser.js"),
        args.package.join("dist/banshi_wasm_bg.wasm"),
    ] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing: run from the repository, with the npm package built (node bindings/npm/scripts/build.mjs)",
                needed.display()
            ));
        }
    }
    let state = Arc::new(State {
        rules: args.path.clone().unwrap_or_else(|| PathBuf::from("rules")),
        kiosk: args.kiosk.clone(),
        package: args.package.clone(),
        on: args.on.clone(),
        built: Mutex::new(Built::default()),
    });
    if let Err(problems) = current(&state).1 {
        eprintln!("preview: the rules do not build yet:\n{problems}");
    }
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .map_err(|e| format!("127.0.0.1:{}: {e}", args.port))?;
    eprintln!(
        "preview: http://127.0.0.1:{}/ (rules from {}; Ctrl-C stops)",
        args.port,
        state.rules.display()
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = handle(&state, stream);
        });
    }
    Ok(())
}

/// Every rule file's path and modification time, in order.
fn stamp(rules: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    match crate::builtin::read_rules(rules) {
        Ok(files) => files
            .iter()
            .map(|f| {
                let path = PathBuf::from(&f.name);
                let time = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                (path, time)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The bundle of the folder as it is now (rebuilt if a file changed), and how many builds.
fn current(state: &State) -> (u64, Result<String, String>) {
    let now = stamp(&state.rules);
    let Ok(mut built) = state.built.lock() else {
        return (0, Err("the preview's state is poisoned".into()));
    };
    if built.builds == 0 || built.stamp != now {
        built.result = build(&state.rules);
        built.stamp = now;
        built.builds = built.builds.saturating_add(1);
    }
    (built.builds, built.result.clone())
}

fn build(rules: &Path) -> Result<String, String> {
    let files = crate::builtin::read_rules(rules).map_err(|e| e.to_string())?;
    let lines = |problems: &[banshi_loader::Located]| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (source, problems) = banshi_loader::sources(&files);
    if !problems.is_empty() {
        return Err(lines(&problems));
    }
    bundle::write(&source).map_err(|errors| lines(&banshi_loader::locate_all(&files, &errors)))
}

fn handle(state: &State, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The headers are read and ignored.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only",
        );
    }
    let path = target.split('?').next().unwrap_or("/");
    match path {
        "/" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            PANEL.as_bytes(),
        ),
        "/status.json" => {
            let (builds, result) = current(state);
            let body = serde_json::json!({
                "builds": builds,
                "on": state.on,
                "rules": state.rules.display().to_string(),
                "hash": result.as_ref().ok().and_then(|b| hash_of(b)),
                "problems": result.as_ref().err(),
            });
            respond(
                &mut stream,
                "200 OK",
                "application/json",
                body.to_string().as_bytes(),
            )
        }
        "/kiosk/rules.bundle.json" => match current(state).1 {
            Ok(text) => respond(&mut stream, "200 OK", "application/json", text.as_bytes()),
            Err(problems) => respond(
                &mut stream,
                "500 Internal Server Error",
                "text/plain; charset=utf-8",
                problems.as_bytes(),
            ),
        },
        "/kiosk/config.js" => {
            let body = "import config from './config.real.js';\n\
                 // The working rules are the author's own and unsigned.\n\
                 export default Object.assign({}, config, { development: true, bundle: './rules.bundle.json' });\n";
            respond(&mut stream, "200 OK", "text/javascript", body.as_bytes())
        }
        "/kiosk/vendor/banshi/src/browser.js" => {
            let on = match &state.on {
                Some(on) => format!("'{on}'"),
                None => "null".into(),
            };
            let body = format!(
                "{}\nconst PREVIEW_ON = {on};\n",
                include_str!("preview-entry.js")
            );
            respond(&mut stream, "200 OK", "text/javascript", body.as_bytes())
        }
        _ => {
            let file = path.strip_prefix("/kiosk/").and_then(|rest| {
                let rest = match rest {
                    "" => "index.html",
                    "config.real.js" => "config.js",
                    "vendor/banshi/src/browser.real.js" => "vendor/banshi/src/browser.js",
                    other => other,
                };
                let relative = Path::new(rest);
                if relative
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_)))
                {
                    return None;
                }
                match relative.strip_prefix("vendor/banshi") {
                    Ok(inside) => Some(state.package.join(inside)),
                    Err(_) => Some(state.kiosk.join(relative)),
                }
            });
            match file.and_then(|f| std::fs::read(&f).ok().map(|bytes| (f, bytes))) {
                Some((file, bytes)) => respond(&mut stream, "200 OK", mime(&file), &bytes),
                None => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
            }
        }
    }
}

/// The bundle's hash, from its header (the first line of a catalogue).
fn hash_of(bundle: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(bundle.lines().next()?).ok()?;
    value.get("hash")?.as_str().map(str::to_string)
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The panel knows the rules are built by the hash in the catalogue's header line; the
    /// matters that follow are not JSON together with it.
    #[test]
    fn the_hash_is_the_header_lines() {
        let files = crate::builtin::files();
        let (source, problems) = banshi_loader::sources(&files);
        assert!(problems.is_empty());
        let text = bundle::write(&source).unwrap();
        assert!(
            text.lines().count() > 1,
            "a catalogue: header, then matters"
        );
        let hash = hash_of(&text).unwrap();
        assert!(hash.starts_with("sha256:"), "{hash}");
        assert_eq!(
            banshi_core::bundle::load(&text, &banshi_core::Trust::development())
                .unwrap()
                .hash(),
            hash
        );
    }
}
