//! Explanation text written when a ruleset is compiled: whatever part of a line depends
//! only on the ruleset (where a rule is written and the basis it cites, a range of literal
//! amounts, how a share of a base is taken, a factor level as the weight line shows it), so
//! that an explained decision copies it instead of writing it. Placing a span alone is a
//! binary search over its file's lines and a dozen pushes. Measured on the benchmark case
//! (share of a base, additive table): 18.0k → 15.6k instructions per explained decision; a
//! Guangdong banded case with a literal range: 13.4k → 12.0k. It costs about 600 kB for
//! national + Guangdong (1,309 violations over three periods; the rules are 880 kB of
//! text), 330 kB for national + Hunan: texts are interned, so periods and violations citing
//! the same text share one copy.

use crate::money::{self, dec, Percent};
use crate::ruleset::locate_in;
use cailiang_dsl::ir::*;
use cailiang_dsl::SourceFile;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// The explanation text written at compile time, made once for all the snapshots (and
/// violations) that cite the same thing: a violation in force in several periods, or a
/// general table, would otherwise hold a copy per snapshot (a third of the text for
/// Guangdong's three periods).
pub(crate) struct TextCache<'a> {
    pub(crate) files: &'a [SourceFile],
    pub(crate) file_names: &'a [String],
    texts: HashMap<String, Text>,
    /// By the table's span and the basis its lines cite: a span is one table as written.
    tables: HashMap<(u32, u32, u32, String), Option<Arc<TableText>>>,
}

impl<'a> TextCache<'a> {
    pub(crate) fn new(files: &'a [SourceFile], file_names: &'a [String]) -> Self {
        TextCache {
            files,
            file_names,
            texts: HashMap::new(),
            tables: HashMap::new(),
        }
    }

    /// The end of a line citing `span` and `basis` (see [`push_line_end`]).
    pub(crate) fn end(&mut self, span: cailiang_dsl::Span, basis: &str) -> Text {
        let mut end = String::new();
        push_line_end(self.files, self.file_names, span, basis, &mut end);
        self.intern(end)
    }

    /// One copy of each text.
    fn intern(&mut self, text: String) -> Text {
        self.texts
            .entry(text)
            .or_insert_with_key(|t| Text::from(t.as_str()))
            .clone()
    }

