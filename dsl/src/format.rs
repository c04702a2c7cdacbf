//! The formatter: one canonical layout for `.rules` files.
//!
//! * the header's clauses each on their own line, indented two spaces;
//! * a blank line between top-level items; runs of `事实` / `推导` stay together, split only
//!   where the source had a blank line between two of them;
//! * violation clauses indented two spaces, their sub-clauses (起点, 因素, 上限, 下限, 档, the
//!   clauses of a local 免罚 / 调整, 时效 cases) four; a factor wider than 120 columns has its
//!   levels one to a line, indented six, each but the last ending in `，`;
//! * Chinese keywords and the punctuation of the published tables: `：` `，` `；` `（` `）`
//!   `｛` `｝`, ASCII `"` quotes (or `“…”` / `「…」` when the text holds a `"`);
//! * literals printed from their values: `20万元` (amounts of at least 10 000 yuan that are
//!   whole hundreds), `5000元`, `5%`, `3倍`, `2年`, `6个月`, `30日`;
//! * expressions with the fewest parentheses the precedence
//!   `或 < 且 < 非 < comparison < + - < × ÷ < unary minus` allows;
//! * every `#` comment kept, in order: a comment on a line of its own stays on a line of its
//!   own, before the line printing the node that followed it (blank lines around it in the
//!   source are kept); a comment after code stays at the end of the line printing that code.
//!
//! The tree does not record the order of clauses of one kind against another, so clauses
//! come out in a fixed order, the one the shipped rulesets use (违反, 依据, 出处, 罚款, 并处,
//! 按日连续处罚, 裁量, 时效, 免罚, 调整 in a violation; 因素, 上限, 下限 in a discretion;
//! 类别, effect, 当, 依据, 优先于 in a 免罚; 当, 依据, effect, 优先于, 合并 in a 调整), and
//! comments follow the line they were next to as closely as that order allows.
//!
//! `format(format(x)) == format(x)` and `parse(format(x)) == parse(x)` (the syntax tree ignores
//! spans, so only meaning and comment texts are compared).

use crate::ast::*;
use crate::ParseError;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Spaces before a comment that trails a line.
const TRAILING_GAP: &str = "   ";
/// Indentation step.
const STEP: usize = 2;
/// A factor wider than this (in columns, CJK counting two) gets one level per line.
const MAX_WIDTH: usize = 120;

/// Parse `src` and print it in the canonical layout. Comments stay on their own line or at
/// the end of the line they trail, as in the source.
///
/// ```
/// let out = cailiang_dsl::format::format_source("ruleset 示例 fact 甲: money # 注\n").unwrap();
/// assert_eq!(out, "规则集 示例\n\n事实 甲：金额   # 注\n");
/// ```
pub fn format_source(src: &str) -> Result<String, ParseError> {
    let file = crate::parse(0, src)?;
    Ok(format_parsed(&file, src))
}

/// Print a tree already parsed from `src` (spans and comments must come from that text), as
/// [`format_source`] does, without parsing again.
pub fn format_parsed(file: &File, src: &str) -> String {
    Printer::new(file, Some(src)).run(file)
}

/// Print a syntax tree in the canonical layout.
///
/// Without the source text a comment that trailed code cannot be told from one on a line of
/// its own, so every comment is printed on a line of its own, before the line printing the
/// node that followed it, and blank lines around comments are not kept. Use
/// [`format_source`] or [`format_parsed`] to keep the comments' layout.
pub fn format_file(file: &File) -> String {
    Printer::new(file, None).run(file)
}

// ───────────────────────────── layout ─────────────────────────────

/// One printed line of code.
struct Line {
    indent: usize,
    /// Source offset of the node the line prints: comments are placed by comparing their
    /// offsets with these.
    anchor: u32,
    text: String,
    /// A blank line goes before it (and before the comments that precede it).
    gap: bool,
}

struct Printer<'a> {
    src: Option<&'a str>,
    /// Comments in source order, each with whether it trails code on its source line.
    comments: Vec<(&'a Comment, bool)>,
    lines: Vec<Line>,
    pending_blank: bool,
}

/// Where a comment goes: `Before(k)` on a line of its own before line `k` (`k == lines.len()`
/// is the end of the file), or `After(k)` at the end of line `k`. Ordered as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Before(usize),
    After(usize),
}

impl Slot {
    fn key(self) -> (usize, bool) {
        match self {
            Slot::Before(k) => (k, false),
            Slot::After(k) => (k, true),
        }
    }
}

