//! The checker: every static check of design.md §3 over a whole program (a set of files,
//! with `继承` and dated versions resolved). It collects every finding, sorted by position,
//! and produces a [`Checked`] [`Program`] only when there is no error.

mod error;
mod expr;
mod levels;
mod ranges;
mod rules;
mod versions;

pub use error::{suggest, CheckError};

use crate::ast::{self, Item, TypeExpr};
use crate::diagnostic::{self, Diagnostic};
use crate::ir::*;
use crate::span::{SourceFile, Span};
use std::collections::{HashMap, HashSet};

/// What checking a program produced.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    /// The checked program, when there is no error.
    pub program: Option<Checked<Program>>,
    /// Every error and warning, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) struct Checker<'a> {
    pub(crate) files: &'a [SourceFile],
    pub(crate) errors: Vec<CheckError>,
    pub(crate) enums: Vec<EnumDef>,
    pub(crate) facts: Vec<FactDef>,
    pub(crate) fact_index: HashMap<String, u32>,
    pub(crate) derived: Vec<Option<DerivedDef>>,
    pub(crate) derived_types: Vec<Option<Ty>>,
    pub(crate) derived_index: HashMap<String, u32>,
    /// Names visible in the ruleset being checked.
    pub(crate) scope: HashSet<String>,
    /// Facts read by the violation being checked.
    pub(crate) used_facts: Vec<u32>,
    /// Derived values read by the expression being checked (for cycle detection).
    pub(crate) used_derived: Vec<String>,
    pub(crate) depth: usize,
    /// Whether the expression being checked was already reported as nested too deep.
    pub(crate) too_deep: bool,
    /// Boundary convention of the ruleset being checked.
    pub(crate) boundary: ast::Boundary,
    /// Where each `优先于` target is written, by (rule span, target name): the IR keeps names
    /// only, and an unknown target is reported where it is written.
    pub(crate) override_spans: HashMap<((crate::FileId, u32, u32), String), Span>,
}

impl<'a> Checker<'a> {
    pub(crate) fn err(&mut self, e: CheckError) {
        self.errors.push(e);
    }

    pub(crate) fn scope_has(&self, name: &str) -> bool {
        self.scope.contains(name)
    }

    pub(crate) fn scope_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.scope.iter().cloned().collect();
        v.sort();
        v
    }

    pub(crate) fn note_overrides(&mut self, rule: Span, targets: &[ast::Ident]) {
        for t in targets {
            self.override_spans
                .entry((rule.key(), t.name.clone()))
                .or_insert(t.span);
        }
    }

    pub(crate) fn note_use(&mut self, name: &str) {
        self.used_derived.push(name.to_string());
    }

    /// `file:line` of a span, for messages that point at a second place.
    pub(crate) fn where_is(&self, span: Span) -> String {
        match self.files.get(span.file as usize) {
            Some(f) => {
                let (l, c) = f.line_col(span.start as usize);
                format!("{}:{}:{}", f.name, l, c)
            }
            None => String::new(),
        }
    }

    fn type_of(&mut self, t: &TypeExpr, fact: &str) -> Ty {
        match t {
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Number => Ty::Number,
            TypeExpr::Integer => Ty::Integer,
            TypeExpr::Money => Ty::Money,
            TypeExpr::Percent => Ty::Percent,
            TypeExpr::Multiple => Ty::Multiple,
            TypeExpr::Date => Ty::Date,
            TypeExpr::Duration => Ty::Duration,
            TypeExpr::Enum(vs) => {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                for v in vs {
                    if let Some(prev) = seen.insert(v.name.as_str(), v.span) {
                        let first = self.where_is(prev);
                        self.err(CheckError::Duplicate {
                            what: "取值",
                            name: v.name.clone(),
                            first,
                            span: v.span,
                        });
                    }
                }
                let variants: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
                self.enums.push(EnumDef {
                    fact: fact.to_string(),
                    variants,
                });
                Ty::Enum((self.enums.len() - 1) as u32)
            }
        }
    }

    fn same_type(&self, a: Ty, b: Ty) -> bool {
        match (a, b) {
            (Ty::Enum(x), Ty::Enum(y)) => {
                self.enums.get(x as usize).map(|e| &e.variants)
                    == self.enums.get(y as usize).map(|e| &e.variants)
            }
            _ => a == b,
        }
    }
}

