//! The server end to end over real HTTP: the `banshi-serve` binary on a free port, spoken to
//! with plain HTTP/1.1 over a socket.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use banshi_core::facts::parse_date;
use serde_json::Value;

/// A running `banshi-serve`; stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    addr: String,
    log: BufReader<std::process::ChildStderr>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut child = Command::new(env!("CARGO_BIN_EXE_banshi-serve"))
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(&root)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut log = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        log.read_line(&mut line).unwrap();
        let listening: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(listening["event"], "listening", "{line}");
        let addr = listening["addr"].as_str().unwrap().to_string();
        Server { child, addr, log }
    }

    /// Sends one request; answers the status and the body.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // A body the server refuses may be cut short: it answers before reading it all.
        let _ = stream.write_all(body);
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8(answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{head}"
        );
        (status, body.to_string())
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        self.request("POST", path, &[], body.as_bytes())
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, &[], b"")
    }

    /// Stops the server with SIGTERM; answers its exit status and the rest of its log.
    fn stop(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = self.child.wait().unwrap();
        let mut rest = String::new();
        self.log.read_to_string(&mut rest).unwrap();
        (status.success(), rest)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CODE: &str = "11610100000000000X4000131128000";

fn code(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["ok"], false, "{body}");
    v["errors"][0]["code"].as_str().unwrap().to_string()
}

