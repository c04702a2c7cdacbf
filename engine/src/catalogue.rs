//! The catalogue a case system builds its forms from: every violation with its legal basis,
//! statutory shape and the facts it reads (types and allowed values).

use crate::ruleset::Ruleset;
use cailiang_dsl::ir::{AdjustmentIr, CExpr, DiscretionIr, ShapeIr, Ty, Value};
use serde::Serialize;

/// One fact as a case system must send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactInfo {
    /// Name (the key in `facts`).
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// bool | number | integer | money | percent | multiple | date | duration | text | enum
    #[serde(rename = "type")]
    pub ty: String,
    /// Allowed values of an enum.
    pub values: Option<Vec<String>>,
    /// Default, as text.
    pub default: Option<String>,
    /// Whether the case must give it (the statutory range needs it and there is no default).
    pub required: bool,
    /// Whether an escalated or alternative range (`罚款 当 …`) needs it: the case must give it
    /// when that range's condition holds, or the decision is C0107 naming it.
    pub required_if_escalated: bool,
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Clause violated.
    pub violates: Option<String>,
    /// Legal basis.
    pub basis: Vec<String>,
    /// Where in a benchmark its table is.
    pub source: Option<String>,
    /// The earlier provision this one takes over (`承接`), in a later dated version.
    pub succeeds: Option<String>,
    /// Statutory shape: bounds | max_only | of_base | per_occurrence | per_unit | not_illegal.
    pub shape: String,
    /// Statutory range as text.
    pub range: String,
    /// Discretion model: additive | bands | fallback.
    pub discretion: String,
    /// Facts it reads, in any version it exists in (an act before a change of law is judged
    /// under both versions, so a case needs the facts of both).
    pub facts: Vec<FactInfo>,
    /// Versions (periods) it exists in.
    pub in_force: Vec<String>,
    /// The code for the fine on the persons responsible (`<code>-P`), when the same provision
    /// also fines them: a case system opens a second case for each person.
    pub persons: Option<String>,
}

fn ty_name(t: Ty) -> &'static str {
    match t {
        Ty::Bool => "bool",
        Ty::Number => "number",
        Ty::Integer => "integer",
        Ty::Money => "money",
        Ty::Percent => "percent",
        Ty::Multiple => "multiple",
        Ty::Date => "date",
        Ty::Duration => "duration",
        Ty::Text => "text",
        Ty::Enum(_) => "enum",
    }
}

fn lit(e: &CExpr) -> String {
    match e {
        CExpr::Lit(Value::Dec(d)) => crate::money::yuan_text(*d),
        _ => "（按事实计算）".into(),
    }
}

