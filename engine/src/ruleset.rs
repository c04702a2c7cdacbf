//! Compile a checked program into an immutable [`Ruleset`]: the `继承` chain flattened into
//! one snapshot per period in which the same set of versions is in force.

use crate::decide::LevelTable;
use crate::decision::Text;
use crate::lines::{band_lines, push_line_end, BandLine, FineText, TableText, TextCache};
use crate::money::Rounding;
use crate::names::NameTable;
use cailiang_dsl::ir::*;
use cailiang_dsl::SourceFile;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Why a program could not become a ruleset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The program holds several leaf rulesets and none was named.
    #[error("程序中有多个规则集（{names}），请用 --ruleset 指定一个")]
    Ambiguous {
        /// Candidate names.
        names: String,
    },
    /// The named ruleset does not exist.
    #[error("规则集“{name}”不存在（现有：{names}）")]
    Unknown {
        /// Requested name.
        name: String,
        /// Existing names.
        names: String,
    },
    /// The program holds no ruleset.
    #[error("没有找到规则集")]
    Empty,
}

/// A hash of a word (eight bytes) at a step, for the maps keyed by names from the ruleset
/// (violation codes, fact names). They are built from the ruleset and only looked up with
/// case input, so a keyed hash buys no protection against flooding (SipHash was a tenth of
/// validating a case), and they are never iterated, so their order (which the hash decides)
/// is seen nowhere. A fact name is four to eight Chinese characters, a code eight to twelve
/// bytes: byte-at-a-time FNV was most of a lookup.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WordHash(u64);

impl WordHash {
    fn add(&mut self, word: u64) {
        self.0 = crate::names::mix(self.0, word);
    }
}

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // Folded byte by byte: copying into a padded word was a call to `memcpy`.
            self.add(rest.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

/// A map from ruleset names, hashed with [`WordHash`].
pub(crate) type NameMap<V> = HashMap<String, V, BuildHasherDefault<WordHash>>;

/// The rules in force during one period: the leaf version and its ancestors' versions, merged.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) violations: Vec<ViolationIr>,
    /// Each code's violation in `violations` (the last declared), made when the snapshot is
    /// merged: a decision looks its code up here, a word at a time, where the `HashMap` the
    /// merge fills took a call to `memcmp` and the group probe (about 60 instructions).
    pub(crate) index: NameTable<usize>,
    pub(crate) exemptions: Vec<ExemptionIr>,
    pub(crate) adjustments: Vec<AdjustmentIr>,
    pub(crate) limitation: Option<LimitationIr>,
    pub(crate) fallback: Option<FallbackIr>,
    pub(crate) general_table: Option<GeneralTableIr>,
    pub(crate) rounding: Rounding,
    pub(crate) positive_lists: Vec<PositiveListIr>,
    /// Which versions (name, first day) make up this snapshot.
    pub(crate) key: Vec<(String, Option<NaiveDate>)>,
    /// 从旧兼从轻 provision of the innermost version that declares one.
    pub(crate) choice_of_law: Option<String>,
    /// 一事不再罚 provision of the innermost version that declares one.
    pub(crate) one_fine: Option<String>,
    /// When the leaf ruleset has lapsed and its parents apply alone: why, for explanations.
    pub(crate) lapsed: Option<String>,
    /// Violations whose table was written before the law now in force (code → note): the
    /// table's discretion is applied to the new statutory range as an interim rule.
    pub(crate) interim: HashMap<String, String>,
    /// The strings every decision under this snapshot copies, shared (see [`Shared`]).
    pub(crate) shared: Shared,
}

/// Strings a decision borrows from its ruleset, made once per snapshot so that a decision
/// takes a reference instead of a dozen allocations (most of a numbers-only decision's cost
/// before) or a reference count (an atomic increment and decrement each).
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// [`Snapshot::label`].
    pub(crate) label: String,
    pub(crate) name: Text,
    pub(crate) version: Option<Text>,
    pub(crate) rounding: Text,
    /// Per violation, in `violations` order.
    pub(crate) violations: Vec<SharedViolation>,
    /// The level tables of the 通用裁量 table's factors, in order.
    pub(crate) general_levels: Vec<Option<LevelTable>>,
    /// The end of the 时效 lines under the snapshot's limitation (see [`push_line_end`]).
    pub(crate) limitation_end: Option<Text>,
    /// The 通用裁量 table's explanation text.
    pub(crate) general: Option<Arc<TableText>>,
    /// The end of the 缺省裁量 lines under the snapshot's fallback.
    pub(crate) fallback_end: Option<Text>,
}

