//! The condition language: parsed once, type-checked against a matter's facts, evaluated in
//! three-valued logic.
//!
//! A condition is unknown, not false, while a fact it needs has not been given; `false and x`
//! is still false. `Node::missing` then tells which unanswered facts could change the result,
//! which is what the interview asks next.

mod parse;

pub use parse::{ArithOp, Ast, AstKind, CompareOp, MAX_DEPTH, MAX_LEN, SyntaxError, parse};

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{RuleErrorKind, Span};
use crate::facts::{FactDef, FactKind, FactValue};

/// The static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    /// true or false.
    Bool,
    /// An exact decimal (integer facts included).
    Number,
    /// Free text.
    Text,
    /// A calendar date.
    Date,
    /// One option of the enum fact with this index.
    Enum(u16),
    /// A set of options of the enum_list fact with this index.
    List(u16),
}

/// Compiled conditions: names resolved to indexes, enum texts to option numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A constant truth value.
    Bool(bool),
    /// A constant number.
    Number(Decimal),
    /// A constant text.
    Text(String),
    /// A constant date.
    Date(NaiveDate),
    /// A constant option number.
    Enum(u16),
    /// The value of a fact.
    Fact(u16),
    /// Whether a situation applies.
    Situation(u16),
    /// Negation.
    Not(Box<Node>),
    /// Conjunction.
    And(Vec<Node>),
    /// Disjunction.
    Or(Vec<Node>),
    /// A comparison of two operands of one type.
    Compare(CompareOp, Box<Node>, Box<Node>),
    /// Membership in a list of constants.
    In(Box<Node>, Vec<Node>),
    /// Whether a list fact holds an option.
    Contains(Box<Node>, u16),
    /// Exact arithmetic.
    Arith(ArithOp, Box<Node>, Box<Node>),
    /// Negative of a number.
    Neg(Box<Node>),
    /// The decision date.
    Today,
    /// Whole units between two dates.
    Between(DateUnit, Box<Node>, Box<Node>),
    /// The number of options in a list fact.
    Count(Box<Node>),
}

/// Units of [`Node::Between`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateUnit {
    /// Whole years.
    Years,
    /// Whole months.
    Months,
    /// Days.
    Days,
}

/// What names mean while compiling one matter's conditions.
pub(crate) struct Scope<'a> {
    /// The facts schema.
    pub facts: &'a [FactDef],
    /// Fact name to index.
    pub fact_index: &'a BTreeMap<String, u16>,
    /// Situation name to index; only those defined so far.
    pub situations: &'a BTreeMap<String, u16>,
}

type CompileResult = Result<(Node, Type), (Span, RuleErrorKind)>;

fn mismatch(span: Span, expected: &str, found: String) -> (Span, RuleErrorKind) {
    (
        span,
        RuleErrorKind::TypeMismatch {
            expected: expected.to_string(),
            found,
        },
    )
}