/// Check a program: parsed files with their sources (same order, index = [`crate::FileId`]).
pub fn check(files: Vec<SourceFile>, asts: &[ast::File]) -> CheckOutput {
    let mut c = Checker {
        files: &files,
        errors: Vec::new(),
        enums: Vec::new(),
        facts: Vec::new(),
        fact_index: HashMap::new(),
        derived: Vec::new(),
        derived_types: Vec::new(),
        derived_index: HashMap::new(),
        scope: HashSet::new(),
        used_facts: Vec::new(),
        used_derived: Vec::new(),
        depth: 0,
        too_deep: false,
        boundary: ast::Boundary::default(),
        override_spans: HashMap::new(),
    };

    let groups = versions::group(&mut c, asts);
    let ancestry = versions::ancestry(&mut c, asts, &groups);

    // Declarations, program-wide: one name, one type. `first_decl` remembers where each name
    // was first declared (for messages); `in_version` catches a name declared twice in one
    // ruleset version.
    let mut first_decl: HashMap<String, Span> = HashMap::new();
    let mut in_version: HashMap<(usize, String), Span> = HashMap::new();
    let mut first_default: HashMap<(usize, String), (usize, Option<ast::Expr>)> = HashMap::new();
    let mut own_names: HashMap<String, HashSet<String>> = HashMap::new();
    for (gi, g) in groups.iter().enumerate() {
        for &fi in &g.files {
            let Some(file) = asts.get(fi) else { continue };
            for item in &file.items {
                match item {
                    Item::Fact(f) => {
                        own_names
                            .entry(g.name.clone())
                            .or_default()
                            .insert(f.name.name.clone());
                        let ty = c.type_of(&f.ty, &f.name.name);
                        // Chapters of one ruleset may each declare the facts they read: an
                        // identical declaration in another file of the same version is the same
                        // fact; twice in one file, or with another default, is a mistake.
                        let same_elsewhere = first_default
                            .get(&(gi, f.name.name.clone()))
                            .map(|(file, d)| *file != fi && d == &f.default)
                            .unwrap_or(false);
                        first_default
                            .entry((gi, f.name.name.clone()))
                            .or_insert((fi, f.default.clone()));
                        let prev = in_version.insert((gi, f.name.name.clone()), f.name.span);
                        if let (Some(prev), false) = (prev, same_elsewhere) {
                            let first = c.where_is(prev);
                            c.err(CheckError::Duplicate {
                                what: "事实",
                                name: f.name.name.clone(),
                                first,
                                span: f.name.span,
                            });
                            continue;
                        }
                        if let Some(&i) = c.fact_index.get(&f.name.name) {
                            let (prev_ty, prev_span) = match c.facts.get(i as usize) {
                                Some(p) => (p.ty, p.span),
                                None => continue,
                            };
                            if !c.same_type(prev_ty, ty) {
                                let first = c.where_is(prev_span);
                                c.err(CheckError::FactTypeConflict {
                                    name: f.name.name.clone(),
                                    ty: ty.label(&c.enums),
                                    first_ty: prev_ty.label(&c.enums),
                                    first,
                                    span: f.name.span,
                                });
                            }
                            continue;
                        }
                        if c.derived_index.contains_key(&f.name.name) {
                            let first = first_decl
                                .get(&f.name.name)
                                .map(|&s| c.where_is(s))
                                .unwrap_or_default();
                            c.err(CheckError::Duplicate {
                                what: "名称",
                                name: f.name.name.clone(),
                                first,
                                span: f.name.span,
                            });
                            continue;
                        }
                        first_decl.insert(f.name.name.clone(), f.name.span);
                        c.fact_index
                            .insert(f.name.name.clone(), c.facts.len() as u32);
                        c.facts.push(FactDef {
                            name: f.name.name.clone(),
                            label: f.label.as_ref().map(|t| t.value.clone()),
                            ty,
                            default: None,
                            ruleset: g.name.clone(),
                            span: f.name.span,
                        });
                    }
                    Item::Derived(d) => {
                        own_names
                            .entry(g.name.clone())
                            .or_default()
                            .insert(d.name.name.clone());
                        if c.fact_index.contains_key(&d.name.name)
                            || c.derived_index.contains_key(&d.name.name)
                        {
                            let first = first_decl
                                .get(&d.name.name)
                                .map(|&s| c.where_is(s))
                                .unwrap_or_default();
                            c.err(CheckError::Duplicate {
                                what: "推导值",
                                name: d.name.name.clone(),
                                first,
                                span: d.name.span,
                            });
                            continue;
                        }
                        first_decl.insert(d.name.name.clone(), d.name.span);
                        let ty = c.type_of(&d.ty, &d.name.name);
                        c.derived_index
                            .insert(d.name.name.clone(), c.derived.len() as u32);
                        c.derived.push(None);
                        c.derived_types.push(Some(ty));
                    }
                    _ => {}
                }
            }
        }
    }

    let scope_of = |name: &str| -> HashSet<String> {
        let mut s = own_names.get(name).cloned().unwrap_or_default();
        for a in ancestry.get(name).into_iter().flatten() {
            s.extend(own_names.get(a).cloned().unwrap_or_default());
        }
        s
    };

    // Defaults and derived definitions, each in its ruleset's scope.
    let mut deps: Vec<(u32, Vec<String>, Span)> = Vec::new();
    for g in &groups {
        c.scope = scope_of(&g.name);
        for &fi in &g.files {
            let Some(file) = asts.get(fi) else { continue };
            for item in &file.items {
                match item {
                    Item::Fact(f) => {
                        let Some(&i) = c.fact_index.get(&f.name.name) else {
                            continue;
                        };
                        let Some(ty) = c.facts.get(i as usize).map(|x| x.ty) else {
                            continue;
                        };
                        if let Some(d) = &f.default {
                            if let Some(CExpr::Lit(v)) = c.expect(d, ty, "默认值") {
                                if let Some(fd) = c.facts.get_mut(i as usize) {
                                    fd.default = Some(v);
                                }
                            } else if c.errors.last().map(|e| e.span().key()) != Some(d.span.key())
                            {
                                c.err(CheckError::TypeMismatch {
                                    what: "默认值".into(),
                                    expected: "常量".into(),
                                    found: "表达式".into(),
                                    span: d.span,
                                });
                            }
                        }
                    }
                    Item::Derived(d) => {
                        let Some(&i) = c.derived_index.get(&d.name.name) else {
                            continue;
                        };
                        let Some(ty) = c.derived_types.get(i as usize).copied().flatten() else {
                            continue;
                        };
                        c.used_derived.clear();
                        if let Some(expr) = c.expect(&d.expr, ty, "推导值") {
                            if let Some(slot) = c.derived.get_mut(i as usize) {
                                *slot = Some(DerivedDef {
                                    name: d.name.name.clone(),
                                    label: d.label.as_ref().map(|t| t.value.clone()),
                                    ty,
                                    expr,
                                    span: d.name.span,
                                });
                            }
                        }
                        deps.push((i, std::mem::take(&mut c.used_derived), d.name.span));
                    }
                    _ => {}
                }
            }
        }
    }
    cycles(&mut c, &deps);

    // Rulesets.
    let mut rulesets = Vec::new();
    for g in &groups {
        c.scope = scope_of(&g.name);
        rulesets.push(rules::ruleset(&mut c, asts, g));
    }
    rules::cross_checks(&mut c, &rulesets, &ancestry);

    let mut diagnostics: Vec<Diagnostic> = c.errors.iter().map(|e| e.to_diagnostic()).collect();
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup_by(|a, b| {
        a.span.key() == b.span.key() && a.code == b.code && a.message == b.message
    });
    let ok = !diagnostic::has_errors(&diagnostics);
    let program = if ok {
        let derived: Vec<DerivedDef> = c.derived.into_iter().flatten().collect();
        Some(Checked(Program {
            files: files.clone(),
            enums: c.enums,
            facts: c.facts,
            derived,
            rulesets,
        }))
    } else {
        None
    };
    CheckOutput {
        program,
        diagnostics,
    }
}