impl PartialOrd for Slot {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Slot {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl<'a> Printer<'a> {
    fn new(file: &'a File, src: Option<&'a str>) -> Self {
        let mut comments: Vec<(&Comment, bool)> = file
            .comments
            .iter()
            .map(|c| {
                (
                    c,
                    src.is_some_and(|s| trails_code(s, c.span.start as usize)),
                )
            })
            .collect();
        // Stable: comments with equal (unknown) positions keep their order.
        comments.sort_by_key(|(c, _)| c.span.start);
        Printer {
            src,
            comments,
            lines: Vec::new(),
            pending_blank: false,
        }
    }

    fn run(mut self, file: &File) -> String {
        self.header(&file.header);
        let mut prev: Option<&Item> = None;
        for item in &file.items {
            self.pending_blank = match prev {
                Some(p @ (Item::Fact(_) | Item::Derived(_)))
                    if matches!(item, Item::Fact(_) | Item::Derived(_)) =>
                {
                    self.blank_in_run(item_span(p).end, item_span(item).start)
                }
                _ => true,
            };
            self.item(item);
            prev = Some(item);
        }
        self.render()
    }

    /// Print one line of code whose node starts at source offset `anchor`.
    fn line(&mut self, indent: usize, anchor: u32, text: String) {
        let gap = std::mem::take(&mut self.pending_blank) && !self.lines.is_empty();
        self.lines.push(Line {
            indent,
            anchor,
            text,
            gap,
        });
    }

    /// Place the comments and join the lines.
    ///
    /// A comment that trails code goes to the end of the line printing the node it followed
    /// (the last node starting before it); a comment on a line of its own goes before the
    /// line printing the node after it (the first node starting after it). Comments keep
    /// their order: one that would land before an earlier comment moves down to just after
    /// it, on a line of its own unless it trails code and the line is still free.
    fn render(self) -> String {
        let n = self.lines.len();
        // Lines by (anchor, print order).
        let mut by_anchor: Vec<(u32, usize)> = self
            .lines
            .iter()
            .enumerate()
            .map(|(k, l)| (l.anchor, k))
            .collect();
        by_anchor.sort_unstable();
        let mut placed: Vec<(Slot, &Comment)> = Vec::with_capacity(self.comments.len());
        let mut last = Slot::Before(0);
        let mut last_taken = false;
        for &(c, trailing) in &self.comments {
            let split = by_anchor.partition_point(|&(a, _)| a <= c.span.start);
            let next_line = by_anchor.get(split).map_or(n, |&(_, k)| k);
            let wanted = match split.checked_sub(1).and_then(|i| by_anchor.get(i)) {
                Some(&(_, k)) if trailing => Slot::After(k),
                _ => Slot::Before(next_line),
            };
            let mut slot = wanted.max(last);
            if let Slot::After(k) = slot {
                if !trailing || (slot == last && last_taken) {
                    slot = Slot::Before(k + 1);
                }
            }
            last_taken = matches!(slot, Slot::After(_));
            last = slot;
            placed.push((slot, c));
        }

        let mut out: Vec<Option<String>> = Vec::new(); // None: a blank line
        let mut placed = placed.into_iter().peekable();
        for k in 0..=n {
            let line = self.lines.get(k);
            let indent = line.map_or(0, |l| l.indent);
            let mut gap = line.is_some_and(|l| l.gap);
            // Before the first comment, a blank line the source had after the code above is
            // kept; after a comment, one the source had after it.
            let code_above = k.checked_sub(1).and_then(|p| self.lines.get(p));
            let mut prev_end: Option<u32> = None;
            while let Some((_, c)) = placed.next_if(|(s, _)| *s == Slot::Before(k)) {
                let from = prev_end.or(code_above.map(|l| l.anchor));
                if gap || self.blank_between(from, c.span.start) {
                    out.push(None);
                }
                gap = false;
                let mut s = String::new();
                push_indent(&mut s, indent);
                s.push('#');
                s.push_str(&c.text);
                out.push(Some(s));
                prev_end = Some(c.span.end);
            }
            let Some(line) = line else { break };
            if gap || self.blank_between(prev_end, line.anchor) {
                out.push(None);
            }
            let mut s = String::new();
            push_indent(&mut s, line.indent);
            s.push_str(&line.text);
            if let Some((_, c)) = placed.next_if(|(s, _)| *s == Slot::After(k)) {
                s.push_str(TRAILING_GAP);
                s.push('#');
                s.push_str(&c.text);
            }
            out.push(Some(s));
        }
        let mut s = String::new();
        for l in out {
            if let Some(l) = l {
                s.push_str(&l);
            }
            s.push('\n');
        }
        s
    }