/// Every rule case of the shipped rules, decided over HTTP, is byte for byte what `banshi decide
/// --compact` prints for it: the decision the CLI writes with `serde_json::to_string`.
#[test]
fn decisions_are_the_command_lines_bytes() {
    let server = Server::start(&["--rules", "rules"]);
    let files = banshi_loader::read_rules(Path::new("../../rules"), &[]).unwrap();
    let rules = banshi_loader::compile(&files).unwrap();
    let (source, _) = banshi_loader::sources(&files);
    let mut compared = 0;
    for matter in std::fs::read_dir("../../rules").unwrap() {
        let dir = matter.unwrap().path();
        let Ok(cases) = std::fs::read_dir(dir.join("cases")) else {
            continue;
        };
        let folder = dir.file_name().unwrap().to_str().unwrap();
        let folder_code = banshi_loader::folder_matter(&source, folder);
        for case in cases {
            let path = case.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // A case names its matter where its folder has several implementations.
            let code = case["matter"]
                .as_str()
                .map(str::to_string)
                .or_else(|| folder_code.clone())
                .unwrap();
            let on = case["on"].as_str().unwrap();
            let facts = case["facts"].to_string();
            let request = format!(r#"{{"matter":"{code}","on":"{on}","facts":{facts}}}"#);
            let (status, body) = server.post("/v1/decide", &request);
            let native = rules
                .decide_json(&code, &facts, parse_date(on).unwrap())
                .map(|d| serde_json::to_string(&d).unwrap());
            match native {
                Ok(native) => {
                    assert_eq!(status, 200, "{}: {body}", path.display());
                    assert_eq!(body, native, "{}", path.display());
                }
                Err(_) => assert_eq!(status, 422, "{}: {body}", path.display()),
            }
            compared += 1;
        }
    }
    assert!(compared > 20, "only {compared} rule cases found");
    let (ok, log) = server.stop();
    assert!(ok, "{log}");
}

#[test]
fn bad_requests_get_json_errors_and_the_server_keeps_serving() {
    let server = Server::start(&["--max-body", "4096"]);
    let good = format!(
        r#"{{"matter":"{CODE}","on":"2026-03-02","facts":{{"经营者身份类型":"内地居民"}}}}"#
    );
    let bad: [(&str, &str, u16, &str); 9] = [
        ("POST", r#"{"matter":"#, 400, "invalid_json"),
        ("POST", "\u{feff}not json", 400, "invalid_json"),
        ("POST", r#"{"on":"2026-03-02"}"#, 400, "invalid_json"),
        (
            "POST",
            r#"{"matter":"X","facts":{},"extra":1}"#,
            400,
            "invalid_json",
        ),
        (
            "POST",
            r#"{"matter":"X","on":"2026-03-02"}"#,
            404,
            "unknown_matter",
        ),
        (
            "POST",
            &format!(r#"{{"matter":"{CODE}","on":"2026-02-30"}}"#),
            422,
            "invalid_date",
        ),
        (
            "POST",
            &format!(r#"{{"matter":"{CODE}","on":"2026-03-02","facts":[1]}}"#),
            422,
            "not_an_object",
        ),
        (
            "POST",
            &format!(r#"{{"matter":"{CODE}","on":"2026-03-02","facts":{{"经营者身份类型":7}}}}"#),
            422,
            "wrong_type",
        ),
        ("GET", "", 405, "method_not_allowed"),
    ];
    for (method, body, status, expected) in bad {
        let (got, answer) = server.request(method, "/v1/decide", &[], body.as_bytes());
        assert_eq!(
            (got, code(&answer)),
            (status, expected.to_string()),
            "{body}"
        );
        // The answer names the fact, never the applicant's value.
        assert!(!answer.contains("内地居民"), "{answer}");
        let (ok, _) = server.post("/v1/decide", &good);
        assert_eq!(ok, 200);
    }
    let oversized = format!(
        r#"{{"matter":"{CODE}","facts":{{"x":"{}"}}}}"#,
        "a".repeat(10_000)
    );
    let (status, answer) = server.post("/v1/decide", &oversized);
    assert_eq!((status, code(&answer)), (413, "too_large".to_string()));
    let (status, answer) = server.get("/v1/nothing");
    assert_eq!((status, code(&answer)), (404, "not_found".to_string()));
    assert_eq!(server.post("/v1/questions", &good).0, 200);
    let (ok, log) = server.stop();
    assert!(ok, "{log}");
    // The request log has the matter and the error codes, never a fact's value.
    assert!(log.contains(r#""errors":["wrong_type"]"#), "{log}");
    assert!(log.contains(&format!(r#""matter":"{CODE}""#)), "{log}");
    assert!(!log.contains("内地居民"), "{log}");
    assert!(log.contains(r#""event":"stopped""#), "{log}");
}

#[test]
fn questions_eligibility_verify_and_matters() {
    let server = Server::start(&[]);
    let app = format!(
        r#"{{"matter":"{CODE}","on":"2026-03-02","facts":{{"经营者身份类型":"内地居民"}}}}"#
    );
    let (status, questions) = server.post("/v1/questions", &app);
    assert_eq!(status, 200);
    let questions: Value = serde_json::from_str(&questions).unwrap();
    assert_eq!(questions["status"], "needs_facts");
    assert!(questions.get("ok").is_none());
    let (status, eligibility) = server.post("/v1/eligibility", &app);
    assert_eq!(status, 200, "{eligibility}");
    let (_, decision) = server.post("/v1/decide", &app);
    let decision: Value = serde_json::from_str(&decision).unwrap();
    let record = serde_json::json!({
        "matter": CODE, "on": "2026-03-02", "facts": {"经营者身份类型": "内地居民"},
        "receipt": decision["receipt"],
    });
    let (status, verified) = server.post("/v1/verify", &record.to_string());
    assert_eq!(status, 200, "{verified}");
    let verified: Value = serde_json::from_str(&verified).unwrap();
    assert_eq!(verified["valid"], true);
    // Another applicant's facts do not verify against this receipt.
    let mut other = record.clone();
    other["facts"] = serde_json::json!({"经营者身份类型": "内地居民", "由委托代理人办理": true});
    let (_, verified) = server.post("/v1/verify", &other.to_string());
    let verified: Value = serde_json::from_str(&verified).unwrap();
    assert_eq!(verified["valid"], false, "{verified}");
    assert_eq!(verified["mismatches"][0], "facts");
    let (status, matters) = server.get("/v1/matters");
    assert_eq!(status, 200);
    let matters: Value = serde_json::from_str(&matters).unwrap();
    assert!(
        matters
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == CODE)
    );
    let (status, matter) = server.get(&format!("/v1/matters/{CODE}?on=2026-03-02"));
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(&matter).unwrap()["facts"].is_array());
    // The 办事指南's steps, in the order they happen (the shipped rule file's 办理流程).
    let (status, guide) = server.get(&format!("/v1/matters/{CODE}/guide?on=2026-03-02"));
    assert_eq!(status, 200, "{guide}");
    let guide: Value = serde_json::from_str(&guide).unwrap();
    assert_eq!(guide["steps"][0]["name"], "申请", "{guide}");
    let (status, missing) = server.get("/v1/matters/X/guide?on=2026-03-02");
    assert_eq!(
        (status, code(&missing)),
        (404, "unknown_matter".to_string())
    );
    let (status, health) = server.get("/healthz");
    assert_eq!(status, 200);
    assert!(health.contains(r#""status":"ok""#));
}

/// Themes over HTTP: the list, a decision in a region, what a region lacking a matter and an
/// unknown theme answer.
#[test]
fn themes_are_served() {
    let server = Server::start(&[]);
    let (status, themes) = server.get("/v1/themes");
    assert_eq!(status, 200, "{themes}");
    let themes: Value = serde_json::from_str(&themes).unwrap();
    let restaurant = themes
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "610000-QYZY-CANGUAN")
        .unwrap();
    assert_eq!(
        restaurant["regions"],
        serde_json::json!(["西安市", "咸阳市秦都区", "西咸新区沣东新城"])
    );
    let body =
        r#"{"theme":"610000-QYZY-CANGUAN","region":"咸阳市秦都区","on":"2026-03-02","facts":{}}"#;
    let (status, decision) = server.post("/v1/themes/decide", body);
    assert_eq!(status, 200, "{decision}");
    let decision: Value = serde_json::from_str(&decision).unwrap();
    assert_eq!(decision["theme"]["region"], "咸阳市秦都区");
    assert_eq!(
        decision["matters"][0]["decision"]["matter"]["code"],
        "11610402000000000X4000131128000"
    );
    assert!(decision["receipt"].is_object());
    let (status, questions) = server.post("/v1/themes/questions", body);
    assert_eq!(status, 200, "{questions}");
    assert!(
        questions.starts_with(r#"{"status":"needs_facts","questions":["#),
        "{questions}"
    );
    // 出版物零售 has no 咸阳市秦都区 implementation.
    let lacking = r#"{"theme":"610100-QYZY-SHUDIAN","region":"咸阳市秦都区","on":"2026-03-02"}"#;
    let (status, failed) = server.post("/v1/themes/decide", lacking);
    assert_eq!((status, code(&failed)), (422, "not_in_region".to_string()));
    let (status, failed) = server.post("/v1/themes/decide", r#"{"theme":"X"}"#);
    assert_eq!((status, code(&failed)), (404, "unknown_theme".to_string()));
    // By region: a township of 秦都区 (610402001) has the restaurant, offered in 秦都区, alone;
    // the matters of 咸阳市 (610400) are 咸阳市's and 秦都区's implementations.
    let (status, listed) = server.get("/v1/themes?region=610402001");
    assert_eq!(status, 200, "{listed}");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["610000-QYZY-CANGUAN"]);
    let (status, matters) = server.get("/v1/matters?region=610400");
    assert_eq!(status, 200, "{matters}");
    let matters: Value = serde_json::from_str(&matters).unwrap();
    let matters = matters.as_array().unwrap();
    assert!(!matters.is_empty());
    assert!(
        matters
            .iter()
            .all(|m| m["region"] == "咸阳市" || m["region"] == "咸阳市秦都区")
    );
    let body = r#"{"theme":"610000-QYZY-CANGUAN","region":"620100","on":"2026-03-02","facts":{}}"#;
    let (status, failed) = server.post("/v1/themes/decide", body);
    assert_eq!((status, code(&failed)), (422, "not_in_region".to_string()));
}

#[test]
fn the_openapi_document_lists_every_route() {
    let server = Server::start(&[]);
    let (status, doc) = server.get("/openapi.json");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/v1/decide",
        "/v1/questions",
        "/v1/eligibility",
        "/v1/verify",
        "/v1/matters",
        "/v1/matters/{code}",
        "/v1/matters/{code}/guide",
        "/v1/themes",
        "/v1/themes/decide",
        "/v1/themes/questions",
        "/healthz",
        "/v1/admin/reload",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let application = &doc["components"]["schemas"]["Application"];
    assert_eq!(application["required"], serde_json::json!(["matter"]));
}

/// A request whose body does not arrive in time is answered `timeout`, and the server goes on.
#[test]
fn slow_requests_time_out() {
    let server = Server::start(&["--timeout-ms", "300"]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST /v1/decide HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{{\"matter\":",
        server.addr
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = std::time::Instant::now();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains(r#""code":"timeout""#), "{answer}");
    assert_eq!(server.get("/healthz").0, 200);
}

/// Reloading swaps rules without a restart, needs the admin token, and keeps the rules in force
/// when the new ones do not load.
#[test]
fn reloads_without_a_restart() {
    let dir = std::env::temp_dir().join(format!("banshi-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token = dir.join("admin.token");
    std::fs::write(&token, "a-test-token-of-enough-length\n").unwrap();
    let server = Server::start(&["--dev", "--admin-token", token.to_str().unwrap()]);
    let (_, before) = server.get("/healthz");
    let hash = |health: &str| serde_json::from_str::<Value>(health).unwrap()["hash"].clone();
    let bearer = [("Authorization", "Bearer a-test-token-of-enough-length")];
    let (status, answer) = server.request("POST", "/v1/admin/reload", &[], b"");
    assert_eq!((status, code(&answer)), (401, "unauthorized".to_string()));
    let wrong = [("Authorization", "Bearer a-test-token-of-enough-lengtx")];
    assert_eq!(
        server.request("POST", "/v1/admin/reload", &wrong, b"").0,
        401
    );
    // A bundle whose content does not match its hash is refused, and the rules stay.
    // One matter's folder, with the licence catalogue and calendar above it.
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/resident-id-card-renewal");
    let (one, _) = banshi_loader::sources(&banshi_loader::read_rules(&folder, &[]).unwrap());
    let bundle = banshi_core::bundle::write(&one).unwrap();
    let tampered = bundle.replacen("\"index\":{", "\"index\":{ ", 1);
    let (status, answer) = server.request("POST", "/v1/admin/reload", &bearer, tampered.as_bytes());
    assert_eq!(status, 422, "{answer}");
    assert_eq!(hash(&server.get("/healthz").1), hash(&before));
    // An unsigned bundle loads in development mode: fewer matters now.
    let (status, answer) = server.request("POST", "/v1/admin/reload", &bearer, bundle.as_bytes());
    assert_eq!(status, 200, "{answer}");
    let (_, after) = server.get("/healthz");
    assert_ne!(hash(&after), hash(&before));
    let count = |health: &str| {
        serde_json::from_str::<Value>(health).unwrap()["matters"]
            .as_u64()
            .unwrap()
    };
    assert!(count(&after) < count(&before), "{after} {before}");
    // An empty body reads the server's own rules again.
    let (status, _) = server.request("POST", "/v1/admin/reload", &bearer, b"");
    assert_eq!(status, 200);
    assert_eq!(hash(&server.get("/healthz").1), hash(&before));
    let (ok, log) = server.stop();
    assert!(ok, "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The plans' indicators over HTTP are the core's report, byte for byte, for a filter by region
/// code and by level; a parameter the filter does not take and a date that does not exist are
/// the core's failures; the OpenAPI document lists the route.
#[test]
fn indicators_are_the_cores_report() {
    let server = Server::start(&["--rules", "rules"]);
    let files = banshi_loader::read_rules(Path::new("../../rules"), &[]).unwrap();
    let engine = banshi_core::ffi::Engine::from_rules(banshi_loader::compile(&files).unwrap());
    for (query, on, filter) in [
        ("on=2026-03-02", "2026-03-02", "{}"),
        (
            "on=2026-03-02&region=610400",
            "2026-03-02",
            r#"{"region":"610400"}"#,
        ),
        (
            "on=2026-03-02&level=%E5%8E%BF%E7%BA%A7",
            "2026-03-02",
            r#"{"level":"县级"}"#,
        ),
    ] {
        let (status, body) = server.get(&format!("/v1/indicators?{query}"));
        assert_eq!(status, 200, "{body}");
        let envelope = engine.indicators(on, filter);
        let report = envelope
            .strip_prefix(r#"{"ok":true,"indicators":"#)
            .and_then(|r| r.strip_suffix('}'))
            .unwrap();
        assert_eq!(body, report, "{query}");
    }
    let (status, body) = server.get("/v1/indicators?on=2026-03-02&levle=x");
    assert_eq!((status, code(&body)), (422, "invalid_filter".to_string()));
    let (status, body) = server.get("/v1/indicators?on=2026-02-30");
    assert_eq!((status, code(&body)), (422, "invalid_date".to_string()));
    let (_, doc) = server.get("/openapi.json");
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert!(doc["paths"].get("/v1/indicators").is_some());
    let (ok, log) = server.stop();
    assert!(ok, "{log}");
}
