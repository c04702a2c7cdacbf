//! Explanation text written when a ruleset is compiled: whatever part of a line depends
//! only on the ruleset (where a rule is written and the basis it cites, a factor level as
//! the weight line shows it), so that an explained decision copies it instead of writing
//! it. Placing a span is a binary search over its file's lines and a dozen pushes; with the
//! level pieces, this was a tenth of an explained decision (18.0k → 16.1k instructions for
//! the benchmark case). It costs about 350 kB for Guangdong (national + provincial rules,
//! three periods), shared between periods and violations citing the same text.

use crate::money::Percent;
use crate::ruleset::locate_in;
use cailiang_dsl::ir::*;
use cailiang_dsl::SourceFile;
use std::collections::HashMap;
use std::sync::Arc;

/// The explanation text written at compile time, made once for all the snapshots (and
/// violations) that cite the same thing: a violation in force in several periods, or a
/// general table, would otherwise hold a copy per snapshot (a third of the text for
/// Guangdong's three periods).
pub(crate) struct TextCache<'a> {
    pub(crate) files: &'a [SourceFile],
    pub(crate) file_names: &'a [String],
    ends: HashMap<String, Text>,
    /// By the table's span and the basis its lines cite: a span is one table as written.
    tables: HashMap<(u32, u32, u32, String), Option<Arc<TableText>>>,
}

impl<'a> TextCache<'a> {
    pub(crate) fn new(files: &'a [SourceFile], file_names: &'a [String]) -> Self {
        TextCache {
            files,
            file_names,
            ends: HashMap::new(),
            tables: HashMap::new(),
        }
    }

    /// The end of a line citing `span` and `basis` (see [`push_line_end`]).
    pub(crate) fn end(&mut self, span: cailiang_dsl::Span, basis: &str) -> Text {
        let mut end = String::new();
        push_line_end(self.files, self.file_names, span, basis, &mut end);
        self.ends
            .entry(end)
            .or_insert_with_key(|e| Text::from(e.as_str()))
            .clone()
    }

    /// [`TableText::of`], shared.
    pub(crate) fn table(&mut self, table: &DiscretionIr, source: &str) -> Option<Arc<TableText>> {
        let span = match table {
            DiscretionIr::Additive { span, .. } | DiscretionIr::Bands(_, span) => *span,
        };
        let key = (span.file, span.start, span.end, source.to_string());
        if let Some(t) = self.tables.get(&key) {
            return t.clone();
        }
        let made = TableText::of(table, source, self).map(Arc::new);
        self.tables.insert(key, made.clone());
        made
    }
}

/// The explanation text of an additive discretion table: the end of its lines, and per
/// level the weight line's piece and the weight as decisions list it.
#[derive(Debug)]
pub(crate) struct TableText {
    /// The end of the lines at the table's span.
    pub(crate) end: Text,
    /// Per factor, per level, in the table's order.
    pub(crate) levels: Vec<Vec<LevelText>>,
    /// Room for the weight line (its longest levels, notes and numbers): it is longer than
    /// most lines, and growing it was a reallocation per decision.
    pub(crate) room: usize,
}

/// One factor level as an explained decision writes it.
#[derive(Debug)]
pub(crate) struct LevelText {
    /// `，factor“level”` (see [`push_level`]).
    pub(crate) piece: Box<str>,
    /// The weight as the decision lists it.
    pub(crate) weight: Percent,
}

impl TableText {
    /// For an additive table (nothing for bands, whose lines cite each band); `source` is
    /// the basis its lines cite.
    fn of(table: &DiscretionIr, source: &str, texts: &mut TextCache<'_>) -> Option<TableText> {
        let DiscretionIr::Additive { factors, span, .. } = table else {
            return None;
        };
        let end = texts.end(*span, source);
        let levels: Vec<Vec<LevelText>> = factors
            .iter()
            .map(|f| {
                f.levels
                    .iter()
                    .map(|l| {
                        let mut piece = String::new();
                        push_level(&mut piece, f, &l.label);
                        LevelText {
                            piece: piece.into(),
                            weight: Percent::of_fraction(l.value),
                        }
                    })
                    .collect()
            })
            .collect();
        let longest = |ls: &Vec<LevelText>| ls.iter().map(|l| l.piece.len()).max().unwrap_or(0);
        let room = levels
            .iter()
            .map(|ls| longest(ls) + DEFAULTED.len())
            .sum::<usize>()
            + end.len()
            + 128;
        Some(TableText { end, levels, room })
    }

    /// The text of `level`, one of `factors[factor]`'s levels.
    pub(crate) fn level(&self, factor: usize, f: &FactorIr, level: &LevelIr) -> Option<&LevelText> {
        let at = f.levels.iter().position(|l| std::ptr::eq(l, level))?;
        self.levels.get(factor)?.get(at)
    }
}

/// After a level taken by default, in the weight line.
pub(crate) const DEFAULTED: &str = "（未查明，按最低档）";

/// A factor's level in the weight line: `，factor“level”` (the factor's label if it has one).
pub(crate) fn push_level(out: &mut String, f: &FactorIr, level: &str) {
    out.push('，');
    out.push_str(f.label.as_deref().unwrap_or(&f.name));
    out.push('“');
    out.push_str(level);
    out.push('”');
}

/// `（file:line；依据：basis）`, or `（file:line）` when `basis` is empty: how an explanation
/// line citing `span` ends.
pub(crate) fn push_line_end(
    files: &[SourceFile],
    file_names: &[String],
    span: cailiang_dsl::Span,
    basis: &str,
    out: &mut String,
) {
    out.push('（');
    locate_in(files, file_names, span, out);
    if !basis.is_empty() {
        out.push_str("；依据：");
        out.push_str(basis);
    }
    out.push('）');
}
