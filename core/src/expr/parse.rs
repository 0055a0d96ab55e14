//! Text to syntax tree, keeping the span of every node.
//!
//! ```
//! use banshi_core::expr::parse;
//! let tree = parse("年龄 >= 18 and 申请人类型 == \"个体经营者\"").unwrap();
//! assert_eq!(tree.span.end, "年龄 >= 18 and 申请人类型 == \"个体经营者\"".len());
//! ```

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::str::FromStr;
use rust_decimal::Decimal;

use crate::error::Span;

/// Conditions nest at most this deep; deeper input is refused rather than risk the stack.
pub const MAX_DEPTH: usize = 48;

/// Conditions are at most this many bytes long.
pub const MAX_LEN: usize = 4096;

/// A syntax tree node.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    /// What the node is.
    pub kind: AstKind,
    /// Where it stands in the condition text.
    pub span: Span,
}

/// The kinds of syntax tree nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum AstKind {
    /// `true` or `false`.
    Bool(bool),
    /// A number literal.
    Number(Decimal),
    /// A text literal.
    Text(String),
    /// A list literal (only after `in`).
    List(Vec<Ast>),
    /// A fact or situation name.
    Name(String),
    /// A function call.
    Call(String, Vec<Ast>),
    /// `not x`.
    Not(Box<Ast>),
    /// `a and b and …`.
    And(Vec<Ast>),
    /// `a or b or …`.
    Or(Vec<Ast>),
    /// A comparison.
    Compare(CompareOp, Box<Ast>, Box<Ast>),
    /// `x in [..]`.
    In(Box<Ast>, Box<Ast>),
    /// `list contains x`.
    Contains(Box<Ast>, Box<Ast>),
    /// Arithmetic.
    Arith(ArithOp, Box<Ast>, Box<Ast>),
    /// `-x`.
    Neg(Box<Ast>),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
}