    /// Runs of 事实 / 推导 stay together, but a blank line the source had between two of them
    /// (before any comment on a line of its own) is kept: it separates groups of facts.
    fn blank_in_run(&self, prev_end: u32, next_start: u32) -> bool {
        let Some(src) = self.src else { return false };
        let prev_end = self.code_end(src, prev_end.min(next_start) as usize) as u32;
        let until = self
            .comments
            .iter()
            .find(|(c, trailing)| !trailing && c.span.start >= prev_end)
            .map_or(next_start, |(c, _)| c.span.start.min(next_start));
        prev_end <= until
            && src
                .get(prev_end as usize..until as usize)
                .is_some_and(has_blank_line)
    }

    /// After a comment ending at `end`, whether the source had a blank line before `next`
    /// (the next comment or line of code): kept, so comment blocks and section headings stay
    /// apart from what follows.
    fn blank_between(&self, end: Option<u32>, next: u32) -> bool {
        match (self.src, end) {
            (Some(src), Some(end)) if end <= next => src
                .get(end as usize..next as usize)
                .is_some_and(has_blank_line),
            _ => false,
        }
    }

    /// Where the `基本条件：` line of a positive-list group starts to matter for comments: the
    /// colon before its first criterion. Without the source, the criterion itself.
    fn group_anchor(&self, first: &Criterion) -> u32 {
        let start = first.span.start;
        let Some(src) = self.src else { return start };
        let pos = self.code_end(src, start as usize);
        match src.get(..pos).and_then(|b| b.chars().next_back()) {
            Some(c @ (':' | '：')) => (pos - c.len_utf8()) as u32,
            _ => start,
        }
    }

    /// The end of the code before `pos`: back over white space and comments. (Spans of
    /// clauses that end in an optional part run on over the white space after them.)
    fn code_end(&self, src: &str, mut pos: usize) -> usize {
        loop {
            pos = src.get(..pos).map_or(0, |b| b.trim_end().len());
            // A comment ends where its line does; trimming may have cut into its white space.
            match self
                .comments
                .iter()
                .find(|(c, _)| (c.span.start as usize) < pos && pos <= c.span.end as usize)
            {
                Some((c, _)) => pos = c.span.start as usize,
                None => return pos,
            }
        }
    }

    // ───────────── header ─────────────

    fn header(&mut self, h: &Header) {
        self.line(0, h.span.start, format!("规则集 {}", h.name.name));
        let i = STEP;
        for (kw, t) in [
            ("文号", &h.document),
            ("发布机关", &h.authority),
            ("辖区", &h.jurisdiction),
            ("版本", &h.version),
            ("从旧兼从轻", &h.choice_of_law),
            ("一事不再罚", &h.one_fine),
        ] {
            if let Some(t) = t {
                self.line(i, t.span.start, format!("{kw} {}", text(&t.value)));
            }
        }
        if let Some(e) = &h.effective {
            let mut s = format!("生效 {}", date(&e.from.date));
            if let Some(to) = &e.to {
                let _ = write!(s, " 至 {}", date(&to.date));
            }
            self.line(i, e.span.start, s);
        }
        if let Some(x) = &h.extends {
            self.line(i, x.span.start, format!("继承 {}", x.name));
        }
        if let Some((b, sp)) = &h.boundary {
            let rule = match b {
                Boundary::BelowExclusive => "以下不含本数，以上含本数",
                Boundary::BothInclusive => "均含本数",
                Boundary::BothExclusive => "均不含本数",
            };
            self.line(i, sp.start, format!("边界 {rule}"));
        }
        if let Some(r) = &h.rounding {
            let mode = match r.mode {
                RoundingMode::HalfUp => "四舍五入",
                RoundingMode::Down => "向下",
                RoundingMode::Up => "向上",
                RoundingMode::HalfEven => "银行家",
            };
            self.line(i, r.span.start, format!("取整 {} {mode}", rounding_unit(r)));
        }
    }

    // ───────────── items ─────────────

    fn item(&mut self, item: &Item) {
        match item {
            Item::Fact(f) => self.line(0, f.span.start, fact(f)),
            Item::Derived(d) => self.line(0, d.span.start, derived(d)),
            Item::Violation(v) => self.violation(v, false),
            Item::Refine(v) => self.violation(v, true),
            Item::Exemption(e) => self.exemption(e, 0),
            Item::Adjustment(a) => self.adjustment(a, 0),
            Item::Limitation(l) => self.limitation(l, 0),
            Item::Fallback(f) => self.line(0, f.span.start, fallback(f)),
            Item::GeneralTable(g) => {
                self.line(
                    0,
                    g.span.start,
                    format!("通用裁量 依据 {}", text(&g.basis.value)),
                );
                self.discretion(&g.discretion, STEP);
            }
            Item::PositiveList(l) => self.positive_list(l),
        }
    }

