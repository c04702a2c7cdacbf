//! Enterprise profile input for positive-list supervision (JSON or YAML) and its validation
//! against a ruleset. Like cases, every problem is reported at once, each naming its field.
//!
//! ```yaml
//! as_of: 2024-06-30                 # 评估日 (required)
//! list: 海南监督执法正面清单          # which 正面清单, when the ruleset has several
//! enterprise: {name: 某公司, 统一社会信用代码: "9146…"}   # echoed in the output
//! facts: {行业: 食品制造, 信用等级: 诚信, 在线监测联网: true}
//! history:                          # dated events; kinds are the 事件种类 fact's variants
//!   - {kind: 环境违法, date: 2023-05-10, note: 超标排放}
//! listing: {listed_on: 2022-01-01, removed_on: 2023-01-01}   # earlier listing, if any
//! ```

use crate::case::describe;
use crate::case::{fact_value, CaseError};
use crate::ruleset::Ruleset;
use cailiang_dsl::check::suggest;
use cailiang_dsl::ir::{Ty, Value, EVENT_KIND_FACT, EVENT_KIND_FACT_EN};
use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

/// Largest profile document accepted (bytes).
pub const MAX_PROFILE_BYTES: usize = 1024 * 1024;
/// Most events in one history.
pub const MAX_EVENTS: usize = 10_000;

/// One problem with a profile. Messages are Chinese and name the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// Not valid JSON/YAML.
    #[error("企业档案格式错误（第 {line} 行第 {column} 列）：{message}")]
    Syntax {
        /// Parser message.
        message: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Larger than [`MAX_PROFILE_BYTES`] or more than [`MAX_EVENTS`] events.
    #[error("企业档案过大（{what}：{size}，上限 {limit}）")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// Size.
        size: usize,
        /// Limit.
        limit: usize,
    },
    /// A required field is absent.
    #[error("缺少字段 {field}")]
    MissingField {
        /// Field path.
        field: String,
    },
    /// A field of the wrong JSON type or an unparsable value.
    #[error("字段 {field} 应为{expected}，实际为 {found}")]
    WrongType {
        /// Field path.
        field: String,
        /// Expected.
        expected: String,
        /// What was given.
        found: String,
    },
    /// A field the contract does not know.
    #[error("未知字段 {field}")]
    UnknownField {
        /// Field path.
        field: String,
    },
    /// A fact the ruleset does not declare.
    #[error("未知事实 facts.{name}{}", suggestion.as_ref().map(|s| format!("（是否想写“{s}”？）")).unwrap_or_default())]
    UnknownFact {
        /// Name.
        name: String,
        /// Closest declared fact.
        suggestion: Option<String>,
    },
    /// An enum value that is not a variant.
    #[error("facts.{fact} 的取值“{value}”不在可选范围内（可选：{allowed}）")]
    UnknownVariant {
        /// Fact.
        fact: String,
        /// Given.
        value: String,
        /// Allowed values.
        allowed: String,
    },
    /// An event kind the ruleset does not declare.
    #[error("{field} 的事件种类“{kind}”未在规则集中声明（可选：{allowed}）{}", suggestion.as_ref().map(|s| format!("（是否想写“{s}”？）")).unwrap_or_default())]
    UnknownEventKind {
        /// Field path (`history[2].kind`).
        field: String,
        /// Given.
        kind: String,
        /// Declared kinds.
        allowed: String,
        /// Closest declared kind.
        suggestion: Option<String>,
    },
    /// The profile has a history but the ruleset declares no event kinds.
    #[error("{field}：规则集没有声明事件种类（事实 事件种类：｛…｝），不能读取事件记录")]
    NoEventKinds {
        /// Field path.
        field: String,
    },
    /// No version of the ruleset is in force on `as_of`.
    #[error("as_of = {date} 时没有生效的规则集版本")]
    NotInForce {
        /// The date.
        date: NaiveDate,
    },
    /// Dates in an impossible order.
    #[error("{later} 早于 {earlier}")]
    DateOrder {
        /// The earlier field.
        earlier: String,
        /// The later field.
        later: String,
    },
    /// A date after the evaluation date.
    #[error("{field} = {date} 晚于评估日 as_of")]
    AfterAsOf {
        /// Field path.
        field: String,
        /// The date.
        date: NaiveDate,
    },
    /// `list` names no positive list in force.
    #[error("正面清单“{name}”不存在（现有：{allowed}）{}", suggestion.as_ref().map(|s| format!("（是否想写“{s}”？）")).unwrap_or_default())]
    UnknownList {
        /// Given.
        name: String,
        /// Lists in force.
        allowed: String,
        /// Closest name.
        suggestion: Option<String>,
    },
    /// Several lists in force and `list` not given.
    #[error("规则集有多个正面清单（{allowed}），请用 list 字段指定一个")]
    AmbiguousList {
        /// Lists in force.
        allowed: String,
    },
    /// The ruleset in force has no positive list.
    #[error("as_of = {date} 时生效的规则集没有正面清单")]
    NoList {
        /// The date.
        date: NaiveDate,
    },
}