/// A syntax error with the span it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was expected.
    pub message: String,
    /// Where.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Number(Decimal),
    Text(String),
    Sym(&'static str),
    End,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn err(&self, message: impl Into<String>, start: usize, end: usize) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            span: Span::new(start, end),
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn next(&mut self) -> Result<(Tok, Span), SyntaxError> {
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() {
                self.pos = self.pos.saturating_add(c.len_utf8());
            } else {
                break;
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok((Tok::End, Span::new(start, start)));
        };
        if c.is_alphabetic() || c == '_' {
            while let Some(c) = self.peek_char() {
                if c.is_alphanumeric() || c == '_' {
                    self.pos = self.pos.saturating_add(c.len_utf8());
                } else {
                    break;
                }
            }
            let word = self.src.get(start..self.pos).unwrap_or_default();
            return Ok((Tok::Ident(word.to_string()), Span::new(start, self.pos)));
        }
        if c.is_ascii_digit() {
            let mut seen_dot = false;
            while let Some(c) = self.peek_char() {
                if c.is_ascii_digit() {
                    self.pos = self.pos.saturating_add(1);
                } else if c == '.' && !seen_dot {
                    seen_dot = true;
                    self.pos = self.pos.saturating_add(1);
                } else {
                    break;
                }
            }
            let text = self.src.get(start..self.pos).unwrap_or_default();
            if text.ends_with('.') {
                return Err(self.err(
                    "a number needs digits after its decimal point",
                    start,
                    self.pos,
                ));
            }
            let value = Decimal::from_str_exact(text)
                .map_err(|_| self.err("number too large to hold exactly", start, self.pos))?;
            return Ok((Tok::Number(value), Span::new(start, self.pos)));
        }
        if c == '"' {
            self.pos = self.pos.saturating_add(1);
            let mut text = String::new();
            loop {
                let Some(c) = self.peek_char() else {
                    return Err(self.err("unterminated text; add a closing `\"`", start, self.pos));
                };
                self.pos = self.pos.saturating_add(c.len_utf8());
                match c {
                    '"' => break,
                    '\\' => {
                        let Some(escaped) = self.peek_char() else {
                            return Err(self.err(
                                "unterminated text; add a closing `\"`",
                                start,
                                self.pos,
                            ));
                        };
                        self.pos = self.pos.saturating_add(escaped.len_utf8());
                        match escaped {
                            '"' | '\\' => text.push(escaped),
                            _ => {
                                return Err(self.err(
                                    "only `\\\"` and `\\\\` escapes are allowed in text",
                                    self.pos
                                        .saturating_sub(escaped.len_utf8())
                                        .saturating_sub(1),
                                    self.pos,
                                ));
                            }
                        }
                    }
                    _ => text.push(c),
                }
            }
            return Ok((Tok::Text(text), Span::new(start, self.pos)));
        }
        const SYMBOLS: [&str; 15] = [
            "==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", "+", "-", "*", "=",
        ];
        let rest = self.src.get(start..).unwrap_or_default();
        for sym in SYMBOLS {
            if rest.starts_with(sym) {
                self.pos = self.pos.saturating_add(sym.len());
                if sym == "=" {
                    return Err(self.err("use `==` to compare", start, self.pos));
                }
                return Ok((Tok::Sym(sym), Span::new(start, self.pos)));
            }
        }
        let hint = match c {
            '“' | '”' => "; use ASCII double quotes `\"` around text",
            '（' | '）' => "; use ASCII parentheses",
            '&' | '|' | '!' => "; use `and`, `or`, `not`",
            _ => "",
        };
        Err(self.err(
            alloc::format!("unexpected character `{c}`{hint}"),
            start,
            start.saturating_add(c.len_utf8()),
        ))
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Tok,
    span: Span,
    depth: usize,
}

/// Parses one condition.
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    if src.len() > MAX_LEN {
        return Err(SyntaxError {
            message: alloc::format!(
                "condition is {} bytes; at most {MAX_LEN} are allowed",
                src.len()
            ),
            span: Span::new(0, 0),
        });
    }
    let mut lexer = Lexer { src, pos: 0 };
    let (tok, span) = lexer.next()?;
    let mut parser = Parser {
        lexer,
        tok,
        span,
        depth: 0,
    };
    if parser.tok == Tok::End {
        return Err(SyntaxError {
            message: "empty condition".into(),
            span,
        });
    }
    let ast = parser.or()?;
    if parser.tok != Tok::End {
        return Err(parser.unexpected("`and`, `or` or the end of the condition"));
    }
    Ok(ast)
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "not" | "in" | "contains" | "true" | "false"
    )
}