/// One violation's shared strings.
#[derive(Debug)]
pub(crate) struct SharedViolation {
    pub(crate) code: Text,
    pub(crate) name: Text,
    pub(crate) basis: Arc<[Text]>,
    /// The basis joined with `、`, as explanation lines cite it.
    pub(crate) basis_joined: String,
    /// The explanation's first line, which depends only on the violation and the snapshot
    /// (`【违法行为】code name，违反…；适用 label（file:line；依据：basis）`): a decision
    /// copies it instead of writing it again.
    pub(crate) headline: String,
    /// Whether the snapshot has `code-P`, the same provision's fine for the persons
    /// responsible (not asked of a `-P` code itself).
    pub(crate) persons: bool,
    /// As the decision lists them: `可以…` for optional measures.
    pub(crate) measures: Arc<[Text]>,
    /// The interim-rule note (lapsed benchmark and/or older table), when one applies.
    pub(crate) interim: Option<Text>,
    /// The level tables of the violation's own factors, in order.
    pub(crate) levels: Vec<Option<LevelTable>>,
    /// The end of the 时效 lines under the violation's own limitation (the snapshot's is in
    /// [`Shared::limitation_end`]).
    pub(crate) limitation_end: Option<Text>,
    /// The text of the 法定幅度 lines, per range in `fines` order (citing `basis_joined`).
    pub(crate) fines: Vec<FineText>,
    /// The violation's own table's explanation text.
    pub(crate) table: Option<Arc<TableText>>,
    /// Per band of its table, the band's line written whole (see [`BandLine`]).
    pub(crate) bands: Vec<Option<BandLine>>,
}

/// The level tables of a discretion's factors, in order (none for bands).
fn level_tables(d: Option<&DiscretionIr>, program: &Program) -> Vec<Option<LevelTable>> {
    match d {
        Some(DiscretionIr::Additive { factors, .. }) => factors
            .iter()
            .map(|f| LevelTable::build(f, program))
            .collect(),
        _ => Vec::new(),
    }
}

impl Snapshot {
    /// Make [`Shared`] once the snapshot is complete; `texts` places spans and shares the
    /// explanation text written here.
    fn share(&mut self, program: &Program, texts: &mut TextCache<'_>) {
        let (files, file_names) = (texts.files, texts.file_names);
        let label = self.make_label();
        let violations = self
            .violations
            .iter()
            .map(|v| SharedViolation {
                code: v.code.as_str().into(),
                name: v.title.as_deref().unwrap_or_default().into(),
                basis: v.basis.iter().map(|b| Text::from(b.as_str())).collect(),
                basis_joined: v.basis.join("、"),
                headline: headline(v, &label, files, file_names),
                persons: !v.code.ends_with("-P")
                    && self.index.get(&format!("{}-P", v.code)).is_some(),
                measures: v
                    .measures
                    .iter()
                    .map(|(optional, m)| {
                        if *optional {
                            Text::from(format!("可以{m}"))
                        } else {
                            Text::from(m.as_str())
                        }
                    })
                    .collect(),
                interim: match (&self.lapsed, self.interim.get(&v.code)) {
                    (Some(a), Some(b)) => Some(format!("{a}；{b}").into()),
                    (Some(a), None) => Some(a.as_str().into()),
                    (None, Some(b)) => Some(b.as_str().into()),
                    (None, None) => None,
                },
                levels: level_tables(v.discretion.as_ref(), program),
                limitation_end: v.limitation.as_ref().map(|l| texts.end(l.span, &l.basis)),
                fines: v
                    .fines
                    .iter()
                    .map(|f| texts.fine(f, &v.basis.join("、")))
                    .collect(),
                table: v.discretion.as_ref().and_then(|t| {
                    let source = v.source.clone().unwrap_or_else(|| v.basis.join("、"));
                    texts.table(t, &source)
                }),
                bands: band_lines(v, self.general_table.as_ref(), texts),
            })
            .collect();
        self.shared = Shared {
            label,
            name: self.name.as_str().into(),
            version: self.version.as_deref().map(Text::from),
            rounding: self.rounding.describe().into(),
            violations,
            general_levels: level_tables(
                self.general_table.as_ref().map(|g| &g.discretion),
                program,
            ),
            limitation_end: self
                .limitation
                .as_ref()
                .map(|l| texts.end(l.span, &l.basis)),
            general: self
                .general_table
                .as_ref()
                .and_then(|g| texts.table(&g.discretion, &g.basis)),
            fallback_end: self.fallback.as_ref().map(|f| texts.end(f.span, &f.basis)),
        };
    }

