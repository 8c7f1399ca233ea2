//! The report page: records → one self-contained HTML file to read them by.
//!
//! Takes finished [`Record`]s in input order; gives one HTML page with no
//! network assets (inline CSS and script): each article's text with
//! entities, dates, list names and quotes highlighted by type, speakers
//! linked to their entities, the article's events with their evidence
//! highlighted on hover, and the cross-article timeline. Articles are
//! shown [`PAGE_SIZE`] to a page; without script every article shows.
//! Articles are rendered as they arrive, so memory holds the page being
//! built, not the records.

use crate::output::{Timeline, TimelineEntry};
use crate::record::{Record, Span};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Articles per page.
pub const PAGE_SIZE: usize = 20;

/// Accumulates rendered articles and the timeline.
#[derive(Default)]
pub struct Report {
    articles: String,
    count: usize,
    anchors: HashMap<String, usize>,
    timeline: Timeline,
}

/// Highlight layers, outermost first: nested markup opens them in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Evidence,
    Quote,
    Speaker,
    Mark,
}

/// One highlight: a span of the text with the markup that shows it.
struct Highlight {
    span: Span,
    layer: Layer,
    open: String,
    close: &'static str,
}

impl Report {
    /// Renders one record's article and adds its events to the timeline.
    pub fn add(&mut self, record: &Record) {
        let n = self.count;
        self.count += 1;
        self.anchors.entry(record.id.clone()).or_insert(n);
        self.timeline.add(record);
        render_article(&mut self.articles, n, record);
    }

    /// Writes the page.
    pub fn write<W: Write + ?Sized>(self, out: &mut W, title: &str) -> io::Result<()> {
        let pages = self.count.div_ceil(PAGE_SIZE).max(1);
        let entries = self.timeline.finish();
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\">\
             <title>{title}</title><style>{STYLE}</style></head>\n<body>\n\
             <header><h1>{title}</h1><p class=\"counts\">{} articles, {} timeline events</p>\
             <p class=\"legend\"><mark class=\"ent PERSON\">person</mark> <mark class=\"ent ORG\">organisation</mark> \
             <mark class=\"ent GPE\">place</mark> <mark class=\"ent NORP\">group</mark> <mark class=\"ent MISC\">other</mark> \
             <mark class=\"date\">date</mark> <mark class=\"list\">named list</mark> \
             <span class=\"quote\">quote</span> <a class=\"speaker\">speaker</a></p></header>\n",
            self.count,
            entries.len(),
            title = escape(title),
        )?;
        out.write_all(render_timeline(&entries, &self.anchors).as_bytes())?;
        writeln!(out, "<nav class=\"pager\" data-pages=\"{pages}\"></nav>")?;
        writeln!(out, "<main id=\"articles\">")?;
        out.write_all(self.articles.as_bytes())?;
        writeln!(
            out,
            "</main>\n<nav class=\"pager\" data-pages=\"{pages}\"></nav>"
        )?;
        writeln!(
            out,
            "<script>const PAGE_SIZE={PAGE_SIZE};{SCRIPT}</script>\n</body></html>"
        )
    }
}

fn render_timeline(entries: &[TimelineEntry], anchors: &HashMap<String, usize>) -> String {
    let mut html = String::from("<section id=\"timeline\"><h2>Timeline</h2><ol>\n");
    for entry in entries {
        let date = entry.date.as_deref().unwrap_or("");
        let _ = write!(
            html,
            "<li class=\"tl-entry\" data-date=\"{}\"><span class=\"tl-date\">{}</span> {}<span class=\"tl-sources\">",
            escape(date),
            escape(if date.is_empty() { "undated" } else { date }),
            escape(&entry.summary),
        );
        for source in &entry.sources {
            if let Some(n) = anchors.get(&source.doc) {
                let _ = write!(
                    html,
                    " <a href=\"#d{n}-{ev}\" title=\"{evidence}\">[{n_1}]</a>",
                    ev = escape(&source.event),
                    evidence = escape(&source.evidence),
                    n_1 = n + 1
                );
            }
        }
        html.push_str("</span></li>\n");
    }
    html.push_str("</ol></section>\n");
    html
}