    fn violation(&mut self, v: &Violation, refine: bool) {
        let mut s = String::from(if refine {
            "细化 违法行为 "
        } else {
            "违法行为 "
        });
        s.push_str(&v.code.name);
        if let Some(t) = &v.title {
            s.push(' ');
            s.push_str(&text(&t.value));
        }
        self.line(0, v.span.start, s);
        let i = STEP;
        if let Some(t) = &v.violates {
            self.line(i, t.span.start, format!("违反 {}", text(&t.value)));
        }
        for t in &v.basis {
            self.line(i, t.span.start, format!("依据 {}", text(&t.value)));
        }
        if let Some(t) = &v.source {
            self.line(i, t.span.start, format!("出处 {}", text(&t.value)));
        }
        if let Some(t) = &v.succeeds {
            self.line(i, t.span.start, format!("承接 {}", text(&t.value)));
        }
        if let Some(t) = &v.not_illegal {
            let when = v
                .not_illegal_when
                .as_ref()
                .map(|w| format!(" 当 {}", expr(w)))
                .unwrap_or_default();
            self.line(
                i,
                t.span.start,
                format!("不认为是违法 {}{when}", text(&t.value)),
            );
        }
        for f in &v.fines {
            self.line(i, f.span.start, fine(f));
        }
        if let Some(first) = v.measures.first() {
            let items: Vec<String> = v
                .measures
                .iter()
                .map(|m| {
                    if m.optional {
                        format!("可以 {}", m.text)
                    } else {
                        m.text.clone()
                    }
                })
                .collect();
            self.line(i, first.span.start, format!("并处 {}", items.join("；")));
        }
        if let Some(t) = &v.daily {
            self.line(
                i,
                t.span.start,
                format!("按日连续处罚 依据 {}", text(&t.value)),
            );
        }
        if let Some(d) = &v.discretion {
            self.discretion(d, i);
        }
        if let Some(l) = &v.limitation {
            self.limitation(l, i);
        }
        for e in &v.exemptions {
            self.exemption(e, i);
        }
        for a in &v.adjustments {
            self.adjustment(a, i);
        }
    }

    fn discretion(&mut self, d: &Discretion, i: usize) {
        let j = i + STEP;
        match d {
            Discretion::Additive(a) => {
                let mut s = String::from("裁量 权重累加");
                if a.within {
                    s.push_str(" 按幅度");
                }
                if let Some(b) = &a.base {
                    s.push_str(" 基数 ");
                    s.push_str(&expr(b));
                }
                self.line(i, a.span.start, s);
                self.line(j, a.start.1.start, format!("起点 {}", percent(a.start.0)));
                for f in &a.factors {
                    self.factor(f, j);
                }
                for (kw, limits) in [("上限", &a.caps), ("下限", &a.floors)] {
                    for l in limits {
                        let mut s = format!("{kw} {}", percent(l.value));
                        if let Some(w) = &l.when {
                            s.push_str(" 当 ");
                            s.push_str(&expr(w));
                        }
                        if let Some(n) = &l.note {
                            s.push(' ');
                            s.push_str(&text(&n.value));
                        }
                        self.line(j, l.span.start, s);
                    }
                }
            }
            Discretion::Bands(bands, span) => {
                self.line(i, span.start, "裁量 分档".into());
                for b in bands {
                    let mut s = format!("档 {}", b.name.name);
                    if let Some(w) = &b.when {
                        let _ = write!(s, " 当（{}）", expr(w));
                    }
                    let _ = write!(s, "：{} 至 {}", expr(&b.low), expr(&b.high));
                    self.line(j, b.span.start, s);
                }
            }
        }
    }

    /// A factor on one line, or, when that is wider than [`MAX_WIDTH`], its levels one to a
    /// line under it.
    fn factor(&mut self, f: &Factor, i: usize) {
        let head = factor_head(f);
        let levels: Vec<String> = f.levels.iter().map(level).collect();
        let one_line = format!("{head}{}", levels.join("，"));
        if levels.len() < 2 || i + width(&one_line) <= MAX_WIDTH {
            self.line(i, f.span.start, one_line);
            return;
        }
        self.line(i, f.span.start, head);
        let last = levels.len() - 1;
        for (k, (l, text)) in f.levels.iter().zip(levels).enumerate() {
            let text = if k < last { format!("{text}，") } else { text };
            self.line(i + STEP, l.span.start, text);
        }
    }

