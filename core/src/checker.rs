//! Collects the problems found while compiling one rule file, with the checks every rule family
//! shares (texts, option lists, basis references, limits, conditions, names).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::common::Limit;
use crate::error::{RuleError, RuleErrorKind, SourcePath, Span};
use crate::expr::{self, AstKind, Node, Scope};
use crate::facts::parse_decimal;
use crate::source::{LimitSource, NumberSource};

/// Collects problems while compiling one file.
pub(crate) struct Checker<'a> {
    pub file: &'a str,
    pub errors: Vec<RuleError>,
}

impl<'a> Checker<'a> {
    /// A checker for the file named `file`.
    pub fn new(file: &'a str) -> Self {
        Checker {
            file,
            errors: Vec::new(),
        }
    }

    /// Reports a list of `count` entries when there are more than `limit`.
    pub fn count(&mut self, path: SourcePath, count: usize, limit: usize) {
        if count > limit {
            self.push(path, None, RuleErrorKind::TooMany { count, limit });
        }
    }

    /// Reports a text of `bytes` when it is longer than `limit`.
    pub fn length(&mut self, path: SourcePath, bytes: usize, limit: usize) {
        if bytes > limit {
            self.push(path, None, RuleErrorKind::TooLong { bytes, limit });
        }
    }

    /// Reports `id` as a second `what` (a repeated id or name).
    pub fn duplicate(&mut self, path: SourcePath, what: &'static str, id: &str) {
        self.push(
            path,
            None,
            RuleErrorKind::Duplicate {
                what,
                id: id.to_string(),
            },
        );
    }

    /// A decimal in text, for money and bounds; `None` (and an error) when it is not one.
    pub fn decimal(&mut self, path: SourcePath, text: &str) -> Option<rust_decimal::Decimal> {
        let value = parse_decimal(text.trim());
        if value.is_none() {
            self.invalid(path, alloc::format!("`{text}` is not a decimal number"));
        }
        value
    }

    /// An expression that must be a number.
    pub fn number(&mut self, path: SourcePath, text: &str, scope: &Scope<'_>) -> Option<Node> {
        let result = expr::parse(text)
            .map_err(|e| (e.span, RuleErrorKind::Condition { message: e.message }))
            .and_then(|ast| scope.number(&ast));
        match result {
            Ok(node) => Some(node),
            Err((span, kind)) => {
                self.push(path, Some(span), kind);
                None
            }
        }
    }

    pub fn push(&mut self, path: SourcePath, span: Option<Span>, kind: RuleErrorKind) {
        self.errors.push(RuleError {
            file: self.file.to_string(),
            path,
            span,
            kind,
        });
    }

    pub fn invalid(&mut self, path: SourcePath, message: impl Into<String>) {
        self.push(
            path,
            None,
            RuleErrorKind::Invalid {
                message: message.into(),
            },
        );
    }

    pub fn one_of(&mut self, path: SourcePath, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.push(
                path,
                None,
                RuleErrorKind::NotAllowed {
                    value: value.to_string(),
                    allowed: allowed.join("、"),
                },
            );
        }
    }

    pub fn all_of(&mut self, path: &SourcePath, values: &[String], allowed: &[&str]) {
        if values.is_empty() {
            self.invalid(path.clone(), "must list at least one value");
        }
        for (i, value) in values.iter().enumerate() {
            self.one_of(path.index(i), value, allowed);
        }
    }

    pub fn text(&mut self, path: SourcePath, value: &str) {
        if value.trim().is_empty() {
            self.invalid(path, "must not be empty");
        }
    }

    pub fn basis_refs(
        &mut self,
        path: &SourcePath,
        ids: &[String],
        index: &BTreeMap<&str, usize>,
        required: bool,
    ) -> Vec<usize> {
        if required && ids.is_empty() {
            self.invalid(path.clone(), "must cite at least one `[[basis]]` id");
        }
        let mut out = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            match index.get(id.as_str()) {
                Some(&b) => out.push(b),
                None => self.push(
                    path.index(i),
                    None,
                    RuleErrorKind::UnknownBasis { id: id.clone() },
                ),
            }
        }
        out
    }

    pub fn limit(&mut self, path: SourcePath, limit: &LimitSource) -> Limit {
        match (limit.working_days, limit.days) {
            (Some(n), None) => Limit::WorkingDays(n),
            (None, Some(n)) => Limit::Days(n),
            _ => {
                self.invalid(path, "give exactly one of `working_days` or `days`");
                Limit::WorkingDays(0)
            }
        }
    }

    pub fn condition(&mut self, path: SourcePath, text: &str, scope: &Scope<'_>) -> Option<Node> {
        let result = expr::parse(text)
            .map_err(|e| (e.span, RuleErrorKind::Condition { message: e.message }))
            .and_then(|ast| scope.condition(&ast));
        match result {
            Ok(node) => Some(node),
            Err((span, kind)) => {
                self.push(path, Some(span), kind);
                None
            }
        }
    }

    /// A name usable in conditions: exactly one identifier token, not a keyword.
    pub fn identifier(&mut self, path: SourcePath, name: &str) {
        let ok =
            matches!(expr::parse(name), Ok(ast) if ast.kind == AstKind::Name(name.to_string()));
        if !ok {
            self.invalid(
                path,
                alloc::format!("`{name}` cannot be used in conditions; use letters, digits and `_` only, not starting with a digit, and no keyword"),
            );
        }
    }
}

pub(crate) fn bound(
    checker: &mut Checker<'_>,
    path: SourcePath,
    value: &Option<NumberSource>,
) -> Option<rust_decimal::Decimal> {
    match value.as_ref()? {
        NumberSource::Integer(i) => Some(rust_decimal::Decimal::from(*i)),
        NumberSource::Text(text) => {
            let parsed = parse_decimal(text);
            if parsed.is_none() {
                checker.invalid(path, alloc::format!("`{text}` is not a decimal number"));
            }
            parsed
        }
    }
}
