//! The declared rule files: every file a stage reads, with its built-in
//! text. A new rule file is one declaration here plus its data in `rules/`.

/// One declared rule file.
#[derive(Clone, Copy, Debug)]
pub struct RuleFile {
    /// File name, the same in `rules/` and in a user directory; a file of
    /// a stage with several files sits in a subfolder (`clauses/...`).
    pub name: &'static str,
    /// What the file holds (shown by `newsx rules list`).
    pub what: &'static str,
    /// The built-in text, embedded in the binary.
    pub builtin: &'static str,
}

macro_rules! declare {
    ($($id:ident = $name:literal, $what:literal;)*) => {
        $(
            #[doc = $what]
            pub const $id: RuleFile = RuleFile {
                name: $name,
                what: $what,
                builtin: include_str!(concat!("../../rules/", $name)),
            };
        )*
        /// Every declared rule file, in load order.
        pub const ALL: &[RuleFile] = &[$($id),*];
    };
}

declare! {
    BOILERPLATE = "boilerplate.toml", "plain-text boilerplate zones, bylines, publication-date cues";
    SEGMENT = "segment.tsv", "abbreviations and sentence openers for sentence splitting";
    CLEAN_HTML = "clean_html.toml", "HTML elements and class/id hints for boilerplate and content";
    DATES = "dates.toml", "date word lists, macros and TIMEX3 rules";
    LISTS = "lists.toml", "named government lists, press names and anaphors";
    ENTITIES_GAZETTEER = "entities_gazetteer.tsv", "entity names: type, canonical name, source";
    ENTITIES_ALIASES = "entities_aliases.tsv", "hand-kept entity aliases (win over the gazetteer)";
    ENTITIES_FIRST_NAMES = "entities_first_names.tsv", "given names";
    ENTITIES_COMMON_WORDS = "entities_common_words.tsv", "words written lower case in news prose";
    ENTITIES_CUES = "entities_cues.toml", "entity cue words with examples";
    ENTITIES_CONTEXT = "entities_context.tsv", "words around a name that say what it names";
    SPEECH_VERBS = "speech_verbs.tsv", "speech cue verbs with all their forms";
    QUOTES = "quotes.toml", "quote attribution patterns with examples";
    QUOTE_SPEAKERS = "quote_speakers.tsv", "anaphoric speaker words and the entity types they name";
    PERSON_GENDERS = "person_genders.tsv", "given names and titles with the gender they mark";
    EVENTS = "events.toml", "event types, event rules and modality cues";
    POS_LEXICON_EWT = "clauses/pos_lexicon_ewt.tsv", "word and its most frequent part-of-speech tag (from UD English EWT train)";
    POS_LEXICON_BRILL = "clauses/brill_lexicon.txt", "Brill's part-of-speech lexicon (as shipped by TextBlob), after the EWT one";
    POS_UNKNOWN = "clauses/pos_unknown.tsv", "part-of-speech tags of unknown words by shape and suffix";
    POS_CONTEXT = "clauses/pos_context.tsv", "contextual part-of-speech transformations, applied in order";
    CLAUSE_WORDS = "clauses/words.tsv", "word classes of the chunker and role finder: titles, nouns of time, subordinators";
}

/// The declared file called `name`.
pub fn find(name: &str) -> Option<&'static RuleFile> {
    ALL.iter().find(|f| f.name == name)
}
