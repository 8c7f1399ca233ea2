use super::*;
use crate::clauses::ClauseAnalyzer;
use crate::record::{EntityType, Mention};
use crate::segment::segment;

/// Built once: compiling the rules is the slow part of a debug test run.
fn extractor() -> &'static QuoteExtractor {
    static EXTRACTOR: std::sync::OnceLock<QuoteExtractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        QuoteExtractor::new(&RuleFiles::builtin()).expect("built-in quote rules load")
    })
}

fn analyzer() -> &'static ClauseAnalyzer {
    static ANALYZER: std::sync::OnceLock<ClauseAnalyzer> = std::sync::OnceLock::new();
    ANALYZER.get_or_init(|| ClauseAnalyzer::new().expect("built-in tagger loads"))
}

/// The quotes of `text`, with the clause analysis as the pipeline runs it.
fn run(ex: &QuoteExtractor, text: &str, entities: &[Entity]) -> Vec<Quote> {
    let seg = segment(text, &[]);
    let parsed = analyzer().analyze(text, &seg);
    let doc = Doc {
        parsed: Some(&parsed),
        ..Doc::new(text, &seg, None)
    };
    ex.extract(&doc, entities)
}

/// (speaker text, entity id, resolution) of each quote.
fn links(quotes: &[Quote]) -> Vec<(&str, Option<&str>, Option<Resolution>)> {
    quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref())
        .map(|s| (s.text.as_str(), s.entity.as_deref(), s.resolution))
        .collect()
}

fn entity(id: &str, kind: EntityType, text: &str, names: &[&str]) -> Entity {
    let mentions = names
        .iter()
        .flat_map(|name| text.match_indices(name))
        .map(|(start, name)| Mention {
            span: Span::new(start, start + name.len()),
            text: name.to_string(),
            rule: "test".into(),
        })
        .collect();
    Entity {
        id: id.into(),
        kind,
        name: names[0].into(),
        mentions,
    }
}

use super::examples::describe;

#[test]
fn every_rule_example_passes() {
    extractor().run_examples().assert_ok("quotes.toml");
}

#[test]
fn continuation_paragraph_takes_previous_speaker() {
    let ex = extractor();
    let text = "“We will fight this,” Lei Jun said.\n\n“The listing is wrong. We comply with every law.”\n\nShares rose.";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(quotes.len(), 2, "{got:?}");
    assert_eq!(quotes[1].rule, CONTINUATION_PREVIOUS);
    assert_eq!(quotes[1].speaker.as_ref().unwrap().text, "Lei Jun");
    assert_eq!(
        quotes[1].text,
        "The listing is wrong. We comply with every law."
    );
}

#[test]
fn second_passage_in_paragraph_continues() {
    let ex = extractor();
    let text = "“This country needs a leader,” he said. “We need integrity.”";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(quotes.len(), 2, "{got:?}");
    assert_eq!(quotes[1].rule, CONTINUATION_PARAGRAPH);
    assert_eq!(quotes[1].speaker.as_ref().unwrap().text, "he");
}

/// A passage ending its sentence with a full stop does not take the
/// attribution of the sentence after it; a question mark may end a quote
/// its attribution follows.
#[test]
fn a_full_stop_inside_the_marks_ends_the_attribution_window() {
    let ex = extractor();
    let text = "He said: \"I will do anything I can.\" A spokesman later said the trip was off.";
    let quotes = run(ex, text, &[]);
    let got: Vec<(&str, &str)> = quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_ref().unwrap().text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("I will do anything I can.", "He"),
            ("the trip was off", "A spokesman")
        ]
    );
    let asked = run(ex, "“How many times must we see this?” Clinton said.", &[]);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].speaker.as_ref().unwrap().text, "Clinton");
}

/// Quoted paragraphs run together ("A. "B. "C.") and over paragraph
/// breaks: every part is a quote of the speaker who opened them.
#[test]
fn run_together_passages_all_inherit_the_speaker() {
    let ex = extractor();
    let text = "He said: \"I will be fit. \"From what I saw on Sunday, I felt at home.\n\n\
        \"If I am fit, I am available. \"If he needs me, then fine.\"\n\nThe tour starts in June.";
    let quotes = run(ex, text, &[]);
    let got: Vec<(&str, &str)> = quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_ref().unwrap().text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("I will be fit.", "He"),
            ("From what I saw on Sunday, I felt at home.", "He"),
            ("If I am fit, I am available.", "He"),
            ("If he needs me, then fine.", "He"),
        ]
    );
}