    /// The violation and its shared strings.
    pub(crate) fn violation_shared(&self, code: &str) -> Option<(&ViolationIr, &SharedViolation)> {
        let i = self.index.get(code)?;
        Some((self.violations.get(i)?, self.shared.violations.get(i)?))
    }

    pub(crate) fn violation(&self, code: &str) -> Option<&ViolationIr> {
        self.index.get(code).and_then(|i| self.violations.get(i))
    }
    /// `2022-01-01 至 2026-08-14`, `2026-08-15 起`.
    pub(crate) fn period(&self) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
            (Some(a), None) => format!("{a} 起"),
            (None, Some(b)) => format!("至 {b}"),
            (None, None) => "长期".into(),
        }
    }

    /// Label of this version for explanations: `名称（版本，生效 …）`.
    pub(crate) fn label(&self) -> &str {
        &self.shared.label
    }

    fn make_label(&self) -> String {
        let period = self.period();
        match &self.version {
            Some(v) => format!("{}（{}，{}）", self.name, v, period),
            None => format!("{}（{}）", self.name, period),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) program: Program,
    pub(crate) name: String,
    /// Fact id and type by name (the type kept here too: a case reader wants both).
    pub(crate) fact_index: NameTable<(u32, Ty)>,
    /// Per enum (by id), each variant's index by name.
    pub(crate) variants: Vec<NameTable<u32>>,
    /// Fact names by id, shared with the decisions that list them.
    pub(crate) fact_names: Vec<Text>,
    /// Each source file's name without its folders, as explanations cite it (`eia.rules`).
    pub(crate) file_names: Vec<String>,
    pub(crate) snapshots: Vec<Snapshot>,
    pub(crate) codes: Vec<String>,
    /// Each code's index in `codes`, by name.
    pub(crate) code_index: NameTable<u32>,
    /// Per code, in `codes` order: what checking a case needs to know of it.
    pub(crate) code_info: Vec<CodeInfo>,
}

/// What checking a case needs to know of a violation code, found with one lookup of the
/// code (settling the benchmark case looked its code up in five maps).
#[derive(Debug, Default)]
pub(crate) struct CodeInfo {
    /// Per snapshot index that has the code: the facts its statutory range needs there.
    pub(crate) required: Vec<(usize, Vec<u32>)>,
    /// Whether any snapshot's violation under the code has a conditional statutory range
    /// (`罚款 当 条件：…`), whose facts a case is checked for too.
    pub(crate) conditional: bool,
}

/// A compiled ruleset: immutable, `Send + Sync`, cheap to clone and share between threads.
#[derive(Debug, Clone)]
pub struct Ruleset {
    pub(crate) inner: Arc<Inner>,
}

