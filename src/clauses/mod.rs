//! Clause analysis: sentences → tags, chunks, verb groups, clauses, roles.
//!
//! Takes the article text and its [`Segmented`] sentences (or, for
//! evaluation, one sentence's pre-tokenised spans); gives a [`Parsed`] with,
//! per sentence: Penn Treebank tags ([`tagger`]), noun phrases with their
//! head, possessor and apposition, prepositional phrases, verb groups with
//! tense, aspect, voice, negation and modal ([`chunk`]), one clause per verb
//! group with its kind (main, reported, relative, conditional, purpose,
//! adverbial, coordinate, non-finite) and the roles of each verb group
//! (subject, object, by-agent, to/from/on/against/over/with complements) as
//! byte spans with their noun-phrase head ([`roles`]).
//!
//! Everything is rules over tags and a few closed word classes; no
//! statistical model runs. It does not build a full parse tree: a clause
//! is the verb group, its opener and its roles, and a role's verb is the
//! verb group's main verb (or, for a copula, its predicate head, as in
//! Universal Dependencies). Segment tokens are re-split at English clitics
//! ("do|n't", "John|'s", "can|not") so tokens match Penn conventions.

pub mod chunk;
pub mod roles;
pub mod tagger;
pub mod words;

use crate::error::RuleError;
use crate::record::Span;
use crate::rules::RuleFiles;
use crate::segment::Segmented;
pub use chunk::{NounPhrase, PrepPhrase, Tense, VerbGroup, Voice};
pub use roles::{Clause, ClauseKind, Role, RoleKind};
use serde::Serialize;
use std::cell::RefCell;
use std::ops::Range;
pub use tagger::{Tag, Tagger};
pub use words::WordClasses;

/// The clause analysis of one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Every token of every sentence, in text order.
    pub tokens: Vec<Token>,
    /// One entry per sentence of the [`Segmented`] input, in the same order.
    pub sentences: Vec<ParsedSentence>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub tag: Tag,
}

/// One sentence's analysis. Token indices inside it (`usize` fields and
/// ranges of chunks, clauses and roles) count from the sentence's first
/// token: add `tokens.start` to index [`Parsed::tokens`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedSentence {
    pub tokens: Range<usize>,
    pub noun_phrases: Vec<NounPhrase>,
    pub prep_phrases: Vec<PrepPhrase>,
    pub verb_groups: Vec<VerbGroup>,
    pub clauses: Vec<Clause>,
    pub roles: Vec<Role>,
}

/// The compiled rules of the stage.
pub struct ClauseAnalyzer {
    tagger: Tagger,
}

/// Reusable buffers of the analysis: no per-token allocation, and, kept
/// per worker thread ([`SCRATCH`]), none per document once they have grown
/// to the longest sentence seen. Every buffer is cleared or reset before
/// use, so what a document left in them changes nothing.
#[derive(Default)]
struct Scratch {
    /// The sentence's token spans, clitics split.
    spans: Vec<Span>,
    tags: Vec<Tag>,
    tagger: tagger::TagScratch,
    in_np: Vec<bool>,
    roles: roles::RoleScratch,
    /// The sentence's chunks, clauses and roles as they are built; each
    /// is copied to the [`ParsedSentence`] at its exact size.
    noun_phrases: Vec<NounPhrase>,
    prep_phrases: Vec<PrepPhrase>,
    verb_groups: Vec<VerbGroup>,
    clauses: Vec<Clause>,
    role_list: Vec<Role>,
}

impl Scratch {
    fn reserve(&mut self, words: usize) {
        self.spans.reserve(words);
        self.tags.reserve(words);
        self.in_np.reserve(words);
        self.tagger.reserve(words);
    }
}

