//! Shared helpers of the fuzz targets: the shipped rulesets, read once from `../rulesets`.

use cailiang_engine::{catalogue::Entry, Ruleset};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("rulesets")
}

/// The `.rules` files directly in the given folders of `rulesets/`, sorted by path.
pub fn sources(dirs: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(d))
            .unwrap_or_else(|e| panic!("rulesets/{d}: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rules"))
            .collect();
        paths.sort();
        for p in paths {
            let t = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((
                format!("{d}/{}", p.file_name().unwrap().to_string_lossy()),
                t,
            ));
        }
    }
    out
}

/// The national rules (全国通则 ← 全国生态环境法律), read once.
pub fn national() -> &'static [(String, String)] {
    static N: OnceLock<Vec<(String, String)>> = OnceLock::new();
    N.get_or_init(|| sources(&["national"]))
}

/// The national rules parsed once (file ids 0..n in order), for checking another file after
/// them without parsing them again.
pub fn national_parsed() -> &'static (Vec<cailiang_dsl::SourceFile>, Vec<cailiang_dsl::ast::File>) {
    static N: OnceLock<(Vec<cailiang_dsl::SourceFile>, Vec<cailiang_dsl::ast::File>)> =
        OnceLock::new();
    N.get_or_init(|| {
        let mut files = Vec::new();
        let mut asts = Vec::new();
        for (i, (name, text)) in national().iter().enumerate() {
            let ast = cailiang_dsl::parse(i as cailiang_dsl::FileId, text)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            files.push(cailiang_dsl::SourceFile::new(name.clone(), text.clone()));
            asts.push(ast);
        }
        (files, asts)
    })
}

/// The 全国通则 file alone (行政处罚法-总则.rules: one small ruleset every other extends).
pub fn general() -> &'static (String, String) {
    static G: OnceLock<(String, String)> = OnceLock::new();
    G.get_or_init(|| {
        national()
            .iter()
            .find(|(n, _)| n.ends_with("行政处罚法-总则.rules"))
            .cloned()
            .unwrap_or_else(|| panic!("national/行政处罚法-总则.rules is missing"))
    })
}

/// Compile shipped folders with the given leaf (or the single leaf).
pub fn compile(dirs: &[&str], leaf: Option<&str>) -> Ruleset {
    let out = cailiang_dsl::load(sources(dirs));
    let p = out
        .program
        .unwrap_or_else(|| panic!("{dirs:?} does not check: {:?}", out.diagnostics.first()));
    Ruleset::compile(&p, leaf).unwrap_or_else(|e| panic!("{dirs:?}: {e}"))
}

/// The compiled Guangdong ruleset.
pub fn guangdong() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        compile(
            &["national", "guangdong"],
            Some("广东省生态环境行政处罚裁量基准"),
        )
    })
}

/// A shipped ruleset with its catalogue.
pub struct Shipped {
    /// Folder(s) it was read from, for messages.
    pub name: &'static str,
    /// The ruleset.
    pub rs: Ruleset,
    /// Its catalogue.
    pub catalogue: Vec<Entry>,
}

/// Every shipped ruleset that has violations, compiled once.
pub fn shipped() -> &'static [Shipped] {
    static ALL: OnceLock<Vec<Shipped>> = OnceLock::new();
    ALL.get_or_init(|| {
        let list: [(&'static str, &[&str], Option<&str>); 6] = [
            ("national", &["national"], Some("全国生态环境法律")),
            (
                "guangdong",
                &["national", "guangdong"],
                Some("广东省生态环境行政处罚裁量基准"),
            ),
            (
                "jiangmen-标准",
                &["national", "guangdong", "jiangmen"],
                Some("江门市生态环境行政处罚自由裁量权裁量标准"),
            ),
            (
                "jiangmen-清单",
                &["national", "guangdong", "jiangmen"],
                Some("江门市生态环境不予行政处罚清单"),
            ),
            (
                "hunan",
                &["national", "hunan"],
                Some("湖南省生态环境保护行政处罚裁量权基准"),
            ),
            (
                "neimenggu",
                &["national", "neimenggu"],
                Some("内蒙古生态环境轻微违法免罚清单"),
            ),
        ];
        list.into_iter()
            .map(|(name, dirs, leaf)| {
                let rs = compile(dirs, leaf);
                let catalogue = rs.catalogue();
                Shipped {
                    name,
                    rs,
                    catalogue,
                }
            })
            .filter(|s| !s.catalogue.is_empty())
            .collect()
    })
}