impl Ruleset {
    /// Compile a checked program. `leaf` names the ruleset to evaluate with; when absent the
    /// program must have exactly one ruleset that no other extends.
    pub fn compile(
        program: &Checked<Program>,
        leaf: Option<&str>,
    ) -> Result<Ruleset, CompileError> {
        let p = program.get();
        let mut names: Vec<String> = Vec::new();
        for r in &p.rulesets {
            if !names.contains(&r.name) {
                names.push(r.name.clone());
            }
        }
        if names.is_empty() {
            return Err(CompileError::Empty);
        }
        let leaf = match leaf {
            Some(l) => {
                if !names.iter().any(|n| n == l) {
                    return Err(CompileError::Unknown {
                        name: l.into(),
                        names: names.join("、"),
                    });
                }
                l.to_string()
            }
            None => {
                let parents: HashSet<&str> = p
                    .rulesets
                    .iter()
                    .filter_map(|r| r.extends.as_deref())
                    .collect();
                let leaves: Vec<&String> = names
                    .iter()
                    .filter(|n| !parents.contains(n.as_str()))
                    .collect();
                match leaves.as_slice() {
                    [one] => (*one).clone(),
                    _ => {
                        return Err(CompileError::Ambiguous {
                            names: leaves
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join("、"),
                        })
                    }
                }
            }
        };
        // The chain, root first.
        let mut chain = vec![leaf.clone()];
        while let Some(last) = chain.last() {
            let parent = p
                .rulesets
                .iter()
                .find(|r| &r.name == last)
                .and_then(|r| r.extends.clone());
            match parent {
                Some(par) if !chain.contains(&par) => chain.push(par),
                _ => break,
            }
        }
        chain.reverse();
        let members: Vec<&RulesetIr> = p
            .rulesets
            .iter()
            .filter(|r| chain.contains(&r.name))
            .collect();
        // Period boundaries: every version start and every day after a version end.
        let mut cuts: Vec<Option<NaiveDate>> = vec![None];
        for r in &members {
            if r.from.is_some() {
                cuts.push(r.from);
            }
            if let Some(t) = r.to.and_then(|t| t.succ_opt()) {
                cuts.push(Some(t));
            }
        }
        cuts.sort();
        cuts.dedup();
        let mut snapshots: Vec<Snapshot> = Vec::new();
        for (i, start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).and_then(|n| n.and_then(|d| d.pred_opt()));
            let probe = start.unwrap_or(NaiveDate::MIN);
            let in_force = |r: &&&RulesetIr| {
                r.from.map(|f| f <= probe).unwrap_or(true)
                    && r.to.map(|t| probe <= t).unwrap_or(true)
            };
            let versions: Vec<&RulesetIr> = chain
                .iter()
                .filter_map(|n| {
                    members
                        .iter()
                        .filter(|r| &r.name == n)
                        .find(in_force)
                        .copied()
                })
                .collect();
            let mut lapsed = None;
            if !versions.iter().any(|r| r.name == leaf) {
                // A leaf that has expired with no successor leaves its parents in force alone
                // (a provincial benchmark lapses; the statutes do not). Before the leaf's first
                // version there is nothing to apply.
                let last_end = members
                    .iter()
                    .filter(|r| r.name == leaf)
                    .filter_map(|r| r.to)
                    .max();
                let open_ended = members.iter().any(|r| r.name == leaf && r.to.is_none());
                match (last_end, open_ended, versions.last()) {
                    (Some(end), false, Some(parent)) if end < probe => {
                        lapsed = Some(format!(
                            "{leaf}已于 {end} 失效，未见后续版本，适用{}",
                            parent.name
                        ));
                    }
                    _ => continue,
                }
            }
            let key: Vec<(String, Option<NaiveDate>)> =
                versions.iter().map(|r| (r.name.clone(), r.from)).collect();
            // Join with the previous period when the same versions are in force.
            if let Some(prev) = snapshots.last_mut() {
                if prev.key == key {
                    prev.to = end;
                    continue;
                }
            }
            let mut snap = merge(&versions, *start, end);
            snap.key = key;
            snap.lapsed = lapsed;
            snapshots.push(snap);
        }
        let file_names: Vec<String> = p
            .files
            .iter()
            .map(|f| f.name.rsplit('/').next().unwrap_or(&f.name).to_string())
            .collect();
        // After the periods are joined: the label names the final period.
        let mut texts = TextCache::new(&p.files, &file_names);
        for s in &mut snapshots {
            s.share(p, &mut texts);
        }
        let mut codes: Vec<String> = Vec::new();
        let mut code_info: Vec<CodeInfo> = Vec::new();
        for (si, s) in snapshots.iter().enumerate() {
            for v in &s.violations {
                let i = match codes.iter().position(|c| *c == v.code) {
                    Some(i) => i,
                    None => {
                        codes.push(v.code.clone());
                        code_info.push(CodeInfo::default());
                        codes.len() - 1
                    }
                };
                if let Some(info) = code_info.get_mut(i) {
                    info.required.push((si, required_facts(p, v)));
                    // The violation a lookup in the snapshot finds (the code's last).
                    info.conditional |= s
                        .violation(&v.code)
                        .is_some_and(|v| v.fines.iter().any(|f| f.when.is_some()));
                }
            }
        }
        let code_index = NameTable::new(codes.iter().zip(0u32..).map(|(c, i)| (c.as_str(), i)));
        let fact_index = NameTable::new(
            p.facts
                .iter()
                .zip(0u32..)
                .map(|(f, i)| (f.name.as_str(), (i, f.ty))),
        );
        let variants = p
            .enums
            .iter()
            .map(|e| NameTable::new(e.variants.iter().zip(0u32..).map(|(v, i)| (v.as_str(), i))))
            .collect();
        Ok(Ruleset {
            inner: Arc::new(Inner {
                program: p.clone(),
                name: leaf,
                fact_index,
                variants,
                fact_names: p
                    .facts
                    .iter()
                    .map(|f| Text::from(f.name.as_str()))
                    .collect(),
                file_names,
                snapshots,
                codes,
                code_index,
                code_info,
            }),
        })
    }

    /// The leaf ruleset's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub(crate) fn program(&self) -> &Program {
        &self.inner.program
    }

    pub(crate) fn snapshot_at(&self, d: NaiveDate) -> Option<&Snapshot> {
        self.inner.snapshots.iter().find(|s| {
            s.from.map(|f| f <= d).unwrap_or(true) && s.to.map(|t| d <= t).unwrap_or(true)
        })
    }

    pub(crate) fn snapshots(&self) -> &[Snapshot] {
        &self.inner.snapshots
    }

    /// Number of declared facts (case fact vectors have this length).
    pub fn fact_count(&self) -> usize {
        self.inner.program.facts.len()
    }

    /// A fact's id and type by name.
    pub fn fact(&self, name: &str) -> Option<(u32, Ty)> {
        self.inner.fact_index.get(name)
    }

    pub(crate) fn fact_names(&self) -> impl Iterator<Item = &str> {
        self.inner.program.facts.iter().map(|f| f.name.as_str())
    }

    pub(crate) fn fact_has_default(&self, id: u32) -> bool {
        self.inner
            .program
            .facts
            .get(id as usize)
            .map(|f| f.default.is_some())
            .unwrap_or(false)
    }

    pub(crate) fn fact_label(&self, id: u32) -> (String, String) {
        let p = &self.inner.program;
        match p.facts.get(id as usize) {
            Some(f) => (
                f.name.clone(),
                format!(
                    "{}，{}",
                    f.label.clone().unwrap_or_else(|| f.name.clone()),
                    f.ty.label(&p.enums)
                ),
            ),
            None => (String::new(), String::new()),
        }
    }

    pub(crate) fn enum_variants(&self, id: u32) -> &[String] {
        self.inner
            .program
            .enums
            .get(id as usize)
            .map(|e| e.variants.as_slice())
            .unwrap_or(&[])
    }

    /// The index of `name` among the variants of enum `id` ([`enum_variants`]).
    ///
    /// [`enum_variants`]: Ruleset::enum_variants
    pub(crate) fn variant(&self, id: u32, name: &str) -> Option<u32> {
        self.inner.variants.get(id as usize)?.get(name)
    }

    /// Every violation code of any version.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.inner.codes.iter().map(|s| s.as_str())
    }

    pub(crate) fn knows_code(&self, code: &str) -> bool {
        self.code_info(code).is_some()
    }

    /// What checking a case needs to know of `code`; `None` for a code of no version.
    pub(crate) fn code_info(&self, code: &str) -> Option<&CodeInfo> {
        let i = self.inner.code_index.get(code)?;
        self.inner.code_info.get(i as usize)
    }

    /// Facts the code's statutory range needs in any version.
    pub(crate) fn required_facts(&self, code: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for (_, facts) in self.code_info(code).into_iter().flat_map(|c| &c.required) {
            for f in facts {
                if !out.contains(f) {
                    out.push(*f);
                }
            }
        }
        out
    }

    /// The periods (as text) of the versions that have this code.
    pub(crate) fn code_periods(&self, code: &str) -> Vec<String> {
        self.inner
            .snapshots
            .iter()
            .filter(|s| s.violation(code).is_some())
            .map(|s| s.period())
            .collect()
    }

    /// The index of the snapshot in force on `d` (that of [`snapshot_at`](Ruleset::snapshot_at)).
    pub(crate) fn snapshot_index_at(&self, d: NaiveDate) -> Option<usize> {
        self.inner.snapshots.iter().position(|s| {
            s.from.map(|f| f <= d).unwrap_or(true) && s.to.map(|t| d <= t).unwrap_or(true)
        })
    }

    /// `file:line` of a span, for explanations.
    pub(crate) fn locate(&self, span: cailiang_dsl::Span) -> String {
        let mut out = String::new();
        locate_in(
            &self.inner.program.files,
            &self.inner.file_names,
            span,
            &mut out,
        );
        out
    }

    /// The end of an explanation line citing `span` and `basis` (see [`push_line_end`]).
    pub(crate) fn push_line_end(&self, span: cailiang_dsl::Span, basis: &str, out: &mut String) {
        push_line_end(
            &self.inner.program.files,
            &self.inner.file_names,
            span,
            basis,
            out,
        );
    }
}