impl ProfileError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::Syntax { .. } => "P0001",
            ProfileError::TooLarge { .. } => "P0002",
            ProfileError::MissingField { .. } => "P0101",
            ProfileError::WrongType { .. } => "P0102",
            ProfileError::UnknownField { .. } => "P0103",
            ProfileError::UnknownFact { .. } => "P0104",
            ProfileError::UnknownVariant { .. } => "P0105",
            ProfileError::UnknownEventKind { .. } => "P0106",
            ProfileError::NoEventKinds { .. } => "P0107",
            ProfileError::NotInForce { .. } => "P0108",
            ProfileError::DateOrder { .. } => "P0109",
            ProfileError::AfterAsOf { .. } => "P0110",
            ProfileError::UnknownList { .. } => "P0111",
            ProfileError::AmbiguousList { .. } => "P0112",
            ProfileError::NoList { .. } => "P0113",
        }
    }

    /// The field the error is about (JSON path), if any.
    pub fn field(&self) -> Option<String> {
        match self {
            ProfileError::MissingField { field }
            | ProfileError::WrongType { field, .. }
            | ProfileError::UnknownField { field }
            | ProfileError::UnknownEventKind { field, .. }
            | ProfileError::NoEventKinds { field }
            | ProfileError::AfterAsOf { field, .. } => Some(field.clone()),
            ProfileError::UnknownFact { name, .. } => Some(format!("facts.{name}")),
            ProfileError::UnknownVariant { fact, .. } => Some(format!("facts.{fact}")),
            ProfileError::NotInForce { .. } | ProfileError::NoList { .. } => Some("as_of".into()),
            ProfileError::DateOrder { later, .. } => Some(later.clone()),
            ProfileError::UnknownList { .. } | ProfileError::AmbiguousList { .. } => {
                Some("list".into())
            }
            ProfileError::Syntax { .. } | ProfileError::TooLarge { .. } => None,
        }
    }
}

impl From<CaseError> for ProfileError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::WrongType {
                field,
                expected,
                found,
            } => ProfileError::WrongType {
                field,
                expected,
                found,
            },
            CaseError::UnknownVariant {
                fact,
                value,
                allowed,
            } => ProfileError::UnknownVariant {
                fact,
                value,
                allowed,
            },
            CaseError::UnknownFact { name, suggestion } => {
                ProfileError::UnknownFact { name, suggestion }
            }
            other => ProfileError::WrongType {
                field: other.field().unwrap_or_default(),
                expected: "有效值".into(),
                found: other.to_string(),
            },
        }
    }
}

/// One dated event of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Variant index of the `事件种类` enum.
    pub kind: u32,
    /// The kind's name.
    pub kind_name: String,
    /// When it happened (or was decided).
    pub date: NaiveDate,
    /// Free note.
    pub note: Option<String>,
}

