//! Source positions: byte ranges for slicing, line:column in characters for people.

/// Which file of a program a span points into (an index into the program's file list).
pub type FileId = u32;

/// A byte range in one source file. Spans never take part in equality, so two trees that
/// differ only in layout compare equal.
#[derive(Debug, Clone, Copy, Default, Eq, PartialOrd, Ord)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// Consistent with `PartialEq`: every span hashes alike, so nodes that differ only in layout
/// (an [`crate::ast::Ident`] written in two places) hash alike too.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl Span {
    /// A span from byte offsets.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Byte range, for slicing the source.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Compare by real position (the derived `PartialEq` ignores position on purpose).
    pub fn key(&self) -> (FileId, u32, u32) {
        (self.file, self.start, self.end)
    }
}

/// A named source text with a line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path or name shown in diagnostics.
    pub name: String,
    /// The text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Index a source text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column of a byte offset; columns count characters, so a CJK line
    /// points at the right character.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let offset = offset.min(self.text.len());
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line, col + 1)
    }

    /// 1-based line of a byte offset (the line half of [`SourceFile::line_col`], without
    /// counting characters: explanations cite `file:line` on every step).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        line + 1
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}
