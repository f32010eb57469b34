//! Small text helpers shared by the readers and the validator.

/// Drops a UTF-8 byte-order mark, which Excel writes at the start of "CSV UTF-8" files.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The 1-based line on which byte `offset` of `text` lies.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&byte| byte == b'\n').count() + 1
}

/// The stem as compared for duplicates: full-width ASCII folded to half-width, whitespace
/// dropped and letters lower-cased, so `（ ）` and `(  )` blanks compare equal.
pub fn normalise_stem(stem: &str) -> String {
    stem.chars().map(fold_full_width).filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Length in characters, the unit the limits are stated in (a Chinese character counts one).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}