/// An earlier or current listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// First day on the list.
    pub listed_on: NaiveDate,
    /// Day of removal, if removed.
    pub removed_on: Option<NaiveDate>,
    /// Why it was removed (free text).
    pub reason: Option<String>,
}

/// A profile, validated against a ruleset.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Evaluation date (评估日).
    pub as_of: NaiveDate,
    /// The positive list to apply (resolved: always the name of a list in force).
    pub list: String,
    /// The `enterprise` object as given (echoed in the output).
    pub enterprise: Map<String, Json>,
    /// Facts by fact id (None: not given).
    pub facts: Vec<Option<Value>>,
    /// The event history, in input order.
    pub history: Vec<Event>,
    /// The listing record, if any.
    pub listing: Option<Listing>,
}

/// Parse a profile from JSON or YAML text.
pub fn parse(text: &str, yaml: bool) -> Result<Json, Vec<ProfileError>> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(vec![ProfileError::TooLarge {
            what: "字节",
            size: text.len(),
            limit: MAX_PROFILE_BYTES,
        }]);
    }
    if yaml {
        crate::yaml::to_json(text).map_err(|(message, line, column)| {
            vec![ProfileError::Syntax {
                message,
                line,
                column,
            }]
        })
    } else {
        serde_json::from_str(text).map_err(|e| {
            vec![ProfileError::Syntax {
                message: e.to_string(),
                line: e.line(),
                column: e.column(),
            }]
        })
    }
}

/// Whether a JSON document looks like a profile rather than a case: it has `as_of` and no
/// `violation` (how `cailiang test` tells example profiles from example cases).
pub fn is_profile(json: &Json) -> bool {
    json.get("as_of").is_some() && json.get("violation").is_none()
}

fn date(field: &str, v: &Json, errors: &mut Vec<ProfileError>) -> Option<NaiveDate> {
    let parsed = match v {
        Json::String(s) => crate::case::parse_date(s).ok(),
        _ => None,
    };
    if parsed.is_none() {
        errors.push(ProfileError::WrongType {
            field: field.into(),
            expected: "日期（YYYY-MM-DD）".into(),
            found: describe(v),
        });
    }
    parsed
}

fn opt_text(field: &str, v: Option<&Json>, errors: &mut Vec<ProfileError>) -> Option<String> {
    match v {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(ProfileError::WrongType {
                field: field.into(),
                expected: "文字".into(),
                found: describe(other),
            });
            None
        }
    }
}

fn unknown_keys(
    map: &Map<String, Json>,
    prefix: &str,
    known: &[&str],
    errors: &mut Vec<ProfileError>,
) {
    for k in map.keys() {
        if !known.contains(&k.as_str()) {
            errors.push(ProfileError::UnknownField {
                field: format!("{prefix}{k}"),
            });
        }
    }
}

/// The `事件种类` enum of a ruleset: (fact name, variants), when declared as an enum.
pub(crate) fn event_kinds(rs: &Ruleset) -> Option<(&'static str, Vec<String>)> {
    [EVENT_KIND_FACT, EVENT_KIND_FACT_EN]
        .into_iter()
        .find_map(|n| match rs.fact(n) {
            Some((_, Ty::Enum(id))) => Some((n, rs.enum_variants(id).to_vec())),
            _ => None,
        })
}

