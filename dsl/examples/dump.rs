//! Print the AST of a file (development aid).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    match cailiang_dsl::parse(0, &src) {
        Ok(f) => println!("{f:#?}"),
        Err(e) => {
            let files = vec![cailiang_dsl::SourceFile::new(path, src)];
            print!(
                "{}",
                cailiang_dsl::diagnostic::render_plain(&[e.to_diagnostic()], &files)
            );
        }
    }
}