fn render_article(html: &mut String, n: usize, record: &Record) {
    let page = n / PAGE_SIZE;
    let title = record.title.as_deref().unwrap_or(&record.id);
    let _ = write!(
        html,
        "<article id=\"d{n}\" data-page=\"{page}\"><h2><span class=\"num\">{}</span> {}</h2><p class=\"meta\">",
        n + 1,
        escape(title)
    );
    let _ = write!(html, "<code>{}</code>", escape(&record.id));
    if let Some(p) = &record.published {
        let _ = write!(html, " · published <time>{}</time>", escape(&p.value));
    }
    if let Some(url) = &record.source.url {
        let _ = write!(html, " · <span class=\"url\">{}</span>", escape(url));
    }
    for problem in &record.errors {
        let _ = write!(
            html,
            " · <span class=\"error\">{}</span>",
            escape(&problem.message)
        );
    }
    html.push_str("</p><div class=\"body\"><div class=\"text\">");
    html.push_str(&highlighted_text(n, record));
    html.push_str("</div><aside>");
    render_side(html, n, record);
    html.push_str("</aside></div></article>\n");
}

fn render_side(html: &mut String, n: usize, record: &Record) {
    if !record.events.is_empty() {
        html.push_str("<h3>Events</h3><ul class=\"events\">");
        for e in &record.events {
            let targets: Vec<&str> = e.target.iter().map(|t| t.text.as_str()).collect();
            let _ = write!(
                html,
                "<li class=\"event\" id=\"d{n}-{id}\" data-ev=\"d{n}-{id}\"><b>{kind}</b> {actor}{arrow}{targets}{list}{date}</li>",
                id = escape(&e.id),
                kind = escape(&e.kind),
                actor = escape(e.actor.as_ref().map_or("", |a| a.text.as_str())),
                arrow = if e.actor.is_some() { " → " } else { "" },
                targets = escape(&targets.join(", ")),
                list = e.list.as_ref().map_or(String::new(), |l| format!(" [{}]", escape(l))),
                date = e.date.as_ref().map_or(String::new(), |d| format!(" <time>{}</time>", escape(&d.value))),
            );
        }
        html.push_str("</ul>");
    }
    if !record.entities.is_empty() {
        html.push_str("<h3>Entities</h3><ul class=\"entities\">");
        for e in &record.entities {
            let _ = write!(
                html,
                "<li id=\"d{n}-{id}\"><mark class=\"ent {kind}\">{name}</mark> <small>{kind} ×{count}</small></li>",
                id = escape(&e.id),
                kind = e.kind.name(),
                name = escape(&e.name),
                count = e.mentions.len()
            );
        }
        html.push_str("</ul>");
    }
}