/// Validate a JSON profile against a ruleset.
pub fn validate(rs: &Ruleset, json: &Json) -> Result<Profile, Vec<ProfileError>> {
    let mut errors = Vec::new();
    let Json::Object(map) = json else {
        return Err(vec![ProfileError::WrongType {
            field: "(企业档案)".into(),
            expected: "对象".into(),
            found: describe(json),
        }]);
    };
    unknown_keys(
        map,
        "",
        &[
            "as_of",
            "list",
            "enterprise",
            "facts",
            "history",
            "listing",
            "expect",
            "name",
            "note",
        ],
        &mut errors,
    );
    let as_of = match map.get("as_of") {
        None | Some(Json::Null) => {
            errors.push(ProfileError::MissingField {
                field: "as_of".into(),
            });
            None
        }
        Some(v) => date("as_of", v, &mut errors),
    };
    let wanted_list = opt_text("list", map.get("list"), &mut errors);
    let enterprise = match map.get("enterprise") {
        None | Some(Json::Null) => Map::new(),
        Some(Json::Object(e)) => {
            for (k, v) in e {
                if matches!(v, Json::Object(_) | Json::Array(_)) {
                    errors.push(ProfileError::WrongType {
                        field: format!("enterprise.{k}"),
                        expected: "文字、数字或是否".into(),
                        found: describe(v),
                    });
                }
            }
            e.clone()
        }
        Some(v) => {
            errors.push(ProfileError::WrongType {
                field: "enterprise".into(),
                expected: "对象".into(),
                found: describe(v),
            });
            Map::new()
        }
    };
    let kinds = event_kinds(rs);
    let mut facts: Vec<Option<Value>> = vec![None; rs.fact_count()];
    match map.get("facts") {
        None | Some(Json::Null) => {}
        Some(Json::Object(f)) => {
            for (name, v) in f {
                if kinds.as_ref().map(|k| k.0 == name).unwrap_or(false) {
                    errors.push(ProfileError::WrongType {
                        field: format!("facts.{name}"),
                        expected: "不在 facts 中给出（事件写在 history 里）".into(),
                        found: describe(v),
                    });
                    continue;
                }
                let Some((id, ty)) = rs.fact(name) else {
                    errors.push(ProfileError::UnknownFact {
                        name: name.clone(),
                        suggestion: suggest(name, rs.fact_names()),
                    });
                    continue;
                };
                if v.is_null() {
                    continue;
                }
                match fact_value(rs, name, ty, v) {
                    Ok(val) => {
                        if let Some(slot) = facts.get_mut(id as usize) {
                            *slot = Some(val);
                        }
                    }
                    Err(e) => errors.push(e.into()),
                }
            }
        }
        Some(v) => errors.push(ProfileError::WrongType {
            field: "facts".into(),
            expected: "对象".into(),
            found: describe(v),
        }),
    }
    let mut history = Vec::new();
    match map.get("history") {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) if items.len() > MAX_EVENTS => {
            errors.push(ProfileError::TooLarge {
                what: "history 条数",
                size: items.len(),
                limit: MAX_EVENTS,
            });
        }
        Some(Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("history[{i}]");
                let Json::Object(ev) = item else {
                    errors.push(ProfileError::WrongType {
                        field: at,
                        expected: "对象（kind, date, note）".into(),
                        found: describe(item),
                    });
                    continue;
                };
                unknown_keys(
                    ev,
                    &format!("{at}."),
                    &["kind", "date", "note"],
                    &mut errors,
                );
                let kind = match ev.get("kind") {
                    None | Some(Json::Null) => {
                        errors.push(ProfileError::MissingField {
                            field: format!("{at}.kind"),
                        });
                        None
                    }
                    Some(Json::String(k)) => match &kinds {
                        None => {
                            errors.push(ProfileError::NoEventKinds {
                                field: format!("{at}.kind"),
                            });
                            None
                        }
                        Some((_, variants)) => match variants.iter().position(|v| v == k) {
                            Some(p) => Some((p as u32, k.clone())),
                            None => {
                                errors.push(ProfileError::UnknownEventKind {
                                    field: format!("{at}.kind"),
                                    kind: k.clone(),
                                    allowed: variants.join("、"),
                                    suggestion: suggest(k, variants.iter().map(|s| s.as_str())),
                                });
                                None
                            }
                        },
                    },
                    Some(v) => {
                        errors.push(ProfileError::WrongType {
                            field: format!("{at}.kind"),
                            expected: "事件种类（文字）".into(),
                            found: describe(v),
                        });
                        None
                    }
                };
                let when = match ev.get("date") {
                    None | Some(Json::Null) => {
                        errors.push(ProfileError::MissingField {
                            field: format!("{at}.date"),
                        });
                        None
                    }
                    Some(v) => date(&format!("{at}.date"), v, &mut errors),
                };
                if let (Some(d), Some(a)) = (when, as_of) {
                    if d > a {
                        errors.push(ProfileError::AfterAsOf {
                            field: format!("{at}.date"),
                            date: d,
                        });
                    }
                }
                let note = opt_text(&format!("{at}.note"), ev.get("note"), &mut errors);
                if let (Some((kind, kind_name)), Some(date)) = (kind, when) {
                    history.push(Event {
                        kind,
                        kind_name,
                        date,
                        note,
                    });
                }
            }
        }
        Some(v) => errors.push(ProfileError::WrongType {
            field: "history".into(),
            expected: "数组（[{kind, date, note}]）".into(),
            found: describe(v),
        }),
    }
    let listing = match map.get("listing") {
        None | Some(Json::Null) => None,
        Some(Json::Object(l)) => {
            unknown_keys(
                l,
                "listing.",
                &["listed_on", "removed_on", "reason"],
                &mut errors,
            );
            let listed_on = match l.get("listed_on") {
                None | Some(Json::Null) => {
                    errors.push(ProfileError::MissingField {
                        field: "listing.listed_on".into(),
                    });
                    None
                }
                Some(v) => date("listing.listed_on", v, &mut errors),
            };
            let removed_on = match l.get("removed_on") {
                None | Some(Json::Null) => None,
                Some(v) => date("listing.removed_on", v, &mut errors),
            };
            let reason = opt_text("listing.reason", l.get("reason"), &mut errors);
            if let (Some(a), Some(b)) = (listed_on, removed_on) {
                if b < a {
                    errors.push(ProfileError::DateOrder {
                        earlier: "listing.listed_on".into(),
                        later: "listing.removed_on".into(),
                    });
                }
            }
            if let Some(a) = as_of {
                for (field, d) in [
                    ("listing.listed_on", listed_on),
                    ("listing.removed_on", removed_on),
                ] {
                    if let Some(d) = d.filter(|d| *d > a) {
                        errors.push(ProfileError::AfterAsOf {
                            field: field.into(),
                            date: d,
                        });
                    }
                }
            }
            listed_on.map(|listed_on| Listing {
                listed_on,
                removed_on,
                reason,
            })
        }
        Some(v) => {
            errors.push(ProfileError::WrongType {
                field: "listing".into(),
                expected: "对象（listed_on, removed_on）".into(),
                found: describe(v),
            });
            None
        }
    };
    let mut list = None;
    if let Some(a) = as_of {
        match rs.snapshot_at(a) {
            None => errors.push(ProfileError::NotInForce { date: a }),
            Some(s) => {
                let names: Vec<&str> = s.positive_lists.iter().map(|l| l.name.as_str()).collect();
                match (&wanted_list, names.as_slice()) {
                    (_, []) => errors.push(ProfileError::NoList { date: a }),
                    (Some(w), _) if names.contains(&w.as_str()) => list = Some(w.clone()),
                    (Some(w), _) => errors.push(ProfileError::UnknownList {
                        name: w.clone(),
                        allowed: names.join("、"),
                        suggestion: suggest(w, names.iter().copied()),
                    }),
                    (None, [one]) => list = Some((*one).to_string()),
                    (None, _) => errors.push(ProfileError::AmbiguousList {
                        allowed: names.join("、"),
                    }),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (as_of, list) {
        (Some(as_of), Some(list)) => Ok(Profile {
            as_of,
            list,
            enterprise,
            facts,
            history,
            listing,
        }),
        _ => Err(vec![ProfileError::MissingField {
            field: "as_of".into(),
        }]),
    }
}
