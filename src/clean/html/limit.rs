//! Nesting cap: takes HTML source, gives it back with the tags nested
//! deeper than a limit removed (their text stays), or nothing when the
//! page is within the limit.
//!
//! The HTML parser's scope checks walk the stack of open elements, so a
//! page nested 100,000 elements deep costs quadratic time to parse; the
//! DOM passes after it are linear. Browsers cap tree depth the same way
//! (deeper elements become siblings). The scan is one linear pass that
//! counts start and end tags naively: void elements and elements whose end
//! tags are implied (`p`, `li`, `td`, ...) are not counted, comments and
//! raw-text elements (`script`, `style`, ...) are skipped whole.
//!
//! It does not build a tree or fix malformed markup.

use memchr::memchr;

/// Deepest nesting kept. Real pages stay far below it.
pub const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements whose end tag the parser implies: never nested by themselves.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The source with tags deeper than `max` removed, or `None` when no tag
/// is that deep.
pub fn cap_nesting(source: &str, max: usize) -> Option<String> {
    let bytes = source.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(off) = memchr(b'<', &bytes[pos..]) {
        let lt = pos + off;
        let Some(tag) = read_tag(bytes, lt) else {
            pos = lt + 1;
            continue;
        };
        pos = tag.end;
        let name = &bytes[tag.name.0..tag.name.1];
        let is = |set: &[&str]| set.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(name));
        if !tag.closing && is(RAW_TEXT) {
            pos = raw_text_end(bytes, tag.end, name);
            continue;
        }
        if tag.self_closing || is(VOID) || is(IMPLIED_END) {
            continue;
        }
        if !tag.closing {
            depth += 1;
        }
        if depth > max {
            let kept = out.get_or_insert_with(|| String::with_capacity(source.len()));
            kept.push_str(&source[copied..lt]);
            copied = tag.end;
        }
        if tag.closing {
            depth = depth.saturating_sub(1);
        }
    }
    let mut kept = out?;
    kept.push_str(&source[copied..]);
    Some(kept)
}

/// A start or end tag found at a `<`.
struct Tag {
    closing: bool,
    self_closing: bool,
    /// Byte range of the tag name.
    name: (usize, usize),
    /// Byte just after the tag's `>` (or the end of the source).
    end: usize,
}

/// The tag starting at `lt`; comments and declarations are returned as
/// nameless skips; `None` when `<` starts no tag (text such as `a < b`).
fn read_tag(bytes: &[u8], lt: usize) -> Option<Tag> {
    let rest = &bytes[lt..];
    if rest.starts_with(b"<!--") {
        let end = memchr::memmem::find(&rest[4..], b"-->").map_or(bytes.len(), |e| lt + 4 + e + 3);
        return Some(skip(end));
    }
    if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
        let end = memchr(b'>', rest).map_or(bytes.len(), |e| lt + e + 1);
        return Some(skip(end));
    }
    let closing = rest.get(1) == Some(&b'/');
    let start = lt + 1 + usize::from(closing);
    if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
        .count();
    let end = tag_end(bytes, start + len);
    let self_closing = end >= 2 && bytes[end - 1] == b'>' && bytes[end - 2] == b'/';
    Some(Tag {
        closing,
        self_closing,
        name: (start, start + len),
        end,
    })
}

/// A comment or declaration: no name, so it is neither counted nor cut.
fn skip(end: usize) -> Tag {
    Tag {
        closing: false,
        self_closing: true,
        name: (0, 0),
        end,
    }
}

/// The byte after the `>` closing a tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                    i = memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Where scanning resumes after a raw-text element's content: at its end
/// tag (`</script`, any case), or the end of the source.
fn raw_text_end(bytes: &[u8], mut pos: usize, name: &[u8]) -> usize {
    while let Some(off) = memchr(b'<', &bytes[pos..]) {
        let lt = pos + off;
        let after = &bytes[lt + 1..];
        let closes = after.first() == Some(&b'/')
            && after.len() > name.len()
            && after[1..=name.len()].eq_ignore_ascii_case(name);
        if closes {
            return lt;
        }
        pos = lt + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!(
            "<html><body>{}x{}</body></html>",
            "<div class=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        )
    }

    #[test]
    fn shallow_pages_are_left_alone() {
        assert_eq!(cap_nesting(&nested(10), 10), None);
        let page = "<p>a<p>b<ul><li>c<li>d</ul><br><img src=x><script>if (a<b) '<div>'</script>";
        assert_eq!(cap_nesting(page, 2), None);
    }

    #[test]
    fn deep_tags_are_cut_text_kept() {
        let capped = cap_nesting(&nested(5), 3).unwrap();
        let expected = format!(
            "<html><body>{}x{}</body></html>",
            "<div class=\"a>b\">".repeat(3),
            "</div>".repeat(3)
        );
        assert_eq!(capped, expected);
    }

    #[test]
    fn comments_and_raw_text_are_not_counted() {
        let page = "<!-- <div><div><div> --><style>div{}</style><SCRIPT>'<div><div><div>'</script>";
        assert_eq!(cap_nesting(page, 1), None);
    }

    #[test]
    fn unterminated_markup_ends_the_scan() {
        assert_eq!(cap_nesting("<div><div><div", 1).unwrap(), "<div>");
        assert_eq!(cap_nesting("<script>never closed <div><div>", 0), None);
        assert_eq!(cap_nesting("a < b and <3 <", 0), None);
    }
}