thread_local! {
    /// The analysis buffers of this thread, reused from one document to
    /// the next.
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

impl ClauseAnalyzer {
    /// The stage with the built-in rules.
    pub fn new() -> Result<Self, RuleError> {
        Self::with_rules(&RuleFiles::builtin())
    }

    /// The stage with the built-in rules and the user's (`clauses/*`).
    pub fn with_rules(rules: &RuleFiles) -> Result<Self, RuleError> {
        let classes = WordClasses::load(rules)?;
        let mut tagger = Tagger::new(rules)?;
        tagger.mark_words(&classes.marked_words());
        Ok(ClauseAnalyzer { tagger })
    }

    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    /// Runs the examples of the stage's rule files (the tagger's rules).
    pub fn run_examples(&self) -> crate::rules::ExampleReport {
        self.tagger.run_examples()
    }

    /// Analyses every sentence of `seg` (boilerplate ones too, so that
    /// sentence indices stay parallel).
    pub fn analyze(&self, text: &str, seg: &Segmented) -> Parsed {
        let mut parsed = Parsed {
            tokens: Vec::with_capacity(seg.tokens.len() + seg.tokens.len() / 8),
            sentences: Vec::with_capacity(seg.sentences.len()),
        };
        // A clitic split at most doubles a sentence's tokens.
        let longest = seg.sentences.iter().map(|s| s.tokens.len()).max();
        let room = 2 * longest.unwrap_or(0);
        let mut words = Vec::with_capacity(room);
        // Taken out rather than borrowed: a document that panics half-way
        // leaves no half-cleared buffers to the next one.
        let mut scratch = SCRATCH.take().unwrap_or_default();
        scratch.reserve(room);
        let mut spans = std::mem::take(&mut scratch.spans);
        for sentence in &seg.sentences {
            spans.clear();
            for token in seg.sentence_tokens(sentence) {
                split_clitics(text, token.span, &mut spans);
            }
            self.push_sentence(text, &spans, &mut words, &mut parsed, &mut scratch);
        }
        scratch.spans = spans;
        SCRATCH.set(Some(scratch));
        parsed
    }

    /// Analyses one pre-tokenised sentence (`spans` into `text`) and appends
    /// it to `parsed`.
    pub fn analyze_tokens(&self, text: &str, spans: &[Span], parsed: &mut Parsed) {
        let mut words = Vec::with_capacity(spans.len());
        let mut scratch = SCRATCH.take().unwrap_or_default();
        self.push_sentence(text, spans, &mut words, parsed, &mut scratch);
        SCRATCH.set(Some(scratch));
    }

    /// Analyses one sentence into `parsed`; `words` is a buffer for its
    /// word forms.
    fn push_sentence<'t>(
        &self,
        text: &'t str,
        spans: &[Span],
        words: &mut Vec<&'t str>,
        parsed: &mut Parsed,
        scratch: &mut Scratch,
    ) {
        words.clear();
        words.extend(spans.iter().map(|s| &text[s.start..s.end]));
        let words = &words[..];
        self.tagger
            .tag_with(words, &mut scratch.tags, &mut scratch.tagger);
        let first = parsed.tokens.len();
        parsed.tokens.extend(
            spans
                .iter()
                .zip(&scratch.tags)
                .map(|(&span, &tag)| Token { span, tag }),
        );
        let sentence = chunk::Sentence {
            words,
            tags: &scratch.tags,
            spans,
            marks: scratch.tagger.marks(),
        };
        let nps = &mut scratch.noun_phrases;
        chunk::noun_phrases(&sentence, &self.tagger, nps);
        let vgs = &mut scratch.verb_groups;
        chunk::verb_groups(&sentence, nps, &mut scratch.in_np, vgs);
        let pps = &mut scratch.prep_phrases;
        chunk::prep_phrases(&sentence, nps, vgs, pps);
        let chunks = roles::Chunks { nps, pps, vgs };
        let out = (&mut scratch.clauses, &mut scratch.role_list);
        roles::clauses_and_roles(&sentence, chunks, &mut scratch.roles, out);
        parsed.sentences.push(ParsedSentence {
            tokens: first..parsed.tokens.len(),
            noun_phrases: nps.clone(),
            prep_phrases: pps.clone(),
            verb_groups: vgs.clone(),
            clauses: scratch.clauses.clone(),
            roles: scratch.role_list.clone(),
        });
    }
}

/// Clitics split off a word token, as in the Penn Treebank.
const CLITICS: &[&str] = &[
    "n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'m", "’m", "'d", "’d",
];