/// The record's text as HTML with every highlight, properly nested: where
/// two highlights cross, the inner one is split in two.
fn highlighted_text(n: usize, record: &Record) -> String {
    let text = &record.text;
    let mut highlights: Vec<Highlight> = collect_highlights(n, record)
        .into_iter()
        .filter(|h| {
            h.span.start < h.span.end
                && h.span.end <= text.len()
                && text.is_char_boundary(h.span.start)
                && text.is_char_boundary(h.span.end)
        })
        .collect();
    highlights.sort_by_key(|h| (h.layer, h.span.start, std::cmp::Reverse(h.span.end)));
    let mut bounds: Vec<usize> = highlights
        .iter()
        .flat_map(|h| [h.span.start, h.span.end])
        .chain([0, text.len()])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    // Indices in `highlights` order are nesting order, so the active set
    // kept sorted by index is the stack of elements to have open.
    let mut by_start: Vec<usize> = (0..highlights.len()).collect();
    by_start.sort_by_key(|&i| highlights[i].span.start);
    let mut by_end = by_start.clone();
    by_end.sort_by_key(|&i| highlights[i].span.end);
    let (mut starts, mut ends) = (by_start.iter().peekable(), by_end.iter().peekable());
    let mut active_set = std::collections::BTreeSet::new();
    let mut html = String::with_capacity(text.len() * 2);
    let mut open: Vec<usize> = Vec::new();
    for pair in bounds.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        while let Some(&&i) = ends.peek().filter(|&&&i| highlights[i].span.end <= from) {
            active_set.remove(&i);
            ends.next();
        }
        while let Some(&&i) = starts
            .peek()
            .filter(|&&&i| highlights[i].span.start <= from)
        {
            active_set.insert(i);
            starts.next();
        }
        let active: Vec<usize> = active_set.iter().copied().collect();
        let keep = open.iter().zip(&active).take_while(|(a, b)| a == b).count();
        for &i in open[keep..].iter().rev() {
            html.push_str(highlights[i].close);
        }
        open.truncate(keep);
        for &i in &active[keep..] {
            html.push_str(&highlights[i].open);
            open.push(i);
        }
        html.push_str(&escape(&text[from..to]));
    }
    for &i in open.iter().rev() {
        html.push_str(highlights[i].close);
    }
    html
}

fn collect_highlights(n: usize, record: &Record) -> Vec<Highlight> {
    let mut out = Vec::new();
    for e in &record.events {
        out.push(Highlight {
            span: e.evidence.span,
            layer: Layer::Evidence,
            open: format!("<span class=\"ev\" data-ev=\"d{n}-{}\">", escape(&e.id)),
            close: "</span>",
        });
    }
    for q in &record.quotes {
        let speaker = q.speaker.as_ref().map_or("unattributed".to_string(), |s| {
            entity_name(record, s.entity.as_deref())
                .unwrap_or(&s.text)
                .to_string()
        });
        out.push(Highlight {
            span: q.span,
            layer: Layer::Quote,
            open: format!(
                "<span class=\"quote {:?}\" title=\"{} quote, speaker: {}\">",
                q.kind,
                escape(&format!("{:?}", q.kind).to_lowercase()),
                escape(&speaker)
            ),
            close: "</span>",
        });
        if let Some(s) = &q.speaker {
            let href = s.entity.as_ref().map_or(String::new(), |id| {
                format!(" href=\"#d{n}-{}\"", escape(id))
            });
            out.push(Highlight {
                span: s.span,
                layer: Layer::Speaker,
                open: format!("<a class=\"speaker\"{href}>"),
                close: "</a>",
            });
        }
    }
    for e in &record.entities {
        for m in &e.mentions {
            out.push(Highlight {
                span: m.span,
                layer: Layer::Mark,
                open: format!(
                    "<mark class=\"ent {kind}\" data-entity=\"d{n}-{id}\" title=\"{kind}: {name}\">",
                    kind = e.kind.name(),
                    id = escape(&e.id),
                    name = escape(&e.name)
                ),
                close: "</mark>",
            });
        }
    }
    for d in &record.dates {
        out.push(Highlight {
            span: d.span,
            layer: Layer::Mark,
            open: format!(
                "<mark class=\"date\" data-value=\"{v}\" title=\"{t} {v}\">",
                t = d.kind.name(),
                v = escape(&d.value)
            ),
            close: "</mark>",
        });
    }
    for l in &record.lists {
        for m in &l.mentions {
            out.push(Highlight {
                span: m.span,
                layer: Layer::Mark,
                open: format!(
                    "<mark class=\"list\" data-list=\"{id}\" title=\"{name}\">",
                    id = escape(&l.id),
                    name = escape(&l.name)
                ),
                close: "</mark>",
            });
        }
    }
    out
}

fn entity_name<'r>(record: &'r Record, id: Option<&str>) -> Option<&'r str> {
    let id = id?;
    record
        .entities
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.name.as_str())
}

