//! `cailiang catalogue PATH [--format json]`

use std::path::PathBuf;

/// List every violation with its basis, shape and facts.
pub fn run(paths: &[PathBuf], ruleset: Option<&str>, json: bool) -> u8 {
    let rs = match crate::eval::compile(paths, ruleset) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let cat = rs.catalogue();
    if json {
        outln!("{}", serde_json::to_string_pretty(&cat).unwrap_or_default());
        return 0;
    }
    for e in cat {
        outln!("{} {}", e.code, e.name);
        outln!("  依据：{}", e.basis.join("、"));
        outln!("  罚款：{}（{}，裁量：{}）", e.range, e.shape, e.discretion);
        for f in e.facts {
            let values = f
                .values
                .map(|v| format!("｛{}｝", v.join("，")))
                .unwrap_or_default();
            let req = if f.required { "（必填）" } else { "" };
            outln!(
                "  事实 {}：{}{}{} {}",
                f.name,
                f.ty,
                values,
                req,
                f.label.unwrap_or_default()
            );
        }
    }
    0
}