/// Pushes `span`, split before a final clitic ("do|n't", "it|'s") and
/// "can|not".
fn split_clitics(text: &str, span: Span, out: &mut Vec<Span>) {
    let word = &text[span.start..span.end];
    // Every clitic has an apostrophe (' or the last byte of ’) among its
    // last four bytes: most words are passed on without trying them, and
    // a word without one splits only if it is "cannot".
    let cut = if has_apostrophe_byte_near_end(word.as_bytes()) {
        clitic_start(word)
    } else {
        (word.len() == 6 && word.eq_ignore_ascii_case("cannot")).then_some(3)
    };
    match cut {
        Some(cut) => {
            out.push(Span::new(span.start, span.start + cut));
            out.push(Span::new(span.start + cut, span.end));
        }
        None => out.push(span),
    }
}

/// Whether one of the last four bytes is `'` or 0x99 (the last byte of
/// `’`). Four bytes or more are tested at once, as one integer: a byte
/// equal to the one sought leaves a zero byte after an exclusive or, and
/// `(x - 0x01..) & !x & 0x80..` sets the high bit of a zero byte (its
/// lowest one exactly; any set bit is enough here).
fn has_apostrophe_byte_near_end(bytes: &[u8]) -> bool {
    const ONES: u32 = 0x0101_0101;
    const HIGH: u32 = 0x8080_8080;
    let has_zero_byte = |x: u32| x.wrapping_sub(ONES) & !x & HIGH != 0;
    match bytes.last_chunk::<4>() {
        Some(tail) => {
            let x = u32::from_le_bytes(*tail);
            has_zero_byte(x ^ (ONES * u32::from(b'\''))) || has_zero_byte(x ^ (ONES * 0x99))
        }
        None => bytes.iter().any(|&b| b == b'\'' || b == 0x99),
    }
}