impl Scope<'_> {
    fn type_name(&self, ty: Type) -> String {
        match ty {
            Type::Bool => "a truth value".into(),
            Type::Number => "a number".into(),
            Type::Text => "text".into(),
            Type::Date => "a date".into(),
            Type::Enum(f) => alloc::format!("an option of `{}`", self.fact_name(f)),
            Type::List(f) => alloc::format!("the list `{}`", self.fact_name(f)),
        }
    }

    fn fact_name(&self, index: u16) -> &str {
        self.facts
            .get(usize::from(index))
            .map(|f| f.name.as_str())
            .unwrap_or_default()
    }

    fn options(&self, index: u16) -> &[String] {
        self.facts
            .get(usize::from(index))
            .map(|f| f.options.as_slice())
            .unwrap_or_default()
    }

    /// Compiles a condition that must be true or false.
    pub(crate) fn condition(&self, ast: &Ast) -> Result<Node, (Span, RuleErrorKind)> {
        let (node, ty) = self.compile(ast)?;
        if ty != Type::Bool {
            return Err(mismatch(
                ast.span,
                "a condition (true or false)",
                self.type_name(ty),
            ));
        }
        Ok(node)
    }

    /// Compiles an expression that must be a number (a fee's quantity).
    pub(crate) fn number(&self, ast: &Ast) -> Result<Node, (Span, RuleErrorKind)> {
        self.expect(ast, Type::Number, "a number")
    }

    fn expect(&self, ast: &Ast, want: Type, what: &str) -> Result<Node, (Span, RuleErrorKind)> {
        let (node, ty) = self.compile(ast)?;
        if ty != want {
            return Err(mismatch(ast.span, what, self.type_name(ty)));
        }
        Ok(node)
    }

    /// An enum option written as text: checked against the fact's options.
    fn option(&self, fact: u16, ast: &Ast) -> Result<u16, (Span, RuleErrorKind)> {
        let AstKind::Text(text) = &ast.kind else {
            let (_, ty) = self.compile(ast)?;
            return Err(mismatch(
                ast.span,
                &self.type_name(Type::Enum(fact)),
                self.type_name(ty),
            ));
        };
        let options = self.options(fact);
        options
            .iter()
            .position(|o| o == text)
            .and_then(|i| u16::try_from(i).ok())
            .ok_or_else(|| {
                (
                    ast.span,
                    RuleErrorKind::NotAnOption {
                        value: text.clone(),
                        fact: self.fact_name(fact).to_string(),
                        options: options.join("、"),
                    },
                )
            })
    }

    /// Compiles `left op right` where both sides must have one type; texts beside an enum are
    /// read as its options.
    fn operands(
        &self,
        left: &Ast,
        right: &Ast,
    ) -> Result<(Node, Node, Type), (Span, RuleErrorKind)> {
        let (l, lt) = self.compile(left)?;
        if let Type::Enum(f) = lt
            && matches!(right.kind, AstKind::Text(_))
        {
            return Ok((l, Node::Enum(self.option(f, right)?), lt));
        }
        let (r, rt) = self.compile(right)?;
        if let Type::Enum(f) = rt
            && matches!(left.kind, AstKind::Text(_))
        {
            return Ok((Node::Enum(self.option(f, left)?), r, rt));
        }
        let same = match (lt, rt) {
            (Type::Enum(a), Type::Enum(b)) => self.options(a) == self.options(b),
            _ => lt == rt,
        };
        if !same {
            return Err(mismatch(
                right.span,
                &self.type_name(lt),
                self.type_name(rt),
            ));
        }
        Ok((l, r, lt))
    }

    fn compile(&self, ast: &Ast) -> CompileResult {
        let span = ast.span;
        Ok(match &ast.kind {
            AstKind::Bool(b) => (Node::Bool(*b), Type::Bool),
            AstKind::Number(n) => (Node::Number(*n), Type::Number),
            AstKind::Text(t) => (Node::Text(t.clone()), Type::Text),
            AstKind::List(_) => {
                return Err((
                    span,
                    RuleErrorKind::Condition {
                        message: "a list may only follow `in`".into(),
                    },
                ));
            }
            AstKind::Name(name) => {
                if let Some(&index) = self.fact_index.get(name) {
                    let ty = match self.facts.get(usize::from(index)).map(|f| f.kind) {
                        Some(FactKind::Bool) => Type::Bool,
                        Some(FactKind::Integer | FactKind::Decimal) => Type::Number,
                        Some(FactKind::Text) => Type::Text,
                        Some(FactKind::Date) => Type::Date,
                        Some(FactKind::Enum) => Type::Enum(index),
                        Some(FactKind::EnumList) => Type::List(index),
                        Some(FactKind::Procedures) | None => {
                            return Err((
                                span,
                                RuleErrorKind::Invalid {
                                    message: alloc::format!(
                                        "`{name}` records clock stops for deadlines and cannot be used in conditions"
                                    ),
                                },
                            ));
                        }
                    };
                    (Node::Fact(index), ty)
                } else if let Some(&index) = self.situations.get(name) {
                    (Node::Situation(index), Type::Bool)
                } else {
                    return Err((span, RuleErrorKind::UnknownName { name: name.clone() }));
                }
            }
            AstKind::Not(inner) => (
                Node::Not(Box::new(self.expect(inner, Type::Bool, "a condition")?)),
                Type::Bool,
            ),
            AstKind::And(items) | AstKind::Or(items) => {
                let mut nodes = Vec::with_capacity(items.len());
                for item in items {
                    nodes.push(self.expect(item, Type::Bool, "a condition")?);
                }
                let node = if matches!(ast.kind, AstKind::And(_)) {
                    Node::And(nodes)
                } else {
                    Node::Or(nodes)
                };
                (node, Type::Bool)
            }
            AstKind::Compare(op, left, right) => {
                let (l, r, ty) = self.operands(left, right)?;
                let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
                if ordered && !matches!(ty, Type::Number | Type::Date) {
                    return Err(mismatch(
                        left.span,
                        "a number or a date",
                        self.type_name(ty),
                    ));
                }
                if matches!(ty, Type::List(_)) {
                    return Err(mismatch(
                        left.span,
                        "a single value (use `contains` on a list)",
                        self.type_name(ty),
                    ));
                }
                (Node::Compare(*op, Box::new(l), Box::new(r)), Type::Bool)
            }
            AstKind::In(left, list) => {
                let (l, lt) = self.compile(left)?;
                let AstKind::List(items) = &list.kind else {
                    return Err(mismatch(list.span, "a list", "a single value".into()));
                };
                if matches!(lt, Type::List(_) | Type::Bool) {
                    return Err(mismatch(
                        left.span,
                        "a number, a text or an option",
                        self.type_name(lt),
                    ));
                }
                let mut consts = Vec::with_capacity(items.len());
                for item in items {
                    let node = match lt {
                        Type::Enum(f) => Node::Enum(self.option(f, item)?),
                        _ => {
                            let (node, ty) = self.compile(item)?;
                            let constant =
                                matches!(node, Node::Number(_) | Node::Text(_) | Node::Date(_));
                            if ty != lt || !constant {
                                // A name of the right type is still no constant: say so, rather
                                // than "expected a number, found a number".
                                let found = if ty == lt {
                                    "a fact or an expression".into()
                                } else {
                                    self.type_name(ty)
                                };
                                return Err(mismatch(
                                    item.span,
                                    &alloc::format!("{} written as a constant", self.type_name(lt)),
                                    found,
                                ));
                            }
                            node
                        }
                    };
                    consts.push(node);
                }
                (Node::In(Box::new(l), consts), Type::Bool)
            }
            AstKind::Contains(list, item) => {
                let (l, lt) = self.compile(list)?;
                let Type::List(f) = lt else {
                    return Err(mismatch(list.span, "a list fact", self.type_name(lt)));
                };
                (
                    Node::Contains(Box::new(l), self.option(f, item)?),
                    Type::Bool,
                )
            }
            AstKind::Arith(op, left, right) => {
                let l = self.expect(left, Type::Number, "a number")?;
                let r = self.expect(right, Type::Number, "a number")?;
                (Node::Arith(*op, Box::new(l), Box::new(r)), Type::Number)
            }
            AstKind::Neg(inner) => (
                Node::Neg(Box::new(self.expect(inner, Type::Number, "a number")?)),
                Type::Number,
            ),
            AstKind::Call(name, args) => self.call(name, args, span)?,
        })
    }

    fn call(&self, name: &str, args: &[Ast], span: Span) -> CompileResult {
        let arity = |n: usize| -> Result<(), (Span, RuleErrorKind)> {
            if args.len() == n {
                Ok(())
            } else {
                Err((
                    span,
                    RuleErrorKind::Condition {
                        message: alloc::format!(
                            "`{name}` takes {n} argument(s), found {}",
                            args.len()
                        ),
                    },
                ))
            }
        };
        let date_arg = |i: usize| -> Result<Node, (Span, RuleErrorKind)> {
            match args.get(i) {
                Some(arg) => self.expect(arg, Type::Date, "a date"),
                None => Err((
                    span,
                    RuleErrorKind::Condition {
                        message: "missing argument".into(),
                    },
                )),
            }
        };
        Ok(match name {
            "today" => {
                arity(0)?;
                (Node::Today, Type::Date)
            }
            "date" => {
                arity(1)?;
                let Some(Ast {
                    kind: AstKind::Text(text),
                    span: arg_span,
                }) = args.first()
                else {
                    return Err(mismatch(
                        span,
                        "a date in quotes, `date(\"2026-01-01\")`",
                        "something else".into(),
                    ));
                };
                let date = crate::facts::parse_date(text).ok_or((
                    *arg_span,
                    RuleErrorKind::Invalid {
                        message: alloc::format!("`{text}` is not a real date in YYYY-MM-DD form"),
                    },
                ))?;
                (Node::Date(date), Type::Date)
            }
            "age" => {
                arity(1)?;
                (
                    Node::Between(
                        DateUnit::Years,
                        Box::new(date_arg(0)?),
                        Box::new(Node::Today),
                    ),
                    Type::Number,
                )
            }
            "years_between" | "months_between" | "days_between" => {
                arity(2)?;
                let unit = match name {
                    "years_between" => DateUnit::Years,
                    "months_between" => DateUnit::Months,
                    _ => DateUnit::Days,
                };
                (
                    Node::Between(unit, Box::new(date_arg(0)?), Box::new(date_arg(1)?)),
                    Type::Number,
                )
            }
            "count" => {
                arity(1)?;
                let Some(arg) = args.first() else {
                    return Err((
                        span,
                        RuleErrorKind::Condition {
                            message: "missing argument".into(),
                        },
                    ));
                };
                let (node, ty) = self.compile(arg)?;
                if !matches!(ty, Type::List(_)) {
                    return Err(mismatch(arg.span, "a list fact", self.type_name(ty)));
                }
                (Node::Count(Box::new(node)), Type::Number)
            }
            _ => {
                return Err((
                    span,
                    RuleErrorKind::UnknownFunction {
                        name: name.to_string(),
                    },
                ));
            }
        })
    }
}