    /// The text of a statutory range whose lines cite `basis`.
    pub(crate) fn fine(&mut self, f: &FineIr, basis: &str) -> FineText {
        let end = self.end(f.span, basis);
        // A range of literal amounts makes the same line in every case.
        let literal = match &f.shape {
            ShapeIr::Bounds {
                min: CExpr::Lit(Value::Dec(min)),
                max: CExpr::Lit(Value::Dec(max)),
            } => Some((BOUNDS, *min, *max)),
            ShapeIr::MaxOnly {
                max: CExpr::Lit(Value::Dec(max)),
            } => Some((MAX_ONLY, Decimal::ZERO, *max)),
            _ => None,
        };
        let range = literal.map(|(what, min, max)| {
            let mut range = String::new();
            range.push_str(what);
            push_range(&mut range, escalated(f), min, max);
            self.intern(range)
        });
        let rates = match &f.shape {
            ShapeIr::OfBase {
                low,
                high,
                multiple,
                ..
            } => {
                let mut rates = String::new();
                push_rates(&mut rates, *low, *high, *multiple);
                Some(self.intern(rates))
            }
            _ => None,
        };
        FineText { end, range, rates }
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

/// The explanation text of a discretion table: for an additive one, the end of its lines,
/// the weight line's start, and per level the weight line's piece and the weight as
/// decisions list it; for bands, the end of each band's line.
#[derive(Debug)]
pub(crate) struct TableText {
    /// The end of the lines at the table's span.
    pub(crate) end: Text,
    /// The weight line's start: `【裁量】` and [`push_weights_head`]'s text.
    pub(crate) head: Text,
    /// Per factor, per level, in the table's order.
    pub(crate) levels: Vec<Vec<LevelText>>,
    /// Room for the weight line after its start (its longest levels, notes and numbers): it
    /// is longer than most lines, and growing it was a reallocation per decision.
    pub(crate) room: usize,
    /// Per band, the end of its line.
    pub(crate) bands: Vec<Text>,
}

/// The text of a statutory range.
#[derive(Debug)]
pub(crate) struct FineText {
    /// The end of its lines.
    pub(crate) end: Text,
    /// For a range of literal amounts, the 法定幅度 line's text (the same in every case,
    /// and for many ranges).
    pub(crate) range: Option<Text>,
    /// A share or multiple of a base: how it is taken (see [`push_rates`]).
    pub(crate) rates: Option<Text>,
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
    /// `source` is the basis its lines cite.
    fn of(table: &DiscretionIr, source: &str, texts: &mut TextCache<'_>) -> Option<TableText> {
        let (start, factors, span) = match table {
            DiscretionIr::Additive {
                start,
                factors,
                span,
                ..
            } => (*start, factors.as_slice(), span),
            DiscretionIr::Bands(bands, span) => {
                return Some(TableText {
                    end: texts.end(*span, source),
                    head: Text::from(""),
                    levels: Vec::new(),
                    room: 0,
                    bands: bands.iter().map(|b| texts.end(b.span, source)).collect(),
                })
            }
        };
        let end = texts.end(*span, source);
        let mut head = String::from("【裁量】");
        push_weights_head(&mut head, start);
        let head = texts.intern(head);
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
        Some(TableText {
            end,
            head,
            levels,
            room,
            bands: Vec::new(),
        })
    }

    /// The text of `level`, one of `factors[factor]`'s levels.
    pub(crate) fn level(&self, factor: usize, f: &FactorIr, level: &LevelIr) -> Option<&LevelText> {
        let at = f.levels.iter().position(|l| std::ptr::eq(l, level))?;
        self.levels.get(factor)?.get(at)
    }
}

/// A band's 裁量 line written whole at compile time, for the amounts the violation's range
/// of literal amounts gives the band (most Guangdong tables are bands over such a range):
/// a decision whose amounts are these copies it instead of writing three amounts and the
/// line's end. Measured on AIR-100-1: 8,967 → 8,280 instructions per explained decision.
#[derive(Debug)]
pub(crate) struct BandLine {
    /// The band's `(lo, hi, mid)` the line was written for.
    amounts: (Decimal, Decimal, Decimal),
    /// `【裁量】`, [`push_band`]'s text, the line's end.
    pub(crate) line: Text,
}

impl BandLine {
    /// Whether the line is the one for these amounts (the same decimals, bit for bit).
    pub(crate) fn is_for(&self, lo: Decimal, hi: Decimal, mid: Decimal) -> bool {
        let (a, b, c) = self.amounts;
        dec::same(a, lo) && dec::same(b, hi) && dec::same(c, mid)
    }
}

/// Per band of the table `v` is decided by (its own, else the snapshot's `general`), the
/// band's line when its amounts do not depend on the case (see [`BandLine`]).
pub(crate) fn band_lines(
    v: &ViolationIr,
    general: Option<&GeneralTableIr>,
    texts: &mut TextCache<'_>,
) -> Vec<Option<BandLine>> {
    // The table and the basis its lines cite, as `decide::discretion` takes them.
    let (table, source) = match (&v.discretion, general) {
        (Some(t), _) => (t, v.source.clone().unwrap_or_else(|| v.basis.join("、"))),
        (None, Some(g)) => (&g.discretion, g.basis.clone()),
        (None, None) => return Vec::new(),
    };
    let (DiscretionIr::Bands(bands, _), Some(fine)) =
        (table, v.fines.iter().find(|f| f.when.is_none()))
    else {
        return Vec::new();
    };
    bands
        .iter()
        .map(|b| {
            let (lo, hi, mid) = crate::decide::band_amounts(fine, b)?;
            let mut line = String::from("【裁量】");
            push_band(&mut line, &b.name, lo, hi, mid);
            line.push_str(&texts.end(b.span, &source));
            Some(BandLine {
                amounts: (lo, hi, mid),
                line: texts.intern(line),
            })
        })
        .collect()
}

/// A band's 裁量 line after its rule: `分档：适用“name”档，lo 至 hi，无从重从轻情节取中间值 mid`.
pub(crate) fn push_band(out: &mut String, name: &str, lo: Decimal, hi: Decimal, mid: Decimal) {
    out.push_str("分档：适用“");
    out.push_str(name);
    out.push_str("”档，");
    money::push_yuan(out, lo);
    out.push_str(" 至 ");
    money::push_yuan(out, hi);
    out.push_str("，无从重从轻情节取中间值 ");
    money::push_yuan(out, mid);
}

/// The start of the statutory range's lines.
pub(crate) const RANGE: &str = "【法定幅度】";
/// How a range of two amounts is shown.
pub(crate) const BOUNDS: &str = "法定罚款幅度";
/// How a range with only a maximum is shown.
pub(crate) const MAX_ONLY: &str = "法定罚款（仅有上限）";

/// After what a range is: `（加重情形）` when it applies under a condition.
pub(crate) fn escalated(f: &FineIr) -> &'static str {
    if f.when.is_some() {
        "（加重情形）"
    } else {
        ""
    }
}

/// The rest of the 法定幅度 line after what the range is: `：min 至 max`.
pub(crate) fn push_range(out: &mut String, escalated: &str, min: Decimal, max: Decimal) {
    out.push_str(escalated);
    out.push('：');
    money::push_yuan(out, min);
    out.push_str(" 至 ");
    money::push_yuan(out, max);
}

/// A range taken from a base: ` 的 1% 至 5%`, ` 的 3倍 至 5倍`.
pub(crate) fn push_rates(out: &mut String, low: Decimal, high: Decimal, multiple: bool) {
    if multiple {
        let _ = write!(out, " 的 {}倍 至 {}倍", low.normalize(), high.normalize());
    } else {
        out.push_str(" 的 ");
        money::push_pct(out, low);
        out.push_str(" 至 ");
        money::push_pct(out, high);
    }
}

/// The weight line's start: `权重累加：起点 20%`.
pub(crate) fn push_weights_head(out: &mut String, start: Decimal) {
    out.push_str("权重累加：起点 ");
    money::push_pct(out, start);
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