    fn exemption(&mut self, e: &Exemption, i: usize) {
        let mut s = format!("免罚 {}", e.name.name);
        if let Some(l) = &e.label {
            s.push(' ');
            s.push_str(&text(&l.value));
        }
        self.line(i, e.span.start, s);
        let j = i + STEP;
        if let Some(k) = &e.kind {
            self.line(j, k.span.start, format!("类别 {}", k.name));
        }
        if let Some((eff, sp)) = &e.effect {
            let kw = match eff {
                ExemptionEffect::NoPenalty => "不予处罚",
                ExemptionEffect::MayExempt => "可以不予处罚",
                ExemptionEffect::NotApplicable => "不适用",
            };
            self.line(j, sp.start, kw.into());
        }
        self.conditions(j, &e.when, &e.basis);
        self.overrides(j, &e.overrides);
    }

    fn conditions(&mut self, j: usize, when: &[Expr], basis: &[Text]) {
        for w in when {
            self.line(j, w.span.start, format!("当 {}", expr(w)));
        }
        for b in basis {
            self.line(j, b.span.start, format!("依据 {}", text(&b.value)));
        }
    }

    fn overrides(&mut self, j: usize, overrides: &[Ident]) {
        if let Some(first) = overrides.first() {
            self.line(
                j,
                first.span.start,
                format!("优先于 {}", names(overrides, "，")),
            );
        }
    }

    fn adjustment(&mut self, a: &Adjustment, i: usize) {
        let mut s = format!("调整 {}", a.name.name);
        if let Some(l) = &a.label {
            s.push(' ');
            s.push_str(&text(&l.value));
        }
        s.push(' ');
        s.push_str(match a.kind.0 {
            AdjustKind::Mitigate => "从轻",
            AdjustKind::Reduce => "减轻",
            AdjustKind::Aggravate => "从重",
        });
        self.line(i, a.span.start, s);
        let j = i + STEP;
        self.conditions(j, &a.when, &a.basis);
        if let Some(e) = &a.effect {
            self.line(j, e.span.start, effect(e));
        }
        self.overrides(j, &a.overrides);
        if let Some(first) = a.excludes.first() {
            self.line(
                j,
                first.span.start,
                format!("排除 违法行为 {}", names(&a.excludes, "，")),
            );
        }
        if let Some((c, sp)) = &a.combine {
            let rule = match c {
                Combine::Sequential => "依次",
                Combine::MostFavourable => "择一从轻",
                Combine::Heaviest => "择一从重",
                Combine::OfficerChoice => "并列",
            };
            self.line(j, sp.start, format!("合并 {rule}"));
        }
    }

    fn limitation(&mut self, l: &Limitation, i: usize) {
        let mut s = format!("时效 {}", duration(l.period.amount, l.period.unit));
        if let Some(f) = &l.from {
            s.push_str(" 自 ");
            s.push_str(&text(&f.value));
        }
        s.push_str(" 依据 ");
        s.push_str(&text(&l.basis.value));
        self.line(i, l.span.start, s);
        for (cond, d) in &l.cases {
            self.line(
                i + STEP,
                cond.span.start,
                format!("当 {}：{}", expr(cond), duration(d.amount, d.unit)),
            );
        }
    }