/// A value during evaluation, borrowing from the facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    /// true or false.
    Bool(bool),
    /// A number.
    Number(Decimal),
    /// Text.
    Text(&'a str),
    /// A date.
    Date(NaiveDate),
    /// An option number.
    Enum(u16),
    /// Option numbers, sorted.
    List(&'a [u16]),
}

/// Everything an evaluation reads.
pub(crate) struct Env<'a> {
    /// Fact values by index; `None` when not given.
    pub facts: &'a [Option<FactValue>],
    /// Situation results by index; `None` when unknown.
    pub situations: &'a [Option<bool>],
    /// Situation definitions (name and condition), for [`Node::missing`].
    pub situation_nodes: &'a [(String, Node)],
    /// The decision date.
    pub today: NaiveDate,
}

/// An arithmetic result out of exact range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow;

type Eval<'a> = Result<Option<Val<'a>>, Overflow>;

impl Node {
    /// The value of a leaf (a constant, a fact, a situation, today); `None` for any other
    /// node. Leaves are most of what conditions evaluate (`fact == "option"`, a yes/no fact),
    /// so their parents read them through this, inlined, instead of a call to [`Node::eval`]
    /// each.
    #[inline(always)]
    fn leaf<'a>(&'a self, env: &Env<'a>) -> Option<Option<Val<'a>>> {
        Some(match self {
            Node::Bool(b) => Some(Val::Bool(*b)),
            Node::Number(n) => Some(Val::Number(*n)),
            Node::Text(t) => Some(Val::Text(t)),
            Node::Date(d) => Some(Val::Date(*d)),
            Node::Enum(e) => Some(Val::Enum(*e)),
            Node::Today => Some(Val::Date(env.today)),
            Node::Fact(i) => env
                .facts
                .get(usize::from(*i))
                .and_then(Option::as_ref)
                .and_then(val),
            Node::Situation(i) => env
                .situations
                .get(usize::from(*i))
                .copied()
                .flatten()
                .map(Val::Bool),
            _ => return None,
        })
    }

