//! Reading rule files: folders are walked for `.rules` (skipping `invalid/`), and a parent
//! named by `继承` that was not given is looked up in sibling folders.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Collect `.rules` files under a path (a file, or a folder walked recursively).
pub fn rules_files(path: &Path, skip_invalid: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(out);
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                if skip_invalid && p.file_name().map(|n| n == "invalid").unwrap_or(false) {
                    continue;
                }
                stack.push(p);
            } else if p.extension().map(|x| x == "rules").unwrap_or(false) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The word after a header keyword (`规则集 名称`, `继承 名称`) in a file's text.
fn header_word(text: &str, keyword: &str) -> Option<String> {
    for line in text.lines() {
        let l = line.trim_start();
        if let Some(rest) = l.strip_prefix(keyword) {
            if rest.starts_with([' ', '\t', '\u{3000}']) {
                return rest.split_whitespace().next().map(|s| s.to_string());
            }
        }
        if l.starts_with("违法行为") || l.starts_with("事实") {
            break;
        }
    }
    None
}

/// A loaded set of rule sources plus the ruleset names the user asked for.
pub struct Loaded {
    /// (display name, text)
    pub sources: Vec<(String, String)>,
    /// Ruleset names declared in the paths given (not the parents found elsewhere).
    pub given: Vec<String>,
}

/// Load the given paths, then add parents from sibling folders until `继承` is satisfied.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, String> {
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    for p in paths {
        if !p.exists() {
            return Err(format!("路径不存在：{}", p.display()));
        }
        files.extend(rules_files(p, true).map_err(|e| format!("读取 {} 失败：{e}", p.display()))?);
    }
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut given = Vec::new();
    for f in &files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("读取 {} 失败：{e}", f.display()))?;
        if let Some(n) = header_word(&text, "规则集") {
            if !given.contains(&n) {
                given.push(n);
            }
        }
        sources.push((f.display().to_string(), text));
    }
    // Parents in sibling folders.
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in paths {
        let dir = if p.is_file() {
            p.parent().and_then(|d| d.parent())
        } else {
            p.parent()
        };
        if let Some(d) = dir {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            roots.push(d.to_path_buf());
        }
    }
    for _ in 0..8 {
        let declared: Vec<String> = sources
            .iter()
            .filter_map(|(_, t)| header_word(t, "规则集"))
            .collect();
        let wanted: Vec<String> = sources
            .iter()
            .filter_map(|(_, t)| header_word(t, "继承"))
            .filter(|p| !declared.contains(p))
            .collect();
        if wanted.is_empty() {
            break;
        }
        let mut added = false;
        for r in &roots {
            for f in rules_files(r, true).unwrap_or_default() {
                if files.contains(&f) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&f) else {
                    continue;
                };
                if header_word(&text, "规则集")
                    .map(|n| wanted.contains(&n))
                    .unwrap_or(false)
                {
                    files.insert(f.clone());
                    sources.push((f.display().to_string(), text));
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
    }
    Ok(Loaded { sources, given })
}

/// The ruleset to apply: the one asked for, else the single given one no other given extends.
pub fn leaf(loaded: &Loaded, asked: Option<&str>) -> Option<String> {
    if let Some(a) = asked {
        return Some(a.to_string());
    }
    let parents: Vec<String> = loaded
        .sources
        .iter()
        .filter_map(|(_, t)| header_word(t, "继承"))
        .collect();
    let leaves: Vec<&String> = loaded
        .given
        .iter()
        .filter(|n| !parents.contains(n))
        .collect();
    match leaves.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}