    fn positive_list(&mut self, l: &PositiveList) {
        let mut s = format!("正面清单 {}", l.name.name);
        if let Some(t) = &l.label {
            s.push(' ');
            s.push_str(&text(&t.value));
        }
        self.line(0, l.span.start, s);
        let (i, j) = (STEP, 2 * STEP);
        for b in &l.basis {
            self.line(i, b.span.start, format!("依据 {}", text(&b.value)));
        }
        if let Some(d) = &l.validity {
            self.line(
                i,
                d.span.start,
                format!("有效期 {}", duration(d.amount, d.unit)),
            );
        }
        if let Some(d) = &l.reentry_ban {
            self.line(
                i,
                d.span.start,
                format!("禁入期 {}", duration(d.amount, d.unit)),
            );
        }
        let screening = l.screening.as_ref();
        let groups: [(String, &[Criterion]); 4] = [
            ("基本条件：".into(), &l.basic),
            (
                format!("筛选条件 至少 {}：", screening.map(|s| s.0).unwrap_or(0)),
                screening.map(|s| s.1.as_slice()).unwrap_or(&[]),
            ),
            ("排除：".into(), &l.exclusions),
            ("移出：".into(), &l.removals),
        ];
        for (head, crits) in groups {
            let Some(first) = crits.first() else { continue };
            let anchor = self.group_anchor(first);
            self.line(i, anchor, head);
            for c in crits {
                let mut s = format!("条件 {}", c.name.name);
                if let Some(t) = &c.label {
                    s.push(' ');
                    s.push_str(&text(&t.value));
                }
                s.push_str(" 当 ");
                s.push_str(&expr(&c.when));
                self.line(j, c.span.start, s);
            }
        }
        for m in &l.measures {
            let mut s = String::from(if m.listed {
                "措施 已纳入"
            } else {
                "措施 未纳入"
            });
            if let Some(w) = &m.when {
                s.push_str(" 当 ");
                s.push_str(&expr(w));
            }
            s.push('：');
            let items: Vec<String> = m
                .items
                .iter()
                .map(|(n, v)| match v {
                    Some(v) => format!("{} = {}", n.name, expr(v)),
                    None => n.name.clone(),
                })
                .collect();
            s.push_str(&items.join("，"));
            self.line(i, m.span.start, s);
        }
    }
}

fn item_span(item: &Item) -> crate::Span {
    match item {
        Item::Fact(f) => f.span,
        Item::Derived(d) => d.span,
        Item::Violation(v) | Item::Refine(v) => v.span,
        Item::Exemption(e) => e.span,
        Item::Adjustment(a) => a.span,
        Item::Limitation(l) => l.span,
        Item::Fallback(f) => f.span,
        Item::GeneralTable(g) => g.span,
        Item::PositiveList(l) => l.span,
    }
}

/// Whether `gap` holds a line with nothing but white space on it.
fn has_blank_line(gap: &str) -> bool {
    let mut lines = gap.split('\n');
    lines.next();
    let mut middle: Vec<&str> = lines.collect();
    middle.pop();
    middle.iter().any(|l| l.trim().is_empty())
}

/// Whether the comment at `start` follows code on its source line.
fn trails_code(src: &str, start: usize) -> bool {
    let before = src.get(..start).unwrap_or("");
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    !before.get(line_start..).unwrap_or("").trim().is_empty()
}

fn push_indent(s: &mut String, n: usize) {
    s.push_str(&" ".repeat(n));
}

// ───────────────────────────── single-line items ─────────────────────────────

fn fact(f: &FactDecl) -> String {
    let mut s = format!("事实 {}：{}", f.name.name, type_expr(&f.ty));
    if let Some(l) = &f.label {
        s.push(' ');
        s.push_str(&text(&l.value));
    }
    if let Some(d) = &f.default {
        s.push_str(" 默认 ");
        s.push_str(&expr(d));
    }
    s
}

fn derived(d: &DerivedDecl) -> String {
    let mut s = format!(
        "推导 {}：{} = {}",
        d.name.name,
        type_expr(&d.ty),
        expr(&d.expr)
    );
    if let Some(l) = &d.label {
        s.push(' ');
        s.push_str(&text(&l.value));
    }
    s
}

fn type_expr(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Bool => "是否".into(),
        TypeExpr::Number => "数值".into(),
        TypeExpr::Integer => "整数".into(),
        TypeExpr::Money => "金额".into(),
        TypeExpr::Percent => "百分比".into(),
        TypeExpr::Multiple => "倍数".into(),
        TypeExpr::Date => "日期".into(),
        TypeExpr::Duration => "期间".into(),
        TypeExpr::Enum(vs) => format!("｛{}｝", names(vs, "，")),
    }
}

fn fine(f: &FineClause) -> String {
    let mut s = String::from("罚款 ");
    if let Some(w) = &f.when {
        let _ = write!(s, "当 {}：", expr(w));
    }
    match &f.shape {
        FineShape::Bounds { min, max } => {
            let _ = write!(s, "{} 至 {}", expr(min), expr(max));
        }
        FineShape::MaxOnly { max } => {
            let _ = write!(s, "{} 以下", expr(max));
        }
        FineShape::OfBase {
            base,
            low,
            high,
            floor,
        } => {
            let _ = write!(s, "{} 的 {} 至 {}", base.name, expr(low), expr(high));
            if let Some((below, counted)) = floor {
                let _ = write!(s, "，基数不足 {} 按 {} 计", expr(below), expr(counted));
            }
        }
        FineShape::PerOccurrence {
            min,
            max,
            count,
            unit: None,
        } => {
            let _ = write!(
                s,
                "每次 {} 至 {}，次数 {}",
                expr(min),
                expr(max),
                count.name
            );
        }
        FineShape::PerOccurrence {
            min,
            max,
            count,
            unit: Some(u),
        } => {
            let _ = write!(
                s,
                "每{u} {} 至 {}，数量 {}",
                expr(min),
                expr(max),
                count.name
            );
        }
    }
    s
}

/// `因素 名称 "标签" 权重 40%：`
fn factor_head(f: &Factor) -> String {
    let mut s = format!("因素 {}", f.name.name);
    if let Some(l) = &f.label {
        s.push(' ');
        s.push_str(&text(&l.value));
    }
    if let Some((w, _)) = &f.weight {
        s.push_str(" 权重 ");
        s.push_str(&percent(*w));
    }
    s.push('：');
    s
}

/// Columns a line takes in a terminal: CJK and full-width characters count two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

fn level(l: &Level) -> String {
    let value = match l.value {
        LevelValue::Percent(d) => percent(d),
        LevelValue::Score(d) => number(d),
    };
    format!("{} {value}", level_cond(&l.cond))
}

fn level_cond(c: &LevelCond) -> String {
    match c {
        LevelCond::When(e) => format!("当（{}）", expr(e)),
        LevelCond::Otherwise => "其他".into(),
        LevelCond::Bool(b) => bool_word(*b).into(),
        LevelCond::Variants(vs) => names(vs, "/"),
        LevelCond::Exact(v, _) => literal(v),
        LevelCond::Range { low, high } => {
            let mut s = String::new();
            for end in [low, high].into_iter().flatten() {
                let v = literal(&end.value);
                match end.kind {
                    EndKind::Above => {
                        s.push_str(&v);
                        s.push_str("以上");
                    }
                    EndKind::Below => {
                        s.push_str(&v);
                        s.push_str("以下");
                    }
                    EndKind::Ge => s.push_str(&format!("≥{v}")),
                    EndKind::Gt => s.push_str(&format!(">{v}")),
                    EndKind::Le => s.push_str(&format!("≤{v}")),
                    EndKind::Lt => s.push_str(&format!("<{v}")),
                }
            }
            s
        }
    }
}

fn fallback(f: &Fallback) -> String {
    let points: Vec<String> = [
        ("一般", &f.ordinary),
        ("从轻", &f.mitigated),
        ("从重", &f.aggravated),
    ]
    .into_iter()
    .filter_map(|(kw, p)| p.as_ref().map(|(d, _)| format!("{kw} {}", percent(*d))))
    .collect();
    format!(
        "缺省裁量 {} 依据 {}",
        points.join("，"),
        text(&f.basis.value)
    )
}

fn effect(e: &Effect) -> String {
    let range = |kw: &str, a: String, b: Option<String>| match b {
        Some(b) => format!("{kw} {a} 至 {b}"),
        None => format!("{kw} {a}"),
    };
    let mut s = match &e.op {
        EffectOp::LowerBy(a, b) => range("降低", percent(*a), b.map(percent)),
        EffectOp::RaiseBy(a, b) => range("提高", percent(*a), b.map(percent)),
        EffectOp::Minus(a, b) => range("减少", expr(a), b.as_ref().map(expr)),
        EffectOp::Plus(a, b) => range("增加", expr(a), b.as_ref().map(expr)),
        EffectOp::SetTo(a, b) => format!("降至 {} 至 {}", expr(a), expr(b)),
        EffectOp::TakeLow => "取 低端".into(),
        EffectOp::TakeHigh => "取 高端".into(),
    };
    if let Some(r) = &e.recommend {
        s.push_str(" 推荐 ");
        s.push_str(&expr(r));
    }
    s
}

fn names(vs: &[Ident], sep: &str) -> String {
    vs.iter()
        .map(|v| v.name.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

fn rounding_unit(r: &Rounding) -> String {
    const UNITS: [&str; 7] = ["分", "角", "千元", "百元", "十元", "万元", "元"];
    if UNITS.contains(&r.unit_label.as_str()) {
        return r.unit_label.clone();
    }
    let n = r.unit.normalize();
    let label = if n == Decimal::new(1, 2) {
        "分"
    } else if n == Decimal::new(1, 1) {
        "角"
    } else if n == Decimal::from(10) {
        "十元"
    } else if n == Decimal::from(100) {
        "百元"
    } else if n == Decimal::from(1000) {
        "千元"
    } else if n == Decimal::from(10000) {
        "万元"
    } else {
        "元"
    };
    label.into()
}

// ───────────────────────────── literals ─────────────────────────────

fn bool_word(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// A quoted string: ASCII quotes unless the text holds one.
fn text(v: &str) -> String {
    if !v.contains('"') {
        format!("\"{v}\"")
    } else if !v.contains('”') {
        format!("“{v}”")
    } else {
        format!("「{v}」")
    }
}

fn number(d: Decimal) -> String {
    d.normalize().to_string()
}

fn percent(d: Decimal) -> String {
    match d.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", number(p)),
        None => format!("{}%", number(d)),
    }
}

fn money(v: Decimal) -> String {
    let wan = Decimal::from(10_000);
    let whole_hundreds = v
        .checked_rem(Decimal::ONE_HUNDRED)
        .is_some_and(|r| r.is_zero());
    if v >= wan && whole_hundreds {
        if let Some(w) = v.checked_div(wan) {
            return format!("{}万元", number(w));
        }
    }
    format!("{}元", number(v))
}

fn date(d: &chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn duration(n: u32, u: DurationUnit) -> String {
    match u {
        DurationUnit::Years => format!("{n}年"),
        DurationUnit::Months => format!("{n}个月"),
        DurationUnit::Days => format!("{n}日"),
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(b) => bool_word(*b).into(),
        Literal::Number(d) => number(*d),
        Literal::Money(d) => money(*d),
        Literal::Percent(d) => percent(*d),
        Literal::Multiple(d) => format!("{}倍", number(*d)),
        Literal::Date(d) => date(d),
        Literal::Duration(n, u) => duration(*n, *u),
        Literal::Text(t) => text(t),
    }
}

// ───────────────────────────── expressions ─────────────────────────────

/// Binding strength, loosest first. `若` binds loosest of all: its 否则 branch runs to the
/// end of the expression, so it is parenthesised whenever it is an operand.
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::If(..) => 0,
        ExprKind::Binary(BinOp::Or, ..) => 1,
        ExprKind::Binary(BinOp::And, ..) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::In(..)
        | ExprKind::Binary(
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge,
            ..,
        ) => 4,
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => 5,
        ExprKind::Binary(BinOp::Mul | BinOp::Div, ..) => 6,
        ExprKind::Neg(_) => 7,
        ExprKind::Lit(_) | ExprKind::Name(_) | ExprKind::Call(..) => 8,
    }
}

/// An expression as the formatter prints it (`甲 × 5% 且 非 乙`), e.g. for messages.
pub fn format_expr(e: &Expr) -> String {
    expr(e)
}

/// An expression in a place that takes a whole expression.
fn expr(e: &Expr) -> String {
    let mut s = String::new();
    write_expr(&mut s, e);
    s
}

fn write_operand(s: &mut String, e: &Expr, min: u8) {
    if prec(e) < min {
        s.push('（');
        write_expr(s, e);
        s.push('）');
    } else {
        write_expr(s, e);
    }
}

fn write_expr(s: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Lit(l) => s.push_str(&literal(l)),
        ExprKind::Name(n) => s.push_str(&n.name),
        ExprKind::Neg(x) => {
            s.push('-');
            write_operand(s, x, 7);
        }
        ExprKind::Not(x) => {
            s.push_str("非 ");
            write_operand(s, x, 3);
        }
        ExprKind::Binary(op, l, r) => {
            let (sym, lmin, rmin) = match op {
                BinOp::Or => ("或", 1, 2),
                BinOp::And => ("且", 2, 3),
                BinOp::Eq => ("=", 5, 5),
                BinOp::Ne => ("≠", 5, 5),
                BinOp::Lt => ("<", 5, 5),
                BinOp::Le => ("≤", 5, 5),
                BinOp::Gt => (">", 5, 5),
                BinOp::Ge => ("≥", 5, 5),
                BinOp::Add => ("+", 5, 6),
                BinOp::Sub => ("-", 5, 6),
                BinOp::Mul => ("×", 6, 7),
                BinOp::Div => ("÷", 6, 7),
            };
            write_operand(s, l, lmin);
            s.push(' ');
            s.push_str(sym);
            s.push(' ');
            write_operand(s, r, rmin);
        }
        ExprKind::In(x, set) => {
            write_operand(s, x, 5);
            s.push_str(" 属于 ｛");
            s.push_str(&names(set, "，"));
            s.push('｝');
        }
        ExprKind::If(c, a, b) => {
            s.push_str("若 ");
            write_expr(s, c);
            s.push_str(" 则 ");
            write_expr(s, a);
            s.push_str(" 否则 ");
            write_expr(s, b);
        }
        ExprKind::Call(name, args) => {
            s.push_str(&name.name);
            s.push('（');
            for (k, a) in args.iter().enumerate() {
                if k > 0 {
                    s.push('，');
                }
                write_expr(s, a);
            }
            s.push('）');
        }
    }
}
