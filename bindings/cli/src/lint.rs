//! `banshi lint`: the core's policy warnings ([`banshi_core::lint`]) located in rule files as
//! `file:line:col`, or by key path in a bundle.

use std::path::Path;

use banshi_core::lint::{Warning, lint};
use banshi_core::{RuleError, RuleErrorKind, RuleSet, Trust, bundle};
use banshi_loader::{Located, TextFile};

/// The retained-proof catalogue's file name, looked for beside the rules and above them.
pub const RETAINED_PROOFS: &str = "retained-proofs.toml";

fn line(warning: &Warning) -> String {
    let (document, clause, text) = warning.check.clause();
    format!(
        "warning[{}]: {} ({document} {clause}: “{text}”)",
        warning.check.name(),
        warning.message
    )
}

fn problems(located: &[Located]) -> String {
    let lines: Vec<String> = located.iter().map(ToString::to_string).collect();
    format!(
        "{}\nerror: the rules have {} problem(s); run `banshi check`",
        lines.join("\n"),
        located.len()
    )
}

/// The warnings for the rules at `path` (with the built-in catalogue and calendar where it has
/// none), each as `file:line:col: warning[check]: message (clause)`.
pub fn folder(path: &Path, builtin: &[TextFile]) -> Result<Vec<String>, String> {
    let mut files = banshi_loader::read_rules(path, builtin).map_err(|e| format!("error: {e}"))?;
    banshi_loader::compile(&files).map_err(|p| problems(&p))?;
    let (source, _) = banshi_loader::sources(&files);
    // Beside the rules (read with them, and carried by their bundle), else above them.
    let above = match (
        &source.retained_proofs,
        banshi_loader::nearest(path, RETAINED_PROOFS),
    ) {
        (None, Some(found)) => {
            let text = std::fs::read_to_string(&found)
                .map_err(|e| format!("error: {}: {e}", found.display()))?;
            let file = TextFile {
                name: found.display().to_string(),
                key: RETAINED_PROOFS.to_string(),
                text,
            };
            let parsed = banshi_loader::retained_proofs(&file).map_err(|p| problems(&[p]))?;
            files.push(file);
            Some(parsed)
        }
        _ => None,
    };
    let catalogue = match (&source.retained_proofs, &above) {
        (Some(beside), _) => Some((beside.file.as_str(), &beside.source)),
        (None, Some(above)) => Some((RETAINED_PROOFS, above)),
        (None, None) => None,
    };
    let warnings = lint(&source, catalogue);
    let errors: Vec<RuleError> = warnings
        .iter()
        .map(|w| RuleError {
            file: w.file.clone(),
            path: w.path.clone(),
            span: None,
            kind: RuleErrorKind::Invalid { message: line(w) },
        })
        .collect();
    Ok(banshi_loader::locate_all(&files, &errors)
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// The warnings for a bundle's rules, each as `file: key.path: warning[check]: message
/// (clause)`: a bundle keeps no line numbers; it carries the retained-proof catalogue that was
/// beside its rules.
pub fn bundle_file(path: &Path, trust: &Trust) -> Result<Vec<String>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
    let fail = |e: bundle::BundleError| format!("error: {}: {e}", path.display());
    let source = bundle::sources(&text, trust).map_err(fail)?;
    RuleSet::compile(&source).map_err(|errors| fail(bundle::BundleError::Rules { errors }))?;
    let catalogue = source
        .retained_proofs
        .as_ref()
        .map(|f| (f.file.as_str(), &f.source));
    Ok(lint(&source, catalogue)
        .iter()
        .map(|w| format!("{}: {}: {}", w.file, w.path, line(w)))
        .collect())
}