/// `file:line` of a span.
pub(crate) fn locate_in(
    files: &[SourceFile],
    file_names: &[String],
    span: cailiang_dsl::Span,
    out: &mut String,
) {
    let file = span.file as usize;
    if let (Some(f), Some(name)) = (files.get(file), file_names.get(file)) {
        out.push_str(name);
        out.push(':');
        push_number(out, f.line_of(span.start as usize));
    }
}

/// A violation's first explanation line under the snapshot labelled `label`.
fn headline(v: &ViolationIr, label: &str, files: &[SourceFile], file_names: &[String]) -> String {
    let mut line = String::new();
    line.push_str("【违法行为】");
    line.push_str(&v.code);
    line.push(' ');
    line.push_str(v.title.as_deref().unwrap_or_default());
    if let Some(x) = &v.violates {
        line.push_str("，违反");
        line.push_str(x);
    }
    line.push_str("；适用 ");
    line.push_str(label);
    push_line_end(files, file_names, v.span, &v.basis.join("、"), &mut line);
    line
}

/// Append `n` in decimal digits (what `write!(out, "{n}")` writes, without the formatting
/// machinery: explanations cite a line number on every step).
pub(crate) fn push_number(out: &mut String, n: usize) {
    crate::money::push_integer(out, u64::try_from(n).unwrap_or(u64::MAX));
}