fn cycles(c: &mut Checker<'_>, deps: &[(u32, Vec<String>, Span)]) {
    let names: HashMap<u32, &str> = c
        .derived_index
        .iter()
        .map(|(n, &i)| (i, n.as_str()))
        .collect();
    let edges: HashMap<u32, Vec<u32>> = deps
        .iter()
        .map(|(i, ds, _)| {
            (
                *i,
                ds.iter()
                    .filter_map(|d| c.derived_index.get(d).copied())
                    .collect(),
            )
        })
        .collect();
    let mut reported = HashSet::new();
    for (start, _, span) in deps {
        // Iterative DFS looking for a path back to `start`.
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = HashSet::new();
        while let Some((node, path)) = stack.pop() {
            for &next in edges.get(&node).into_iter().flatten() {
                if next == *start {
                    let mut key: Vec<u32> = path.clone();
                    key.sort_unstable();
                    if reported.insert(key) {
                        let mut cyc: Vec<&str> = path
                            .iter()
                            .map(|i| names.get(i).copied().unwrap_or("?"))
                            .collect();
                        cyc.push(names.get(start).copied().unwrap_or("?"));
                        c.errors.push(CheckError::Cycle {
                            cycle: cyc.join(" → "),
                            span: *span,
                        });
                    }
                } else if seen.insert(next) {
                    let mut p = path.clone();
                    p.push(next);
                    stack.push((next, p));
                }
            }
        }
    }
}
