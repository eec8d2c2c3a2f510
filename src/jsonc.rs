//! The JSON that DocFX's own reader (Json.NET) accepts and strict JSON does not: `//` and `/* … */` comments and a
//! trailing comma before `]` or `}`. Real `docfx.json` and `.openpublishing.redirection.json` files carry both
//! (a commented-out mapping, the comma left after the last redirect), and DocFX builds them, so quire reads them too.
//!
//! [`to_strict`] blanks those out with spaces, one space per character and every line break kept, so a diagnostic
//! placed in the strict text (by line and column, in bytes or characters) points at the same place in the file.

/// `text` with comments and trailing commas replaced by spaces (see the module docs); `text` itself, borrowed, when
/// it has neither, as nearly every file is.
pub fn to_strict(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('/') && !text.contains(',') {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let mut changed = false;
    let mut i = 0;
    // The last comma outside strings, still waiting to see whether a value follows it.
    let mut comma: Option<usize> = None;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                comma = None;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    // An escape's next character is never the closing quote.
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' && chars[i] != '\r' {
                    out[i] = ' ';
                    i += 1;
                }
                changed = true;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let start = i;
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                // An unclosed comment runs to the end, as Json.NET reports it: blanked, the strict reader then
                // reports the unexpected end of the file.
                let end = (i + 2).min(chars.len());
                for c in &mut out[start..end] {
                    if *c != '\n' && *c != '\r' {
                        *c = ' ';
                    }
                }
                changed = true;
                i = end;
            }
            ',' => {
                comma = Some(i);
                i += 1;
            }
            ']' | '}' => {
                if let Some(c) = comma.take() {
                    out[c] = ' ';
                    changed = true;
                }
                i += 1;
            }
            c => {
                if !c.is_whitespace() {
                    comma = None;
                }
                i += 1;
            }
        }
    }
    if changed {
        std::borrow::Cow::Owned(out.into_iter().collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::to_strict;

    #[test]
    fn comments_and_trailing_commas_become_spaces_in_place() {
        let text = "{\n  // a note\n  \"a\": [1, 2,], /* x\n y */ \"b\": {\"c\": \"//,]\",},\n}\n";
        let strict = to_strict(text);
        assert_eq!(
            strict,
            "{\n           \n  \"a\": [1, 2 ],     \n      \"b\": {\"c\": \"//,]\" } \n}\n"
        );
        assert_eq!(strict.chars().count(), text.chars().count());
        let v: serde_json::Value = serde_json::from_str(&strict).unwrap();
        assert_eq!(v["b"]["c"], "//,]");
    }

    #[test]
    fn strict_json_and_escaped_quotes_are_left_alone() {
        let text = "{\"a\": \"say \\\"hi\\\", // not a comment\", \"b\": [1, 2]}";
        assert!(matches!(to_strict(text), std::borrow::Cow::Borrowed(_)));
        // A comma before a value is kept, so a missing value is still an error.
        assert!(serde_json::from_str::<serde_json::Value>(&to_strict("[1,,]")).is_err());
    }
}