impl Ruleset {
    /// Every violation of every version, latest version's text first.
    pub fn catalogue(&self) -> Vec<Entry> {
        let p = self.program();
        let mut out: Vec<Entry> = Vec::new();
        // Latest first, but a period in which the leaf has lapsed comes after every period in
        // which it is in force: its text is the parents' alone.
        let mut order: Vec<_> = self.snapshots().iter().rev().collect();
        order.sort_by_key(|s| s.lapsed.is_some());
        for snap in order {
            for v in &snap.violations {
                let existing = out.iter().position(|e| e.code == v.code);
                let (shape, range) =
                    match v.fines.iter().find(|f| f.when.is_none()).map(|f| &f.shape) {
                        Some(ShapeIr::Bounds { min, max }) => {
                            ("bounds", format!("{} 至 {}", lit(min), lit(max)))
                        }
                        Some(ShapeIr::MaxOnly { max }) => {
                            ("max_only", format!("{} 以下", lit(max)))
                        }
                        Some(ShapeIr::OfBase {
                            base_name,
                            low,
                            high,
                            multiple,
                            ..
                        }) => {
                            let f = |x: rust_decimal::Decimal| {
                                if *multiple {
                                    format!("{}倍", x.normalize())
                                } else {
                                    crate::money::percent_text(x)
                                }
                            };
                            (
                                "of_base",
                                format!("{base_name} 的 {} 至 {}", f(*low), f(*high)),
                            )
                        }
                        Some(ShapeIr::PerOccurrence {
                            min,
                            max,
                            count_name,
                            unit: None,
                            ..
                        }) => (
                            "per_occurrence",
                            format!("每次 {} 至 {}（{count_name}）", lit(min), lit(max)),
                        ),
                        Some(ShapeIr::PerOccurrence {
                            min,
                            max,
                            count_name,
                            unit: Some(u),
                            ..
                        }) => (
                            "per_unit",
                            format!("每{u} {} 至 {}（{count_name}）", lit(min), lit(max)),
                        ),
                        None if v.not_illegal.is_some() => ("not_illegal", String::new()),
                        None => ("none", String::new()),
                    };
                let discretion = match &v.discretion {
                    Some(DiscretionIr::Additive { .. }) => "additive",
                    Some(DiscretionIr::Bands(..)) => "bands",
                    None if snap.general_table.is_some() => "general",
                    None => "fallback",
                };
                let mut ids = v.facts.clone();
                let table = v
                    .discretion
                    .as_ref()
                    .or(snap.general_table.as_ref().map(|g| &g.discretion));
                if let Some(DiscretionIr::Additive { factors, .. }) = table {
                    for f in factors {
                        if let Some(i) = f.fact {
                            if !ids.contains(&i) {
                                ids.push(i);
                            }
                        }
                    }
                }
                for e in snap.exemptions.iter() {
                    for (c, _) in &e.when {
                        collect(c, &mut ids);
                    }
                }
                // A rule that excludes this violation (`排除 违法行为`) asks nothing of its case.
                let applies = |a: &&AdjustmentIr| !a.excludes.iter().any(|(x, _)| *x == v.code);
                for a in snap.adjustments.iter().filter(applies) {
                    for (c, _) in &a.when {
                        collect(c, &mut ids);
                    }
                }
                let required = self.required_facts(&v.code);
                // Facts the conditional ranges' amounts read.
                let mut escalated: Vec<u32> = Vec::new();
                for f in v.fines.iter().filter(|f| f.when.is_some()) {
                    match &f.shape {
                        ShapeIr::Bounds { min, max } => {
                            collect(min, &mut escalated);
                            collect(max, &mut escalated);
                        }
                        ShapeIr::MaxOnly { max } => collect(max, &mut escalated),
                        ShapeIr::OfBase { base, floor, .. } => {
                            collect(base, &mut escalated);
                            if let Some((a, b)) = floor {
                                collect(a, &mut escalated);
                                collect(b, &mut escalated);
                            }
                        }
                        ShapeIr::PerOccurrence {
                            min, max, count, ..
                        } => {
                            collect(min, &mut escalated);
                            collect(max, &mut escalated);
                            collect(count, &mut escalated);
                        }
                    }
                }
                for i in &escalated {
                    if !ids.contains(i) {
                        ids.push(*i);
                    }
                }
                let facts: Vec<FactInfo> = ids
                    .iter()
                    .filter_map(|&i| p.facts.get(i as usize).map(|f| (i, f)))
                    .map(|(i, f)| FactInfo {
                        name: f.name.clone(),
                        label: f.label.clone(),
                        ty: ty_name(f.ty).into(),
                        values: match f.ty {
                            Ty::Enum(id) => p.enums.get(id as usize).map(|e| e.variants.clone()),
                            _ => None,
                        },
                        default: f.default.as_ref().map(|d| match d {
                            Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                            Value::Dec(x) => x.normalize().to_string(),
                            Value::Date(x) => x.to_string(),
                            Value::Enum(k) => match f.ty {
                                Ty::Enum(id) => p
                                    .enums
                                    .get(id as usize)
                                    .and_then(|e| e.variants.get(*k as usize).cloned())
                                    .unwrap_or_default(),
                                _ => String::new(),
                            },
                            Value::Text(t) => t.clone(),
                            Value::Duration(n, _) => n.to_string(),
                        }),
                        required: required.contains(&i) && f.default.is_none(),
                        required_if_escalated: !required.contains(&i)
                            && f.default.is_none()
                            && escalated.contains(&i),
                    })
                    .collect();
                if let Some(e) = existing.and_then(|i| out.get_mut(i)) {
                    e.in_force.push(snap.label().to_string());
                    for f in facts {
                        if !e.facts.iter().any(|x| x.name == f.name) {
                            e.facts.push(f);
                        }
                    }
                    continue;
                }
                out.push(Entry {
                    code: v.code.clone(),
                    name: v.title.clone().unwrap_or_default(),
                    violates: v.violates.clone(),
                    basis: v.basis.clone(),
                    source: v.source.clone(),
                    succeeds: v.succeeds.clone(),
                    shape: shape.into(),
                    range,
                    discretion: discretion.into(),
                    facts,
                    in_force: vec![snap.label().to_string()],
                    persons: Some(format!("{}-P", v.code))
                        .filter(|p| self.knows_code(p) && !v.code.ends_with("-P")),
                });
            }
        }
        out
    }
}

fn collect(e: &CExpr, out: &mut Vec<u32>) {
    match e {
        CExpr::Fact(i) if !out.contains(i) => out.push(*i),
        CExpr::Neg(x) | CExpr::Not(x) | CExpr::In(x, _) => collect(x, out),
        CExpr::Bin(_, a, b) => {
            collect(a, out);
            collect(b, out);
        }
        CExpr::If(a, b, c) => {
            collect(a, out);
            collect(b, out);
            collect(c, out);
        }
        CExpr::Call(_, args) => args.iter().for_each(|a| collect(a, out)),
        _ => {}
    }
}