    /// [`Node::eval`] of an operand, a leaf read in place.
    #[inline]
    fn operand<'a>(&'a self, env: &Env<'a>) -> Eval<'a> {
        match self.leaf(env) {
            Some(value) => Ok(value),
            None => self.eval(env),
        }
    }

    /// Evaluates; `Ok(None)` is unknown.
    pub(crate) fn eval<'a>(&'a self, env: &Env<'a>) -> Eval<'a> {
        if let Some(value) = self.leaf(env) {
            return Ok(value);
        }
        Ok(match self {
            // Answered by `leaf` above; listed so that a new kind of node must be placed.
            Node::Bool(_)
            | Node::Number(_)
            | Node::Text(_)
            | Node::Date(_)
            | Node::Enum(_)
            | Node::Today
            | Node::Fact(_)
            | Node::Situation(_) => None,
            Node::Not(inner) => inner.truth(env)?.map(|b| Val::Bool(!b)),
            Node::And(items) => {
                let mut unknown = false;
                for item in items {
                    match item.truth(env)? {
                        Some(false) => return Ok(Some(Val::Bool(false))),
                        Some(true) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(Val::Bool(true))
            }
            Node::Or(items) => {
                let mut unknown = false;
                for item in items {
                    match item.truth(env)? {
                        Some(true) => return Ok(Some(Val::Bool(true))),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(Val::Bool(false))
            }
            Node::Compare(op, left, right) => {
                let (Some(l), Some(r)) = (left.operand(env)?, right.operand(env)?) else {
                    return Ok(None);
                };
                compare(*op, l, r).map(Val::Bool)
            }
            Node::In(item, consts) => {
                let Some(value) = item.operand(env)? else {
                    return Ok(None);
                };
                let mut found = false;
                for c in consts {
                    if let Some(candidate) = c.operand(env)?
                        && compare(CompareOp::Eq, value, candidate) == Some(true)
                    {
                        found = true;
                        break;
                    }
                }
                Some(Val::Bool(found))
            }
            Node::Contains(list, option) => match list.operand(env)? {
                Some(Val::List(items)) => Some(Val::Bool(items.binary_search(option).is_ok())),
                _ => None,
            },
            Node::Arith(op, left, right) => {
                let (Some(Val::Number(l)), Some(Val::Number(r))) =
                    (left.operand(env)?, right.operand(env)?)
                else {
                    return Ok(None);
                };
                let result = match op {
                    ArithOp::Add => l.checked_add(r),
                    ArithOp::Sub => l.checked_sub(r),
                    ArithOp::Mul => l.checked_mul(r),
                };
                Some(Val::Number(result.ok_or(Overflow)?))
            }
            Node::Neg(inner) => match inner.operand(env)? {
                Some(Val::Number(n)) => {
                    // Negating flips the sign bit, as rust_decimal's `Neg` does: it cannot
                    // overflow.
                    let mut negated = n;
                    negated.set_sign_negative(n.is_sign_positive());
                    Some(Val::Number(negated))
                }
                _ => None,
            },
            Node::Between(unit, from, to) => {
                let (Some(Val::Date(a)), Some(Val::Date(b))) =
                    (from.operand(env)?, to.operand(env)?)
                else {
                    return Ok(None);
                };
                let n = match unit {
                    DateUnit::Days => b.signed_duration_since(a).num_days(),
                    DateUnit::Months => months_between(a, b),
                    DateUnit::Years => months_between(a, b) / 12,
                };
                Some(Val::Number(Decimal::from(n)))
            }
            Node::Count(list) => match list.operand(env)? {
                Some(Val::List(items)) => Some(Val::Number(Decimal::from(items.len()))),
                _ => None,
            },
        })
    }

    /// Evaluates a condition; `Ok(None)` is unknown.
    #[inline]
    pub(crate) fn truth(&self, env: &Env<'_>) -> Result<Option<bool>, Overflow> {
        Ok(match self.operand(env)? {
            Some(Val::Bool(b)) => Some(b),
            _ => None,
        })
    }

    /// Calls `visit` with this node and every node inside it.
    pub(crate) fn walk(&self, visit: &mut impl FnMut(&Node)) {
        visit(self);
        match self {
            Node::Bool(_)
            | Node::Number(_)
            | Node::Text(_)
            | Node::Date(_)
            | Node::Enum(_)
            | Node::Fact(_)
            | Node::Situation(_)
            | Node::Today => {}
            Node::Not(a) | Node::Neg(a) | Node::Count(a) | Node::Contains(a, _) => a.walk(visit),
            Node::In(a, items) => {
                a.walk(visit);
                items.iter().for_each(|item| item.walk(visit));
            }
            Node::And(items) | Node::Or(items) => items.iter().for_each(|item| item.walk(visit)),
            Node::Compare(_, a, b) | Node::Arith(_, a, b) | Node::Between(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
        }
    }

    /// Marks in `out` every situation this condition reads directly.
    pub(crate) fn mark_situations(&self, out: &mut [bool]) {
        self.walk(&mut |node| {
            if let Node::Situation(i) = node
                && let Some(slot) = out.get_mut(usize::from(*i))
            {
                *slot = true;
            }
        });
    }

    /// Marks in `out` (indexed like the facts) every fact this condition reads directly.
    pub(crate) fn mark_facts(&self, out: &mut [bool]) {
        self.walk(&mut |node| {
            if let Node::Fact(i) = node
                && let Some(slot) = out.get_mut(usize::from(*i))
            {
                *slot = true;
            }
        });
    }

    /// Marks in `out` (indexed like the facts) every unanswered fact that could change this
    /// node's value. Call it on a node whose value is unknown.
    ///
    /// In an unknown `and` no item is false, so every unknown item matters (likewise `or`);
    /// known items and the facts behind them cannot change the result and are left out.
    ///
    /// Each unknown situation is followed once per call: situations may read one another many
    /// times over (`甲 = "乙 or 乙"`, `乙 = "丙 or 丙"` …), and following every reading would
    /// take time exponential in their number.
    pub(crate) fn missing(&self, env: &Env<'_>, out: &mut [bool]) -> Result<(), Overflow> {
        self.missing_once(env, out, &mut Vec::new())
    }

    /// [`Node::missing`], skipping the situations marked in `followed` (made one flag per
    /// situation when first needed).
    fn missing_once(
        &self,
        env: &Env<'_>,
        out: &mut [bool],
        followed: &mut Vec<bool>,
    ) -> Result<(), Overflow> {
        match self {
            Node::Fact(i) => {
                let given = env.facts.get(usize::from(*i)).is_some_and(Option::is_some);
                if !given && let Some(slot) = out.get_mut(usize::from(*i)) {
                    *slot = true;
                }
            }
            Node::Situation(i) => {
                if env
                    .situations
                    .get(usize::from(*i))
                    .copied()
                    .flatten()
                    .is_none()
                    && let Some((_, node)) = env.situation_nodes.get(usize::from(*i))
                {
                    followed.resize(env.situation_nodes.len(), false);
                    if let Some(seen) = followed.get_mut(usize::from(*i))
                        && !*seen
                    {
                        *seen = true;
                        node.missing_once(env, out, followed)?;
                    }
                }
            }
            Node::Bool(_)
            | Node::Number(_)
            | Node::Text(_)
            | Node::Date(_)
            | Node::Enum(_)
            | Node::Today => {}
            Node::Not(a)
            | Node::Neg(a)
            | Node::Count(a)
            | Node::Contains(a, _)
            | Node::In(a, _) => {
                if a.eval(env)?.is_none() {
                    a.missing_once(env, out, followed)?;
                }
            }
            Node::And(items) | Node::Or(items) => {
                for item in items {
                    if item.eval(env)?.is_none() {
                        item.missing_once(env, out, followed)?;
                    }
                }
            }
            Node::Compare(_, a, b) | Node::Arith(_, a, b) | Node::Between(_, a, b) => {
                for side in [a, b] {
                    if side.eval(env)?.is_none() {
                        side.missing_once(env, out, followed)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn compare(op: CompareOp, l: Val<'_>, r: Val<'_>) -> Option<bool> {
    use core::cmp::Ordering;
    let ordering: Ordering = match (l, r) {
        (Val::Number(a), Val::Number(b)) => a.cmp(&b),
        (Val::Date(a), Val::Date(b)) => a.cmp(&b),
        (Val::Text(a), Val::Text(b)) => a.cmp(b),
        (Val::Enum(a), Val::Enum(b)) => a.cmp(&b),
        (Val::Bool(a), Val::Bool(b)) => a.cmp(&b),
        _ => return None,
    };
    Some(match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
    })
}

/// Whole months from `a` to `b`, negative when `b` is earlier.
///
/// A month is complete when the day of the month is reached again, so an age reached on a
/// 29 February birthday is reached on 1 March in common years (周岁 by the Gregorian calendar,
/// never by clamping to 28 February).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    if b < a {
        return months_between(b, a).saturating_neg();
    }
    // Years of a `NaiveDate` fit in 18 bits: none of these can overflow an i64.
    let mut months = (i64::from(b.year()).saturating_sub(i64::from(a.year())))
        .saturating_mul(12)
        .saturating_add(i64::from(b.month()))
        .saturating_sub(i64::from(a.month()));
    if b.day() < a.day() {
        months = months.saturating_sub(1);
    }
    months
}

/// A borrowed view for evaluation; procedures never enter conditions.
#[inline]
fn val(value: &FactValue) -> Option<Val<'_>> {
    Some(match value {
        FactValue::Bool(b) => Val::Bool(*b),
        FactValue::Number(n) => Val::Number(*n),
        FactValue::Text(t) => Val::Text(t),
        FactValue::Date(d) => Val::Date(*d),
        FactValue::Enum(e) => Val::Enum(*e),
        FactValue::List(l) => Val::List(l),
        FactValue::Procedures(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FactDef, FactKind, FactSourceKind};

    fn d(s: &str) -> NaiveDate {
        crate::facts::parse_date(s).unwrap()
    }

    #[test]
    fn months_and_years() {
        assert_eq!(months_between(d("2008-02-29"), d("2026-02-28")) / 12, 17);
        assert_eq!(months_between(d("2008-02-29"), d("2026-03-01")) / 12, 18);
        assert_eq!(months_between(d("2000-05-10"), d("2018-05-10")) / 12, 18);
        assert_eq!(months_between(d("2000-05-10"), d("2018-05-09")) / 12, 17);
        assert_eq!(months_between(d("2026-01-31"), d("2026-02-28")), 0);
        assert_eq!(months_between(d("2026-03-31"), d("2026-01-31")), -2);
    }

    fn fact(name: &str, kind: FactKind, options: &[&str]) -> FactDef {
        FactDef {
            name: name.into(),
            kind,
            question: String::new(),
            options: options.iter().map(|o| o.to_string()).collect(),
            source: FactSourceKind::Applicant,
            format: None,
            min: None,
            max: None,
        }
    }

    struct Fixture {
        facts: Vec<FactDef>,
        index: BTreeMap<String, u16>,
        situations: BTreeMap<String, u16>,
    }

    fn fixture() -> Fixture {
        let facts = alloc::vec![
            fact("年龄", FactKind::Integer, &[]),
            fact("类型", FactKind::Enum, &["个人", "企业"]),
            fact("范围", FactKind::EnumList, &["甲", "乙", "丙"]),
            fact("生日", FactKind::Date, &[]),
            fact("本人", FactKind::Bool, &[]),
        ];
        let index = facts
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i as u16))
            .collect();
        Fixture {
            facts,
            index,
            situations: BTreeMap::new(),
        }
    }

    fn compile(src: &str) -> Result<Node, (Span, RuleErrorKind)> {
        let fx = fixture();
        let scope = Scope {
            facts: &fx.facts,
            fact_index: &fx.index,
            situations: &fx.situations,
        };
        scope.condition(
            &parse(src).map_err(|e| (e.span, RuleErrorKind::Condition { message: e.message }))?,
        )
    }

    fn truth(src: &str, facts: &[Option<FactValue>]) -> Option<bool> {
        let node = compile(src).unwrap();
        let env = Env {
            facts,
            situations: &[],
            situation_nodes: &[],
            today: d("2026-03-01"),
        };
        node.truth(&env).unwrap()
    }

    fn some_facts() -> Vec<Option<FactValue>> {
        alloc::vec![
            Some(FactValue::Number(Decimal::from(30))),
            Some(FactValue::Enum(1)),
            None,
            Some(FactValue::Date(d("2008-02-29"))),
            None,
        ]
    }

    #[test]
    fn type_errors_point_at_the_operand() {
        let (span, kind) = compile("类型 == \"个体\"").unwrap_err();
        assert_eq!(span, Span::new(10, 18));
        assert!(matches!(kind, RuleErrorKind::NotAnOption { .. }));
        let (span, kind) = compile("年龄 >= \"18\"").unwrap_err();
        assert_eq!(span, Span::new(10, 14));
        assert!(matches!(kind, RuleErrorKind::TypeMismatch { .. }));
        assert!(matches!(
            compile("年龄").unwrap_err().1,
            RuleErrorKind::TypeMismatch { .. }
        ));
        assert!(matches!(
            compile("未知 == 1").unwrap_err().1,
            RuleErrorKind::UnknownName { .. }
        ));
        assert!(matches!(
            compile("范围 contains \"丁\"").unwrap_err().1,
            RuleErrorKind::NotAnOption { .. }
        ));
        assert!(matches!(
            compile("生日 > 3").unwrap_err().1,
            RuleErrorKind::TypeMismatch { .. }
        ));
        assert!(matches!(
            compile("foo(1)").unwrap_err().1,
            RuleErrorKind::UnknownFunction { .. }
        ));
        assert!(matches!(
            compile("date(\"2025-02-30\") > today()").unwrap_err().1,
            RuleErrorKind::Invalid { .. }
        ));
    }

    #[test]
    fn three_valued_logic() {
        let facts = some_facts();
        assert_eq!(truth("年龄 >= 18 and 类型 == \"企业\"", &facts), Some(true));
        assert_eq!(truth("年龄 < 18 and 本人", &facts), Some(false));
        assert_eq!(truth("年龄 >= 18 and 本人", &facts), None);
        assert_eq!(truth("年龄 >= 18 or 本人", &facts), Some(true));
        assert_eq!(truth("not 本人", &facts), None);
        assert_eq!(truth("范围 contains \"甲\"", &facts), None);
        assert_eq!(truth("age(生日) == 18", &facts), Some(true));
        assert_eq!(truth("类型 in [\"个人\", \"企业\"]", &facts), Some(true));
        assert_eq!(truth("年龄 * 2 - 1 == 59.0", &facts), Some(true));
    }

    #[test]
    fn missing_lists_only_facts_that_matter() {
        let facts = some_facts();
        let node = compile("(年龄 < 18 and 本人) or (范围 contains \"甲\" and 年龄 > 1)").unwrap();
        let env = Env {
            facts: &facts,
            situations: &[],
            situation_nodes: &[],
            today: d("2026-03-01"),
        };
        assert_eq!(node.truth(&env).unwrap(), None);
        let mut out = alloc::vec![false; 5];
        node.missing(&env, &mut out).unwrap();
        // `本人` sits beside a false `年龄 < 18`, so it cannot matter.
        assert_eq!(out, [false, false, true, false, false]);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let node = compile("年龄 * 79228162514264337593543950335 > 0").unwrap();
        let facts = some_facts();
        let env = Env {
            facts: &facts,
            situations: &[],
            situation_nodes: &[],
            today: d("2026-03-01"),
        };
        assert_eq!(node.truth(&env), Err(Overflow));
    }
}
