//! The one placeholder syntax of rule patterns: `{NAME}` (a macro or word
//! list) and `{list:group}` (a word list captured as `group`). Regex
//! repetitions (`{2}`, `{1,3}`), Unicode classes (`\p{L}`) and escaped
//! braces are not placeholders.

/// What a placeholder stands for.
pub enum Expansion {
    /// Pattern text that may itself hold placeholders.
    Pattern(String),
    /// Finished regex text, inserted as it is.
    Literal(String),
}

/// How deeply placeholders may nest before a cycle is assumed.
const MAX_DEPTH: usize = 16;

/// `pattern` with every placeholder replaced by what `resolve` gives for
/// its name; an unknown name or a cycle is an error.
pub fn expand(
    pattern: &str,
    resolve: &mut dyn FnMut(&str) -> Option<Expansion>,
) -> Result<String, String> {
    expand_at(pattern, resolve, 0)
}

fn expand_at(
    pattern: &str,
    resolve: &mut dyn FnMut(&str) -> Option<Expansion>,
    depth: usize,
) -> Result<String, String> {
    if depth > MAX_DEPTH {
        return Err("placeholders nest too deeply (a cycle?)".to_string());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = placeholder_name(&out, after);
        let Some(name) = name else {
            out.push('{');
            rest = after;
            continue;
        };
        match resolve(name) {
            Some(Expansion::Pattern(body)) => out.push_str(&expand_at(&body, resolve, depth + 1)?),
            Some(Expansion::Literal(text)) => out.push_str(&text),
            None => return Err(format!("unknown placeholder {{{name}}}")),
        }
        rest = &after[name.len() + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The name of the placeholder opening just after `before`, if the brace
/// opens one: a name of letters, digits, `_` and `:`, not starting with a
/// digit, closed by `}`, not after `\p`, `\P` or a backslash.
fn placeholder_name<'a>(before: &str, after: &'a str) -> Option<&'a str> {
    if before.ends_with("\\p") || before.ends_with("\\P") || escaped(before) {
        return None;
    }
    let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))?;
    let name = &after[..len];
    let starts_ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (starts_ok && after[len..].starts_with('}')).then_some(name)
}

/// Whether the next character after `before` is escaped by a backslash.
fn escaped(before: &str) -> bool {
    before.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn macros(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn run(pattern: &str, m: &BTreeMap<String, String>) -> Result<String, String> {
        expand(pattern, &mut |name| {
            m.get(name).map(|b| Expansion::Pattern(format!("(?:{b})")))
        })
    }

    #[test]
    fn placeholders_expand_and_cycles_and_unknown_names_fail() {
        let m = macros(&[("A", "a{B}"), ("B", "b")]);
        assert_eq!(run("x{A}{2,3}", &m).unwrap(), "x(?:a(?:b)){2,3}");
        assert_eq!(run(r"\p{L}\{A}", &m).unwrap(), r"\p{L}\{A}");
        assert!(run("{A}", &macros(&[("A", "{B}"), ("B", "{A}")])).is_err());
        assert!(run("{ZZ}", &m).is_err());
    }

    #[test]
    fn literals_are_not_expanded_again() {
        let out = expand("{w:g}", &mut |name| {
            (name == "w:g").then(|| Expansion::Literal("(?P<g>{x})".into()))
        });
        assert_eq!(out.unwrap(), "(?P<g>{x})");
    }
}
