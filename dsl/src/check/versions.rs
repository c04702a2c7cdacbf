//! Version pass: group files into ruleset versions, check that versions of one ruleset do
//! not overlap in time, and resolve `继承` (unknown parents, cycles).

use super::{CheckError, Checker};
use crate::ast;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One version of a ruleset: every file with the same name and effective period.
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) files: Vec<usize>,
}

pub(crate) fn group(c: &mut Checker<'_>, asts: &[ast::File]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (i, f) in asts.iter().enumerate() {
        let h = &f.header;
        let from = h.effective.as_ref().map(|e| e.from.date);
        let to = h.effective.as_ref().and_then(|e| e.to.map(|d| d.date));
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                if let Some(e) = &h.effective {
                    c.err(CheckError::MinAboveMax {
                        what: "生效期间".into(),
                        min: a.to_string(),
                        max: b.to_string(),
                        span: e.span,
                    });
                }
            }
        }
        match groups
            .iter_mut()
            .find(|g| g.name == h.name.name && g.from == from && g.to == to)
        {
            Some(g) => g.files.push(i),
            None => groups.push(Group {
                name: h.name.name.clone(),
                from,
                to,
                files: vec![i],
            }),
        }
    }
    // Versions of one ruleset must not be in force on the same day.
    for (i, a) in groups.iter().enumerate() {
        for b in groups.iter().skip(i + 1) {
            if a.name != b.name {
                continue;
            }
            let a_end = a.to.unwrap_or(NaiveDate::MAX);
            let b_end = b.to.unwrap_or(NaiveDate::MAX);
            let a_start = a.from.unwrap_or(NaiveDate::MIN);
            let b_start = b.from.unwrap_or(NaiveDate::MIN);
            if a_start <= b_end && b_start <= a_end {
                let (Some(&fa), Some(&fb)) = (a.files.first(), b.files.first()) else {
                    continue;
                };
                let (Some(ha), Some(hb)) = (asts.get(fa), asts.get(fb)) else {
                    continue;
                };
                let other = c.where_is(ha.header.span);
                let span = hb
                    .header
                    .effective
                    .as_ref()
                    .map(|e| e.span)
                    .unwrap_or(hb.header.name.span);
                c.err(CheckError::VersionOverlap {
                    name: b.name.clone(),
                    other,
                    span,
                });
            }
        }
    }
    groups
}

/// For every ruleset name, its ancestors (parent first). Unknown parents and cycles are
/// reported; the chain stops there.
pub(crate) fn ancestry(
    c: &mut Checker<'_>,
    asts: &[ast::File],
    groups: &[Group],
) -> HashMap<String, Vec<String>> {
    let mut parent: HashMap<String, String> = HashMap::new();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    for f in asts {
        if let Some(p) = &f.header.extends {
            if !names.contains(&p.name.as_str()) {
                // A ruleset cannot extend itself: never suggest its own name.
                let own = f.header.name.name.as_str();
                let suggestion =
                    super::suggest(&p.name, names.iter().copied().filter(|n| *n != own));
                c.err(CheckError::UnknownParent {
                    name: p.name.clone(),
                    suggestion,
                    span: p.span,
                });
                continue;
            }
            parent.insert(f.header.name.name.clone(), p.name.clone());
        }
    }
    let mut out = HashMap::new();
    let mut reported: Vec<Vec<String>> = Vec::new();
    for g in groups {
        if out.contains_key(&g.name) {
            continue;
        }
        let mut chain: Vec<String> = Vec::new();
        let mut cur = g.name.clone();
        while let Some(p) = parent.get(&cur) {
            if p == &g.name || chain.contains(p) {
                let span = asts
                    .iter()
                    .find(|f| f.header.name.name == g.name)
                    .and_then(|f| f.header.extends.as_ref().map(|e| e.span))
                    .unwrap_or_default();
                let mut cyc = vec![g.name.clone()];
                cyc.extend(chain.iter().cloned());
                // One report per cycle, at the first of its rulesets that is met; a ruleset
                // that only leads into a cycle is not part of it.
                let mut members = cyc.clone();
                members.sort();
                if p == &g.name && !reported.contains(&members) {
                    reported.push(members);
                    cyc.push(p.clone());
                    c.err(CheckError::ExtendsCycle {
                        cycle: cyc.join(" → "),
                        span,
                    });
                }
                break;
            }
            chain.push(p.clone());
            cur = p.clone();
        }
        out.insert(g.name.clone(), chain);
    }
    out
}