/// Merge ancestor-first versions into one snapshot.
fn merge(versions: &[&RulesetIr], from: Option<NaiveDate>, to: Option<NaiveDate>) -> Snapshot {
    let leaf = versions.last();
    let mut s = Snapshot {
        from,
        to,
        name: leaf.map(|r| r.name.clone()).unwrap_or_default(),
        version: leaf.and_then(|r| r.version.clone()),
        violations: Vec::new(),
        index: NameTable::new([]),
        exemptions: Vec::new(),
        adjustments: Vec::new(),
        limitation: None,
        fallback: None,
        general_table: None,
        rounding: Rounding::default(),
        positive_lists: Vec::new(),
        key: Vec::new(),
        choice_of_law: None,
        one_fine: None,
        lapsed: None,
        interim: HashMap::new(),
        shared: Shared::default(),
    };
    // Each code's violation, the last declared; frozen into `s.index` at the end.
    let mut index: NameMap<usize> = NameMap::default();
    // First day of the version each violation's statutory text comes from.
    let mut origin: Vec<Option<NaiveDate>> = Vec::new();
    // The version that set the general table (通用裁量), by first day and name.
    let mut general_from: Option<(Option<NaiveDate>, String)> = None;
    for r in versions {
        if r.choice_of_law.is_some() {
            s.choice_of_law = r.choice_of_law.clone();
        }
        if r.one_fine.is_some() {
            s.one_fine = r.one_fine.clone();
        }
        for v in &r.violations {
            index.insert(v.code.clone(), s.violations.len());
            s.violations.push(v.clone());
            origin.push(r.from);
        }
        for refine in &r.refinements {
            let Some(&i) = index.get(&refine.code) else {
                continue;
            };
            let Some(base) = s.violations.get_mut(i) else {
                continue;
            };
            // A refinement restates the statute it was written under. When the parent's
            // version in force began after the refinement's, the statute has changed since:
            // the parent's range, basis and measures govern, and only the table carries over.
            let newer_law = match (origin.get(i).copied().flatten(), r.from) {
                (Some(law), Some(table)) => law > table,
                _ => false,
            };
            if newer_law {
                let table = r
                    .version
                    .as_deref()
                    .map(|v| format!("{}（{v}）", r.name))
                    .unwrap_or_else(|| r.name.clone());
                let basis = base.basis.join("、");
                // Only a refinement that restated the range can tell whether it changed; one
                // that adds exemptions only keeps the note its table's refinement wrote.
                let note = if refine.fines.is_empty() {
                    if s.interim.contains_key(&refine.code) {
                        apply_table(base, refine);
                        continue;
                    }
                    format!("待核：{table}的规则制定于现行规定（{basis}）施行前；过渡期间适用于现行法定幅度")
                } else if fines_key(&refine.fines) == fines_key(&base.fines) {
                    format!("{table}的裁量表制定于现行法律施行前；现行规定（{basis}）法定幅度未变，沿用该表，依据改为现行规定")
                } else {
                    format!("待核：{table}的裁量表依据旧法制定，现行规定（{basis}）已改变法定幅度；过渡期间按该表的裁量规则适用于现行法定幅度，并以现行法定幅度为限")
                };
                s.interim.insert(refine.code.clone(), note);
                apply_table(base, refine);
            } else {
                apply_refinement(base, refine);
            }
        }
        for e in &r.exemptions {
            match s.exemptions.iter_mut().find(|x| x.name == e.name) {
                Some(x) => *x = e.clone(),
                None => s.exemptions.push(e.clone()),
            }
        }
        for a in &r.adjustments {
            match s.adjustments.iter_mut().find(|x| x.name == a.name) {
                Some(x) => *x = a.clone(),
                None => s.adjustments.push(a.clone()),
            }
        }
        if r.limitation.is_some() {
            s.limitation = r.limitation.clone();
        }
        if r.fallback.is_some() {
            s.fallback = r.fallback.clone();
        }
        if r.general_table.is_some() {
            s.general_table = r.general_table.clone();
            general_from = Some((r.from, r.name.clone()));
        }
        if let Some(x) = &r.rounding {
            s.rounding = Rounding::from(x);
        }
        s.positive_lists.extend(r.positive_lists.iter().cloned());
    }
    // A general table older than the law a violation now stands on is applied as an interim
    // rule too (Hunan 表13 after the 生态环境法典).
    if let (Some((Some(table_from), table)), true) = (&general_from, s.general_table.is_some()) {
        for (v, law_from) in s.violations.iter().zip(&origin) {
            let newer = law_from.map(|l| l > *table_from).unwrap_or(false);
            if newer && v.discretion.is_none() && !s.interim.contains_key(&v.code) {
                let basis = v.basis.join("、");
                s.interim.insert(
                    v.code.clone(),
                    format!("待核：{table}的通用裁量表制定于现行规定（{basis}）施行前；过渡期间按该表的裁量规则适用于现行法定幅度，并以现行法定幅度为限"),
                );
            }
        }
    }
    // One entry per code (the map's), so which of two equal names the table keeps is moot.
    s.index = NameTable::new(index.iter().map(|(code, &i)| (code.as_str(), i)));
    s
}