/// Where the final clitic of `word` starts, if it has one.
fn clitic_start(word: &str) -> Option<usize> {
    let lower_ends = |suffix: &str| {
        word.len() > suffix.len()
            && word.is_char_boundary(word.len() - suffix.len())
            && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    CLITICS
        .iter()
        .find(|c| lower_ends(c))
        .map(|c| word.len() - c.len())
}

/// The optional `parse` field of a record (`--emit tokens`): per sentence,
/// tagged tokens, chunks, clauses and roles, all as byte spans.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SentenceView {
    pub span: Span,
    /// `[start, end, tag]` per token.
    pub tokens: Vec<(usize, usize, &'static str)>,
    pub noun_phrases: Vec<ChunkView>,
    pub verb_groups: Vec<VerbGroupView>,
    pub clauses: Vec<ClauseView>,
    pub roles: Vec<RoleView>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ChunkView {
    pub span: Span,
    pub head: Span,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VerbGroupView {
    pub span: Span,
    pub main: Span,
    pub tense: Tense,
    pub perfect: bool,
    pub progressive: bool,
    pub voice: Voice,
    pub negated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modal: Option<Span>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClauseView {
    pub kind: ClauseKind,
    pub span: Span,
    /// The verb group heading the clause.
    pub verb: Span,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RoleView {
    pub role: RoleKind,
    /// The verb (or copula predicate) the role belongs to.
    pub verb: Span,
    pub span: Span,
    pub head: Span,
}

impl Parsed {
    /// The serialisable view of every sentence, for `--emit tokens`.
    pub fn views(&self) -> Vec<SentenceView> {
        self.sentences.iter().map(|s| self.view(s)).collect()
    }

    fn view(&self, s: &ParsedSentence) -> SentenceView {
        let toks = &self.tokens[s.tokens.clone()];
        let span_of = |r: &Range<usize>| match (
            toks.get(r.start),
            r.end.checked_sub(1).and_then(|e| toks.get(e)),
        ) {
            (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
            _ => Span::new(0, 0),
        };
        let at = |i: usize| toks[i].span;
        SentenceView {
            span: span_of(&(0..toks.len())),
            tokens: toks
                .iter()
                .map(|t| (t.span.start, t.span.end, t.tag.as_str()))
                .collect(),
            noun_phrases: s
                .noun_phrases
                .iter()
                .map(|np| ChunkView {
                    span: span_of(&np.tokens),
                    head: at(np.head),
                })
                .collect(),
            verb_groups: s
                .verb_groups
                .iter()
                .map(|vg| VerbGroupView {
                    span: span_of(&vg.tokens),
                    main: at(vg.main),
                    tense: vg.tense,
                    perfect: vg.perfect,
                    progressive: vg.progressive,
                    voice: vg.voice,
                    negated: vg.negated,
                    modal: vg.modal.map(at),
                })
                .collect(),
            clauses: s
                .clauses
                .iter()
                .map(|c| ClauseView {
                    kind: c.kind,
                    span: span_of(&c.tokens),
                    verb: span_of(&s.verb_groups[c.verb_group].tokens),
                })
                .collect(),
            roles: s
                .roles
                .iter()
                .map(|r| RoleView {
                    role: r.kind,
                    verb: at(r.verb),
                    span: span_of(&s.noun_phrases[r.noun_phrase].tokens),
                    head: at(r.head),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each sentence with roles (`role:verb=head`), verb-group facts and
    /// clause kinds it must have, and roles it must not have.
    const CASES: &[(&str, &[&str], &[&str])] = &[
        (
            "Wal-Mart is sued by its workers.",
            &[
                "subject:sued=Mart",
                "agent:sued=workers",
                "vg:is sued:present:passive",
                "clause:main",
            ],
            &["object:sued=workers"],
        ),
        (
            "The company said it would not appeal the ruling.",
            &[
                "subject:said=company",
                "subject:appeal=it",
                "object:appeal=ruling",
                "vg:would not appeal:past:active:negated:modal",
                "clause:main",
                "clause:reported",
            ],
            &["object:said=it"],
        ),
        (
            "Wales' team physiotherapist Mark Davies said the injury was serious.",
            &[
                "subject:said=Mark",
                "subject:serious=injury",
                "clause:reported",
            ],
            &["subject:said=Wales"],
        ),
        (
            "The man who left yesterday bought a car.",
            &[
                "subject:left=who",
                "subject:bought=man",
                "object:bought=car",
                "clause:relative",
                "clause:main",
            ],
            &["object:left=yesterday"],
        ),
        (
            "If the bank raises rates, borrowers will complain to regulators.",
            &[
                "subject:raises=bank",
                "object:raises=rates",
                "subject:complain=borrowers",
                "to:complain=regulators",
                "clause:conditional",
                "vg:will complain:future:active:modal",
            ],
            &["subject:complain=rates"],
        ),
    ];

    /// Every word gets the marks of the class words it equals, ASCII case
    /// aside, whether the lexicon holds it or not, ASCII or not.
    #[test]
    fn words_get_the_marks_of_their_classes() {
        let analyzer = ClauseAnalyzer::new().unwrap();
        let classes = WordClasses::load(&RuleFiles::builtin()).unwrap();
        let marked = classes.marked_words();
        let words = [
            "is",
            "IS",
            "Is",
            "\u{2019}s",
            "\u{2019}S",
            "'s",
            "n't",
            "N'T",
            "never",
            "President",
            "PRESIDENT",
            "tuesday",
            "Tuesday",
            "unless",
            "wo",
            "Wo",
            "'d",
            "\u{2019}d",
            "the",
            "zorbified",
            "Caf\u{e9}",
            "gotten",
            "Whether",
            "WOULD",
            "week",
        ];
        let mut parsed = Parsed::default();
        let text = words.join(" ");
        let mut spans = Vec::new();
        let mut start = 0;
        for w in words {
            spans.push(Span::new(start, start + w.len()));
            start += w.len() + 1;
        }
        let mut scratch = Scratch::default();
        let mut buffer = Vec::new();
        analyzer.push_sentence(&text, &spans, &mut buffer, &mut parsed, &mut scratch);
        for (i, w) in words.iter().enumerate() {
            let want = marked
                .iter()
                .filter(|(x, _)| x.eq_ignore_ascii_case(w))
                .fold(0, |acc, (_, m)| acc | m);
            assert_eq!(scratch.tagger.marks()[i], want, "{w}");
        }
        assert_ne!(scratch.tagger.marks()[0], 0);
    }

    fn facts(text: &str) -> Vec<String> {
        let analyzer = ClauseAnalyzer::new().unwrap();
        let seg = crate::segment::segment(text, &[]);
        let parsed = analyzer.analyze(text, &seg);
        let view = serde_json::to_value(parsed.views()).unwrap();
        let at = |v: &serde_json::Value| {
            let (a, b) = (
                v[0].as_u64().unwrap() as usize,
                v[1].as_u64().unwrap() as usize,
            );
            text[a..b].to_string()
        };
        let mut out = Vec::new();
        for s in view.as_array().unwrap() {
            for r in s["roles"].as_array().unwrap() {
                out.push(format!(
                    "{}:{}={}",
                    r["role"].as_str().unwrap(),
                    at(&r["verb"]),
                    at(&r["head"])
                ));
            }
            for v in s["verb_groups"].as_array().unwrap() {
                let mut f = format!(
                    "vg:{}:{}:{}",
                    at(&v["span"]),
                    v["tense"].as_str().unwrap(),
                    v["voice"].as_str().unwrap()
                );
                if v["negated"].as_bool().unwrap() {
                    f.push_str(":negated");
                }
                if !v["modal"].is_null() {
                    f.push_str(":modal");
                }
                out.push(f);
            }
            for c in s["clauses"].as_array().unwrap() {
                out.push(format!("clause:{}", c["kind"].as_str().unwrap()));
            }
        }
        out
    }

    #[test]
    fn sentences_get_their_roles_groups_and_clauses() {
        let mut failures = Vec::new();
        for (text, present, absent) in CASES {
            let got = facts(text);
            for want in *present {
                if !got.iter().any(|g| g == want) {
                    failures.push(format!("{text:?}: missing {want} in {got:?}"));
                }
            }
            for unwanted in *absent {
                if got.iter().any(|g| g == unwanted) {
                    failures.push(format!("{text:?}: unexpected {unwanted}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn clitics_split_as_in_the_penn_treebank() {
        let text = "They don't know John's cannot";
        let mut spans = Vec::new();
        for (start, word) in [
            (0, "They"),
            (5, "don't"),
            (11, "know"),
            (16, "John's"),
            (23, "cannot"),
        ] {
            split_clitics(text, Span::new(start, start + word.len()), &mut spans);
        }
        let words: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            words,
            ["They", "do", "n't", "know", "John", "'s", "can", "not"]
        );
    }

    /// The word-at-once test agrees with a byte-by-byte one on every
    /// placement of the sought bytes among others near them in value.
    #[test]
    fn apostrophe_bytes_are_found_as_byte_by_byte() {
        let alphabet = [b'\'', 0x99, b'&', b'(', 0x98, 0x9a, b'a', 0x19, 0, 0xff];
        let mut checked = 0;
        for len in 0..=5usize {
            let count = alphabet.len().pow(len as u32);
            for mut n in 0..count {
                let mut bytes = Vec::with_capacity(len);
                for _ in 0..len {
                    bytes.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let tail = &bytes[len.saturating_sub(4)..];
                let want = tail.iter().any(|&b| b == b'\'' || b == 0x99);
                assert_eq!(has_apostrophe_byte_near_end(&bytes), want, "{bytes:?}");
                checked += 1;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn odd_token_sequences_do_not_panic() {
        let analyzer = ClauseAnalyzer::new().unwrap();
        let odd = [
            "'s".to_string(),
            "'s 's 's said.".to_string(),
            "\u{201c}a ".repeat(200),
            ", 's the 's".to_string(),
            "$ $ $ 's 5".to_string(),
            "- - the - 's -".to_string(),
            "\u{2019}\u{2019}\u{2019}".to_string(),
            "\u{e9}\u{201c}\u{fc}\u{201d}\u{f1} said \u{e9}.".to_string(),
            "He said: \u{201c}".to_string(),
            "\u{201c}x,\u{201d} said".to_string(),
            "\u{201c}a ".repeat(5000) + "\n\nsaid he.",
        ];
        for text in odd {
            let seg = crate::segment::segment(&text, &[]);
            analyzer.analyze(&text, &seg);
        }
    }
}