impl Parser<'_> {
    fn bump(&mut self) -> Result<(Tok, Span), SyntaxError> {
        let (tok, span) = self.lexer.next()?;
        let old_tok = core::mem::replace(&mut self.tok, tok);
        let old_span = core::mem::replace(&mut self.span, span);
        Ok((old_tok, old_span))
    }

    fn at_word(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Ident(w) if w == word)
    }

    fn at_sym(&self, sym: &str) -> bool {
        matches!(&self.tok, Tok::Sym(s) if *s == sym)
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        let found = match &self.tok {
            Tok::End => "the end of the condition".to_string(),
            Tok::Ident(w) => alloc::format!("`{w}`"),
            Tok::Number(n) => alloc::format!("`{n}`"),
            Tok::Text(t) => alloc::format!("\"{t}\""),
            Tok::Sym(s) => alloc::format!("`{s}`"),
        };
        SyntaxError {
            message: alloc::format!("expected {expected}, found {found}"),
            span: self.span,
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: alloc::format!("condition nested more than {MAX_DEPTH} levels deep"),
                span: self.span,
            });
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Ast, SyntaxError> {
        self.enter()?;
        let first = self.and()?;
        let mut items = alloc::vec![first];
        while self.at_word("or") {
            self.bump()?;
            items.push(self.and()?);
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(join(items, AstKind::Or))
    }

    fn and(&mut self) -> Result<Ast, SyntaxError> {
        let first = self.not()?;
        let mut items = alloc::vec![first];
        while self.at_word("and") {
            self.bump()?;
            items.push(self.not()?);
        }
        Ok(join(items, AstKind::And))
    }

    fn not(&mut self) -> Result<Ast, SyntaxError> {
        if self.at_word("not") {
            let (_, start) = self.bump()?;
            self.enter()?;
            let inner = self.not()?;
            self.depth = self.depth.saturating_sub(1);
            let span = start.to(inner.span);
            return Ok(Ast {
                kind: AstKind::Not(Box::new(inner)),
                span,
            });
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Ast, SyntaxError> {
        let left = self.sum()?;
        let op = match &self.tok {
            Tok::Sym("==") => Some(CompareOp::Eq),
            Tok::Sym("!=") => Some(CompareOp::Ne),
            Tok::Sym("<") => Some(CompareOp::Lt),
            Tok::Sym("<=") => Some(CompareOp::Le),
            Tok::Sym(">") => Some(CompareOp::Gt),
            Tok::Sym(">=") => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.bump()?;
            let right = self.sum()?;
            let span = left.span.to(right.span);
            return Ok(Ast {
                kind: AstKind::Compare(op, Box::new(left), Box::new(right)),
                span,
            });
        }
        if self.at_word("in") {
            self.bump()?;
            if !self.at_sym("[") {
                return Err(self.unexpected("a list such as `[\"a\", \"b\"]` after `in`"));
            }
            let right = self.primary()?;
            let span = left.span.to(right.span);
            return Ok(Ast {
                kind: AstKind::In(Box::new(left), Box::new(right)),
                span,
            });
        }
        if self.at_word("contains") {
            self.bump()?;
            let right = self.sum()?;
            let span = left.span.to(right.span);
            return Ok(Ast {
                kind: AstKind::Contains(Box::new(left), Box::new(right)),
                span,
            });
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.product()?;
        loop {
            let op = match self.tok {
                Tok::Sym("+") => ArithOp::Add,
                Tok::Sym("-") => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.bump()?;
            let right = self.product()?;
            let span = left.span.to(right.span);
            left = Ast {
                kind: AstKind::Arith(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn product(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.unary()?;
        while self.at_sym("*") {
            self.bump()?;
            let right = self.unary()?;
            let span = left.span.to(right.span);
            left = Ast {
                kind: AstKind::Arith(ArithOp::Mul, Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Ast, SyntaxError> {
        if self.at_sym("-") {
            let (_, start) = self.bump()?;
            self.enter()?;
            let inner = self.unary()?;
            self.depth = self.depth.saturating_sub(1);
            let span = start.to(inner.span);
            return Ok(Ast {
                kind: AstKind::Neg(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Ast, SyntaxError> {
        match self.tok.clone() {
            Tok::Number(n) => {
                let (_, span) = self.bump()?;
                Ok(Ast {
                    kind: AstKind::Number(n),
                    span,
                })
            }
            Tok::Text(t) => {
                let (_, span) = self.bump()?;
                Ok(Ast {
                    kind: AstKind::Text(t),
                    span,
                })
            }
            Tok::Ident(word) if word == "true" || word == "false" => {
                let (_, span) = self.bump()?;
                Ok(Ast {
                    kind: AstKind::Bool(word == "true"),
                    span,
                })
            }
            Tok::Ident(word) if is_keyword(&word) => Err(self.unexpected("a value, a name or `(`")),
            Tok::Ident(word) => {
                let (_, start) = self.bump()?;
                if !self.at_sym("(") {
                    return Ok(Ast {
                        kind: AstKind::Name(word),
                        span: start,
                    });
                }
                self.bump()?;
                self.enter()?;
                let mut args = Vec::new();
                if !self.at_sym(")") {
                    loop {
                        args.push(self.or()?);
                        if self.at_sym(",") {
                            self.bump()?;
                        } else {
                            break;
                        }
                    }
                }
                if !self.at_sym(")") {
                    return Err(self.unexpected("`,` or `)`"));
                }
                self.depth = self.depth.saturating_sub(1);
                let (_, end) = self.bump()?;
                Ok(Ast {
                    kind: AstKind::Call(word, args),
                    span: start.to(end),
                })
            }
            Tok::Sym("(") => {
                let (_, start) = self.bump()?;
                self.enter()?;
                let inner = self.or()?;
                if !self.at_sym(")") {
                    return Err(self.unexpected("`)`"));
                }
                self.depth = self.depth.saturating_sub(1);
                let (_, end) = self.bump()?;
                Ok(Ast {
                    kind: inner.kind,
                    span: start.to(end),
                })
            }
            Tok::Sym("[") => {
                let (_, start) = self.bump()?;
                let mut items = Vec::new();
                if !self.at_sym("]") {
                    loop {
                        items.push(self.unary()?);
                        if self.at_sym(",") {
                            self.bump()?;
                        } else {
                            break;
                        }
                    }
                }
                if !self.at_sym("]") {
                    return Err(self.unexpected("`,` or `]`"));
                }
                let (_, end) = self.bump()?;
                Ok(Ast {
                    kind: AstKind::List(items),
                    span: start.to(end),
                })
            }
            _ => Err(self.unexpected("a value, a name or `(`")),
        }
    }
}

fn join(mut items: Vec<Ast>, make: fn(Vec<Ast>) -> AstKind) -> Ast {
    if items.len() == 1
        && let Some(only) = items.pop()
    {
        return only;
    }
    let span = match (items.first(), items.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::new(0, 0),
    };
    Ast {
        kind: make(items),
        span,
    }
}

impl FromStr for Ast {
    type Err = SyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> SyntaxError {
        parse(src).unwrap_err()
    }

    #[test]
    fn precedence_and_spans() {
        let ast = parse("a or b and not c").unwrap();
        let AstKind::Or(items) = ast.kind else {
            panic!("expected or")
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(items[1].kind, AstKind::And(_)));
        assert_eq!(items[1].span, Span::new(5, 16));
    }

    #[test]
    fn chinese_names_and_text() {
        let src = "申请人类型 == \"个体经营者\"";
        let ast = parse(src).unwrap();
        let AstKind::Compare(CompareOp::Eq, left, right) = ast.kind else {
            panic!("expected ==")
        };
        assert_eq!(left.kind, AstKind::Name("申请人类型".into()));
        assert_eq!(&src[right.span.start..right.span.end], "\"个体经营者\"");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = err("年龄 >= ");
        assert_eq!(e.span, Span::new("年龄 >= ".len(), "年龄 >= ".len()));
        let e = err("年龄 = 18");
        assert_eq!(e.message, "use `==` to compare");
        assert_eq!(e.span, Span::new(7, 8));
        let e = err("a == “x”");
        assert!(e.message.contains("ASCII double quotes"));
        assert!(err("(a").message.contains("expected `)`"));
        assert!(err("x in y").message.contains("a list"));
        assert!(err("1.").message.contains("digits after"));
        assert!(err("").message.contains("empty"));
    }

    #[test]
    fn depth_is_limited() {
        let deep = "(".repeat(200) + "a" + &")".repeat(200);
        assert!(err(&deep).message.contains("nested"));
        let nots = "not ".repeat(200) + "a";
        assert!(err(&nots).message.contains("nested"));
        let negs = "-".repeat(200) + "1";
        assert!(err(&negs).message.contains("nested"));
    }

    #[test]
    fn numbers_are_exact() {
        let ast = parse("0.1").unwrap();
        assert_eq!(ast.kind, AstKind::Number(Decimal::new(1, 1)));
        assert!(
            err("99999999999999999999999999999999")
                .message
                .contains("too large")
        );
    }
}
