//! The one place YAML is read (serde_yaml is archived upstream; swapping it touches only
//! this file). YAML is turned into the same JSON value tree the JSON path uses.

/// Deepest flow nesting (`[`, `{`) accepted. A case is a flat record; libyaml takes time
/// quadratic in the nesting depth (30,000 levels ≈ 6 s), so deep nesting is refused before
/// parsing.
pub const MAX_YAML_NESTING: usize = 64;

/// Parse YAML text into a JSON value. Numbers keep the text YAML gives them; dates such as
/// `2024-03-01` arrive as strings.
pub fn to_json(text: &str) -> Result<serde_json::Value, (String, usize, usize)> {
    if let Some((line, col)) = too_deep(text) {
        return Err((format!("YAML 嵌套超过 {MAX_YAML_NESTING} 层"), line, col));
    }
    serde_yaml::from_str::<serde_json::Value>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        (e.to_string(), line, col)
    })
}

/// Where flow brackets first nest deeper than the limit (1-based line and column), skipping
/// quoted text and comments.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (ln, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, ch) in line.chars().enumerate() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '#') if prev.is_whitespace() => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_YAML_NESTING {
                        return Some((ln + 1, col + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = ch;
        }
    }
    None
}