/// HTML-escapes text for element content and quoted attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 1em;color:#222}
header h1{margin:.5em 0 0}.counts{color:#666;margin:0}.legend mark,.legend span,.legend a{margin-right:.3em}
#timeline ol{padding-left:2.5em;max-height:16em;overflow:auto;border:1px solid #ddd;border-radius:4px}
.tl-date{font-weight:600;font-variant-numeric:tabular-nums;margin-right:.4em}.tl-sources a{font-size:.85em}
article{border-top:2px solid #ccc;padding:.5em 0}article h2{font-size:1.2em;margin:.3em 0}
.num{color:#888}.meta{color:#666;font-size:.85em;margin:0 0 .5em}.error{color:#b00020}
.body{display:flex;gap:1.5em}.text{flex:3;white-space:pre-wrap}aside{flex:1;font-size:.9em}
aside ul{padding-left:1.1em}li.event{cursor:pointer;margin-bottom:.3em}li.event:hover{background:#fff3b0}
mark{border-radius:3px;padding:0 1px;color:inherit}
mark.ent.PERSON{background:#ffd6d6}mark.ent.ORG{background:#cfe3ff}mark.ent.GPE,mark.ent.LOC{background:#d4f5d4}
mark.ent.NORP{background:#f0dcff}mark.ent.LAW,mark.ent.MISC{background:#e6e6e6}
mark.date{background:#ffe7b8}mark.list{background:#b8f0ec;font-weight:600}
.quote{font-style:italic;border-bottom:2px dotted #7a5cff}.speaker{color:#5a32d6;font-weight:600;text-decoration:underline}
.ev.hl{background:#fff176;outline:2px solid #f9a825}
.pager button{margin:.2em;min-width:2.5em}.pager button[aria-current]{font-weight:700;background:#333;color:#fff}
"#;

const SCRIPT: &str = r#"
(function(){
const arts=[...document.querySelectorAll('article')];
const pages=Math.max(1,Math.ceil(arts.length/PAGE_SIZE));
function show(p){
  arts.forEach(a=>a.hidden=(+a.dataset.page!==p));
  document.querySelectorAll('.pager').forEach(nav=>{
    nav.querySelectorAll('button').forEach(b=>{
      if(+b.dataset.page===p)b.setAttribute('aria-current','page');else b.removeAttribute('aria-current');});
  });
}
document.querySelectorAll('.pager').forEach(nav=>{
  if(pages<2)return;
  for(let p=0;p<pages;p++){const b=document.createElement('button');b.textContent=p+1;b.dataset.page=p;
    b.onclick=()=>show(p);nav.appendChild(b);}
});
function follow(){
  const t=location.hash&&document.getElementById(location.hash.slice(1));
  const a=t&&t.closest('article');
  show(a?+a.dataset.page:0);
  if(t)t.scrollIntoView();
}
window.addEventListener('hashchange',follow);
follow();
document.querySelectorAll('li.event').forEach(li=>{
  const marks=()=>document.querySelectorAll('.ev[data-ev="'+li.dataset.ev+'"]');
  li.addEventListener('mouseenter',()=>marks().forEach(m=>m.classList.add('hl')));
  li.addEventListener('mouseleave',()=>marks().forEach(m=>m.classList.remove('hl')));
});
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_highlights_nest_properly_and_text_is_escaped() {
        let mut record: Record = serde_json::from_str(
            &std::fs::read_to_string("fixtures/101_huawei_entity_list_2019.json").unwrap(),
        )
        .unwrap();
        record.text.push_str(" <b>&</b>");
        let html = highlighted_text(0, &record);
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        // Every opened element closes, in order.
        let mut stack = Vec::new();
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                .collect();
            if let Some(closing) = name.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(closing), "{html}");
            } else {
                stack.push(name);
            }
        }
        assert!(stack.is_empty());
        // The visible text is the record's text.
        let visible: String = html
            .split('<')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('>').map_or("", |p| p.1)
                }
            })
            .collect();
        assert_eq!(
            visible
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
            record.text
        );
    }
}