/// Statutory ranges compared by meaning (shapes carry no spans).
fn fines_key(f: &[FineIr]) -> String {
    f.iter()
        .map(|x| format!("{:?}{:?}", x.when, x.shape))
        .collect::<Vec<_>>()
        .join("|")
}

/// A refinement replaces what it writes and adds its local rules.
fn apply_refinement(base: &mut ViolationIr, r: &ViolationIr) {
    if r.title.is_some() {
        base.title = r.title.clone();
    }
    if r.violates.is_some() {
        base.violates = r.violates.clone();
    }
    if !r.basis.is_empty() {
        base.basis = r.basis.clone();
    }
    if !r.fines.is_empty() {
        base.fines = r.fines.clone();
    }
    if !r.measures.is_empty() {
        base.measures = r.measures.clone();
    }
    if r.daily.is_some() {
        base.daily = r.daily.clone();
    }
    if r.succeeds.is_some() {
        base.succeeds = r.succeeds.clone();
    }
    if r.not_illegal.is_some() {
        base.not_illegal = r.not_illegal.clone();
        base.not_illegal_when = r.not_illegal_when.clone();
    }
    apply_table(base, r);
}

/// The parts of a refinement that are the benchmark's own (its table, exemptions,
/// adjustments, limitation), not restated statute.
fn apply_table(base: &mut ViolationIr, r: &ViolationIr) {
    if r.source.is_some() {
        base.source = r.source.clone();
    }
    if r.discretion.is_some() {
        base.discretion = r.discretion.clone();
    }
    for e in &r.exemptions {
        match base.exemptions.iter_mut().find(|x| x.name == e.name) {
            Some(x) => *x = e.clone(),
            None => base.exemptions.push(e.clone()),
        }
    }
    for a in &r.adjustments {
        match base.adjustments.iter_mut().find(|x| x.name == a.name) {
            Some(x) => *x = a.clone(),
            None => base.adjustments.push(a.clone()),
        }
    }
    if r.limitation.is_some() {
        base.limitation = r.limitation.clone();
    }
    for f in &r.facts {
        if !base.facts.contains(f) {
            base.facts.push(*f);
        }
    }
}

