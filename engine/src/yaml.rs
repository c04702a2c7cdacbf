//! The one place YAML is read (serde_yaml is archived upstream; swapping it touches only
//! this file). YAML is turned into the same JSON value tree the JSON path uses.

/// Parse YAML text into a JSON value. Numbers keep the text YAML gives them; dates such as
/// `2024-03-01` arrive as strings.
pub fn to_json(text: &str) -> Result<serde_json::Value, (String, usize, usize)> {
    serde_yaml::from_str::<serde_json::Value>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        (e.to_string(), line, col)
    })
}
