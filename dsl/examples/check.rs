//! Development aid: check .rules files or folders and print diagnostics (the CLI's
//! `cailiang check` is the real tool).
fn main() {
    let mut sources = Vec::new();
    for arg in std::env::args().skip(1) {
        let p = std::path::Path::new(&arg);
        let mut paths = Vec::new();
        if p.is_dir() {
            let mut stack = vec![p.to_path_buf()];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let q = e.path();
                    if q.is_dir() {
                        stack.push(q);
                    } else if q.extension().map(|x| x == "rules").unwrap_or(false) {
                        paths.push(q);
                    }
                }
            }
        } else {
            paths.push(p.to_path_buf());
        }
        paths.sort();
        for q in paths {
            let text = std::fs::read_to_string(&q).unwrap_or_default();
            sources.push((q.display().to_string(), text));
        }
    }
    let names: Vec<_> = sources
        .iter()
        .map(|(n, t)| cailiang_dsl::SourceFile::new(n.clone(), t.clone()))
        .collect();
    let out = cailiang_dsl::load(sources);
    print!(
        "{}",
        cailiang_dsl::diagnostic::render_plain(&out.diagnostics, &names)
    );
    println!(
        "{}",
        if out.program.is_some() {
            "OK"
        } else {
            "FAILED"
        }
    );
}