/// Facts the statutory range and the discretion base read (through derived values too):
/// without them no fine can be computed, so a case must give them or they need a default.
fn required_facts(p: &Program, v: &ViolationIr) -> Vec<u32> {
    let mut out = Vec::new();
    let mut seen_derived = HashSet::new();
    let mut stack: Vec<&CExpr> = Vec::new();
    // An act this version no longer punishes needs nothing.
    for f in v.fines.iter().filter(|f| f.when.is_none()) {
        match &f.shape {
            ShapeIr::Bounds { min, max } => stack.extend([min, max]),
            ShapeIr::MaxOnly { max } => stack.push(max),
            ShapeIr::OfBase { base, .. } => stack.push(base),
            ShapeIr::PerOccurrence {
                min, max, count, ..
            } => stack.extend([min, max, count]),
        }
    }
    if let Some(DiscretionIr::Additive { base: Some(b), .. }) = &v.discretion {
        stack.push(b);
    }
    // Whether part of the act is punished at all.
    if let Some(w) = &v.not_illegal_when {
        stack.push(w);
    }
    while let Some(e) = stack.pop() {
        match e {
            CExpr::Fact(i) => {
                if !out.contains(i) {
                    out.push(*i)
                }
            }
            CExpr::Derived(i) => {
                if seen_derived.insert(*i) {
                    if let Some(d) = p.derived.get(*i as usize) {
                        stack.push(&d.expr);
                    }
                }
            }
            CExpr::Lit(_) | CExpr::Const(_) => {}
            CExpr::Neg(x) | CExpr::Not(x) | CExpr::In(x, _) => stack.push(x),
            CExpr::Bin(_, a, b) => stack.extend([a.as_ref(), b.as_ref()]),
            // Only the branch taken is needed; a missing fact in a branch is reported at run time.
            CExpr::If(c, _, _) => stack.push(c),
            CExpr::Call(_, args) => stack.extend(args.iter()),
        }
    }
    out
}

/// One factor level of one violation, for coverage reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LevelId {
    /// Violation code.
    pub code: String,
    /// Factor name.
    pub factor: String,
    /// Level as written.
    pub level: String,
}

impl Ruleset {
    /// Every factor level of every violation (for `cailiang test` coverage).
    pub fn levels(&self) -> Vec<LevelId> {
        let mut out = Vec::new();
        for s in self.snapshots() {
            for v in &s.violations {
                if let Some(DiscretionIr::Additive { factors, .. }) = &v.discretion {
                    for f in factors {
                        for l in &f.levels {
                            let id = LevelId {
                                code: v.code.clone(),
                                factor: f.name.to_string(),
                                level: l.text.trim().to_string(),
                            };
                            if !out.contains(&id) {
                                out.push(id);
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Every exemption rule name (general and per violation).
    pub fn exemption_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.snapshots() {
            let local = s.violations.iter().flat_map(|v| v.exemptions.iter());
            for e in s.exemptions.iter().chain(local) {
                if !out.iter().any(|n| *n == *e.name) {
                    out.push(e.name.to_string());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Line numbers are written as `format!` writes them.
        #[test]
        fn push_number_writes_decimal_digits(n in proptest::num::usize::ANY) {
            let mut out = String::from("x:");
            super::push_number(&mut out, n);
            proptest::prop_assert_eq!(out, format!("x:{n}"));
        }
    }

    #[test]
    fn push_number_edges() {
        for n in [0usize, 9, 10, 99, 100, 1234, usize::MAX] {
            let mut out = String::new();
            super::push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