/// A paragraph ending with "X said:" attributes the quoted paragraph after
/// it, with its cue; a colon without a cue attributes nothing.
#[test]
fn a_closing_said_colon_introduces_the_next_paragraph() {
    let ex = extractor();
    let text = "The senator spoke at the rally. He said:\n\n\"We have a situation here. We have to stop it.\"";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(quotes.len(), 1, "{got:?}");
    assert_eq!(
        quotes[0].text,
        "We have a situation here. We have to stop it."
    );
    assert_eq!(quotes[0].speaker.as_ref().unwrap().text, "He");
    assert_eq!(quotes[0].cue.as_ref().unwrap().text, "said");
    let text = "The menu was short:\n\n\"Fish and chips with peas and a lemon.\"";
    assert!(run(ex, text, &[]).is_empty());
}

/// Speakers are noun phrases of an active speech verb: a passive cue, a
/// "speaker" holding a finite verb or a cue with a noun-phrase object and
/// a participle gives no quote; an occasion noun does not take the speaker.
#[test]
fn speaker_and_cue_sense_checks() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "The price at which its shares will begin trading will be agreed over the weekend, analysts said.",
            &[(
                "The price at which its shares will begin trading will be agreed over the weekend",
                "analysts",
            )],
        ),
        ("The US created fewer jobs than expected in January, but the jobless rate fell to its lowest level.", &[]),
        ("Wipro reported a 60% rise in profit, topping market expectations.", &[]),
        (
            "The device maker has released a statement saying it is not a military company.",
            &[("it is not a military company", "The device maker")],
        ),
        (
            "In a Bloomberg interview Trump declared: “I think NATO may be obsolete.”",
            &[("I think NATO may be obsolete.", "Trump")],
        ),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let quotes = run(extractor(), text, &[]);
        let got: Vec<(&str, &str)> = quotes
            .iter()
            .map(|q| (q.text.as_str(), q.speaker.as_ref().unwrap().text.as_str()))
            .collect();
        if got != *want {
            failures.push(format!("{text:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scare_quotes_are_not_quotes() {
    let ex = extractor();
    let text = "Candidates met in the earlier “undercard” debate on Tuesday.";
    assert!(run(ex, text, &[]).is_empty());
}

#[test]
fn speakers_link_to_entities_and_antecedents() {
    let ex = extractor();
    let text = "Xiaomi sued the Pentagon on Friday. Lei Jun spoke first. \
                “We are not a military company,” the company said. \
                “It is wrong,” he said. “It is unlawful,” Lei Jun told reporters.";
    let entities = [
        entity("e1", EntityType::Org, text, &["Xiaomi"]),
        entity("e2", EntityType::Org, text, &["Pentagon"]),
        entity("e3", EntityType::Person, text, &["Lei Jun"]),
    ];
    let quotes = run(ex, text, &entities);
    // "the company" is Xiaomi, the subject the discourse keeps, not the
    // nearer Pentagon.
    assert_eq!(
        links(&quotes),
        [
            ("the company", Some("e1"), Some(Resolution::Coreference)),
            ("he", Some("e3"), Some(Resolution::Coreference)),
            ("Lei Jun", Some("e3"), Some(Resolution::Direct))
        ]
    );
}

#[test]
fn speaker_is_the_head_not_a_modifier() {
    let ex = extractor();
    let text = "Wales's team physiotherapist Mark Davies said the injury was minor. \
                The Salford MP said the vote would be close. \
                A Jive spokeswoman told a court that the deal was off.";
    let entities = [
        entity("e1", EntityType::Gpe, text, &["Wales"]),
        entity("e2", EntityType::Person, text, &["Mark Davies"]),
        entity("e3", EntityType::Gpe, text, &["Salford"]),
        entity("e4", EntityType::Org, text, &["Jive"]),
    ];
    let quotes = run(ex, text, &entities);
    assert_eq!(
        links(&quotes),
        [
            (
                "Wales's team physiotherapist Mark Davies",
                Some("e2"),
                Some(Resolution::Direct)
            ),
            ("The Salford MP", None, None),
            ("A Jive spokeswoman", None, None),
        ]
    );
}

#[test]
fn pronouns_agree_in_gender_and_stay_unresolved_on_a_tie() {
    let ex = extractor();
    let text = "Mrs May met Mr Howard on Monday. She said the plan had failed.\n\n\
                The prize went to Tony Smith and Tim Brown. He said the talks went well.";
    let entities = [
        entity("e1", EntityType::Person, text, &["May"]),
        entity("e2", EntityType::Person, text, &["Howard"]),
        entity("e3", EntityType::Person, text, &["Tony Smith"]),
        entity("e4", EntityType::Person, text, &["Tim Brown"]),
    ];
    let quotes = run(ex, text, &entities);
    assert_eq!(
        links(&quotes),
        [
            ("She", Some("e1"), Some(Resolution::Coreference)),
            ("He", None, None)
        ]
    );
}

#[test]
fn continuations_inherit_the_speaker() {
    let ex = extractor();
    let text = "“We will fight this,” Lei Jun said.\n\n“The listing is wrong.”";
    let entities = [entity("e1", EntityType::Person, text, &["Lei Jun"])];
    let quotes = run(ex, text, &entities);
    assert_eq!(
        links(&quotes),
        [
            ("Lei Jun", Some("e1"), Some(Resolution::Direct)),
            ("Lei Jun", Some("e1"), Some(Resolution::Inherited))
        ]
    );
}

#[test]
fn discourse_markers_are_not_speakers() {
    let ex = extractor();
    for text in [
        "That said, the plan still has many merits.",
        "Having said that, the board will meet again next week.",
    ] {
        let quotes = run(ex, text, &[]);
        let got: Vec<String> = quotes.iter().map(describe).collect();
        assert!(quotes.is_empty(), "{text}: {got:?}");
    }
    // A sentence adverb before an apposition is no speaker: the quote
    // keeps the speaker of the paragraph.
    let text = "“It matters to us,” Orange said. “We must act.” However, Mr Haji-Ioannou, \
                who plans a launch next month, vowed to fight back.";
    let speakers: Vec<String> = run(ex, text, &[])
        .iter()
        .filter_map(|q| q.speaker.as_ref().map(|s| s.text.clone()))
        .collect();
    assert!(!speakers.iter().any(|s| s == "However"), "{speakers:?}");
}

#[test]
fn odd_inputs_never_panic_and_stay_in_paragraph() {
    let ex = extractor();
    let long = "“a ".repeat(5000) + "\n\nsaid he.";
    let cases = [
        "",
        "\"",
        "“",
        "”",
        "’’’",
        "He said: “",
        "“x,” said",
        "é“ü”ñ said é.",
        "said that",
        long.as_str(),
    ];
    // The quote stage alone: without clause analysis it must not panic either.
    let run = |ex: &QuoteExtractor, text: &str, entities: &[Entity]| {
        let seg = segment(text, &[]);
        ex.extract(&Doc::new(text, &seg, None), entities)
    };
    for text in cases {
        for q in run(ex, text, &[]) {
            assert!(text.get(q.span.start..q.span.end).is_some());
        }
    }
    let text = "He said: “this never closes.\n\nA new paragraph follows, he said.";
    let quotes = run(ex, text, &[]);
    assert!(quotes.iter().all(|q| !q.text.contains('\n')), "{quotes:?}");
}

/// Reported speech the sentence rules miss, found on clause frames
/// (quote, speaker), and cue verbs whose object is not content.
#[test]
fn clause_frames_attribute_reported_clauses_and_check_cue_sense() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        (
            "Experts on North Korea and nuclear nonproliferation said the latest test could change that.",
            Some((
                "the latest test could change that",
                "Experts on North Korea and nuclear nonproliferation",
            )),
        ),
        ("The department added the company to the list in January.", None),
        ("The firm reiterated its commitment to its customers.", None),
        // A that-less clause after the addressee, which the analysis
        // leaves a main clause.
        (
            "Trump told the forum he was \"totally against the war\" because it failed.",
            Some((
                "he was \"totally against the war\" because it failed",
                "Trump",
            )),
        ),
        // A participle between commas is no cue with a clause after it.
        (
            "Lidar maker Hesai Group, added a year ago, sued the Department of Defense in federal court.",
            None,
        ),
        // A call frame needs what is called to hold quoted words or a
        // verb: these call someone, or call a meeting.
        ("The neighbours called the police a few minutes later.", None),
        ("The chairman called a meeting of the board.", None),
        // A particle or an article after "called" names no object.
        ("The union called on members to reject a pay offer.", None),
        ("Unions called off the strike as talks resumed.", None),
        (
            "The prime minister called a snap election as polls showed his party ahead.",
            None,
        ),
        // A main clause after a fronted clause's comma is not what the
        // fronted clause's verb reports.
        ("When the board agreed, the company moved on.", None),
        ("As the firm reported, shares rose.", None),
        ("If Congress agrees, the bill will pass.", None),
        (
            "The mayor called the ruling a disgrace that shames the city.",
            Some(("the ruling a disgrace that shames the city", "The mayor")),
        ),
        // A pledge cue reports its infinitive, with the addressee.
        (
            "Trump has vowed to bring back lost mining jobs.",
            Some(("to bring back lost mining jobs", "Trump")),
        ),
        (
            "The FBI warned state election officials to boost their security.",
            Some(("state election officials to boost their security", "The FBI")),
        ),
        // An infinitive of a verb that is no pledge is no quote.
        ("The company agreed to buy the firm for $2bn.", None),
        ("The firm wants to double its sales.", None),
        // A think cue reports its clause; "that" opens the clause even
        // where the analysis takes its verbs for the cue's.
        (
            "Many experts suspect those losses were generated by tax breaks.",
            Some(("those losses were generated by tax breaks", "Many experts")),
        ),
        (
            "The study found that medical research either did not support or flatly contradicted half of the claims.",
            Some((
                "medical research either did not support or flatly contradicted half of the claims",
                "The study",
            )),
        ),
        // "that" as a determiner opens no clause.
        ("The committee noted that assignment in its report.", None),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let quotes = run(extractor(), text, &[]);
        let got = quotes
            .first()
            .map(|q| (q.text.as_str(), q.speaker.as_ref().unwrap().text.as_str()));
        if got != *want || quotes.len() > 1 {
            let all: Vec<String> = quotes.iter().map(describe).collect();
            failures.push(format!("{text:?}: want {want:?}, got {all:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn weak_antecedents_and_groups_stay_unlinked() {
    let ex = extractor();
    // The only person is a possessor sentences back: the speaker whose
    // name the text lost is not him.
    let text = "The League One side held the Saints in their tie and were rewarded with a \
                draw against Sir Alex Ferguson's side. Newcastle will be at home to either \
                Tottenham or Nottingham Forest. Bolton host Arsenal or Sheffield United and \
                Leicester will visit the winners of the Burnley and Blackburn replay. The ties \
                will be played on the weekend of 12-13 March.\n\n\
                He said the replay would be a hard game.\n\n\
                Its hosts Anthony McPartlin and Declan Donnelly said the show would go on.";
    let entities = [
        entity("e1", EntityType::Person, text, &["Alex Ferguson"]),
        entity("e2", EntityType::Person, text, &["Anthony McPartlin"]),
        entity("e3", EntityType::Person, text, &["Declan Donnelly"]),
    ];
    let quotes = run(ex, text, &entities);
    assert_eq!(
        links(&quotes),
        [
            ("He", None, None),
            (
                "Its hosts Anthony McPartlin and Declan Donnelly",
                None,
                None
            )
        ]
    );
}

#[test]
fn a_title_after_a_long_opening_phrase_starts_the_speaker() {
    let ex = extractor();
    let text = "In a panel discussion at a Linux summit in California Mr Torvalds said \
                software patents were a problem for the open source movement.";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(links(&quotes), [("Mr Torvalds", None, None)], "{got:?}");
}

#[test]
fn reader_comments_give_no_quotes() {
    let ex = extractor();
    let headed = "Plans for the bypass were approved, the council said.\n\n\
                  Your views\n\n\
                  My MP said the bypass would never be built. Now look.\n\n\
                  “It is a disgrace,” my neighbour said.";
    let signed = "Plans for the bypass were approved, the council said.\n\n\
                  Councillor Jones told me it would ruin the village.\n\n\
                  Mary Hill, Leeds\n\n\
                  “About time,” my husband said when he heard.\n\n\
                  Tom Ford, Isle of Man";
    for text in [headed, signed] {
        let quotes = run(ex, text, &[]);
        let got: Vec<String> = quotes.iter().map(describe).collect();
        assert_eq!(links(&quotes), [("the council", None, None)], "{got:?}");
    }
}

#[test]
fn a_persons_nominal_stays_unresolved() {
    let ex = extractor();
    // "His management company" is not the firm named before (and not
    // him); "The company" is.
    let text = "Celebrity Media signed the comedian last year. Joe Pasquale has won the show.\n\n\
                His management company said the offers had flooded in since Monday.\n\n\
                The company said its profits had doubled.";
    let entities = [
        entity("e1", EntityType::Org, text, &["Celebrity Media"]),
        entity("e2", EntityType::Person, text, &["Joe Pasquale"]),
    ];
    let quotes = run(ex, text, &entities);
    assert_eq!(
        links(&quotes),
        [
            ("His management company", None, None),
            ("The company", Some("e1"), Some(Resolution::Coreference)),
        ]
    );
}

#[test]
fn the_previous_speaker_yields_to_a_newer_subject() {
    let ex = extractor();
    let text = "“I warned him about the accounts many times,” Mr Sullivan told jurors. \
                Mr Ebbers denied the allegations on Tuesday. \
                “I was never advised of anything wrong,” he told the court.";
    let entities = [
        entity("e1", EntityType::Person, text, &["Mr Sullivan"]),
        entity("e2", EntityType::Person, text, &["Mr Ebbers"]),
    ];
    let quotes = run(ex, text, &entities);
    // The previous speaker's bonus would make "he" Mr Sullivan; the
    // newer subject Mr Ebbers leaves it to salience, which ties the two
    // here: unresolved rather than wrong.
    assert_eq!(
        links(&quotes),
        [
            ("Mr Sullivan", Some("e1"), Some(Resolution::Direct)),
            ("he", None, None),
        ]
    );
}

#[test]
fn subjects_behind_long_asides_and_cues_inside_relatives() {
    let ex = extractor();
    let long = "Donna Sampson Rawlings, 59, of Ashton, Md., who watched the debate at home, \
                said she was disappointed.";
    let quotes = run(ex, long, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(
        links(&quotes),
        [("Donna Sampson Rawlings", None, None)],
        "{got:?}"
    );
    assert_eq!(quotes[0].text, "she was disappointed", "{got:?}");

    let relative = "He pointed to the emails, which he said were sent by a former aide, \
                    and asked for an inquiry.";
    let quotes = run(ex, relative, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert!(
        quotes
            .iter()
            .any(|q| q.text == "which he said were sent by a former aide"),
        "{got:?}"
    );

    // A relative in the subject runs into the main clause: no quote from it.
    let subject = "The rules that Trump says are unfair will stay in place.";
    let quotes = run(ex, subject, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert!(quotes.is_empty(), "{got:?}");

    // The aside is no speaker's: a place list before a plural subject.
    let list = "On Monday, in a hotel in Paris, the minister said the talks had failed.";
    let quotes = run(ex, list, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(links(&quotes), [("the minister", None, None)], "{got:?}");
}

#[test]
fn long_asides_and_relatives_take_no_evidence_verbs_or_participles() {
    let ex = extractor();
    let from = |text: &str, rule: &str| -> Vec<String> {
        run(ex, text, &[])
            .iter()
            .filter(|q| q.rule == rule)
            .map(describe)
            .collect()
    };
    // A study "reveals" what it found: no speech, whatever its subject.
    let evidence = "The research, which covered 6,000 people in six countries, \
                    revealed that Brazilians were the most likely to read spam.";
    let got = from(evidence, "indirect.speaker_cue.long_aside");
    assert!(got.is_empty(), "{got:?}");
    // A participle after the aside belongs to the main clause: its object
    // is no reported clause, and its subject no speaker of the cue.
    let participle = "Morgan, however, has had no formal contact with the club since \
                      December, blaming indecision at board level as he withdrew his offer.";
    let got = from(participle, "indirect.speaker_cue.long_aside");
    assert!(got.is_empty(), "{got:?}");
    // A finding inside a relative clause is no one's speech either.
    let relative = "The regulator published a survey of broadband users, which it \
                    found were mostly satisfied.";
    let got = from(relative, "indirect.relative.cue_inside");
    assert!(got.is_empty(), "{got:?}");
    // A speech verb in the same places still anchors both rules.
    let said = "The research team, which covered 6,000 people in six countries, \
                said that Brazilians were the most likely to read spam.";
    let got = from(said, "indirect.speaker_cue.long_aside");
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn cue_forms_used_as_nouns_anchor_no_quote() {
    let ex = extractor();
    let mut cues = Vec::new();
    let words = |ex: &QuoteExtractor, s: &str, cues: &mut Vec<CueWord>| {
        ex.rules.cues.find(s, cues);
        cues.iter()
            .map(|c| s[c.span.clone()].to_string())
            .collect::<Vec<_>>()
    };
    // After an article or possessive, and inside a name, the form is a noun.
    let s = "The fourth series of the show peaked on Monday, as Total Recall and Edward Said said.";
    assert_eq!(words(ex, s, &mut cues), vec!["said"]);
    // A verb after a plain noun, and capitalised in a title-case headline.
    let s = "The figures show sales rose, Lindsey Graham Says Trump Reveals Plans";
    assert_eq!(words(ex, s, &mut cues), vec!["show", "Says", "Reveals"]);
    let text = "The fourth series of the show peaked on Monday at 11.9m viewers.\n";
    assert!(run(ex, text, &[]).is_empty());
    let text = "Older titles such as Total Recall will be in the UMD format.\n";
    assert!(run(ex, text, &[]).is_empty());
}
