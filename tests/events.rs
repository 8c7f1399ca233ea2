//! Events on clause frames: data-driven cases (one harness, every failing
//! case reported) and the event evaluation on the gold folders, with
//! floors that only go up.

use newsx::eval::events::evaluate;
use newsx::ingest::{Body, InputMeta, RawDoc};
use newsx::record::{Event, Format, Record, Source};
use newsx::{Options, Pipeline};
use std::path::Path;

fn pipeline() -> Pipeline {
    Pipeline::new(&Options::default()).expect("built-in rules load")
}

fn record(pipeline: &Pipeline, text: &str, published: Option<&str>) -> Record {
    pipeline.process(RawDoc {
        id: "case".into(),
        source: Source {
            path: "case".into(),
            format: Format::Text,
            url: None,
        },
        body: Body::Text(text.into()),
        meta: InputMeta {
            published: published.map(str::to_string),
            ..InputMeta::default()
        },
        errors: Vec::new(),
        warnings: Vec::new(),
    })
}

/// The canonical name of an argument's entity, else its text.
fn name(record: &Record, arg: &newsx::record::Arg) -> String {
    arg.entity
        .as_ref()
        .and_then(|id| record.entities.iter().find(|e| &e.id == id))
        .map_or_else(|| arg.text.clone(), |e| e.name.clone())
}

/// `type actor -> targets | date | modality polarity | mentions` of each event.
fn describe(record: &Record, e: &Event) -> String {
    let actor = e.actor.as_ref().map_or("-".into(), |a| name(record, a));
    let targets: Vec<String> = e.target.iter().map(|t| name(record, t)).collect();
    let date = e.date.as_ref().map_or("-", |d| d.value.as_str());
    format!(
        "{} {actor} -> {} | {date} | {} {} | {}",
        e.kind,
        targets.join(", "),
        newsx::output::modality_name(e.modality),
        newsx::output::polarity_name(e.polarity),
        e.mentions.len()
    )
}

/// Each case: text, publication date, and the events it must give, as
/// `describe` writes them (all of them, in order).
const CASES: &[(&str, Option<&str>, &[&str])] = &[
    (
        "Microsoft was sued by Huawei in a Beijing court.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | asserted positive | 1"],
    ),
    (
        "Huawei sued Microsoft in a Beijing court.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | asserted positive | 1"],
    ),
    (
        "The price dispute between Microsoft and Huawei dragged on.",
        None,
        &[],
    ),
    ("The referee denied Microsoft a late try.", None, &[]),
    ("“We are not getting the boost,” Microsoft said.", None, &[]),
    (
        "Microsoft denied the allegations on Tuesday.",
        Some("2021-01-14"),
        &["statement.denial Microsoft ->  | 2021-01-12 | asserted positive | 1"],
    ),
    (
        "Huawei plans cuts by 2011, which Microsoft denies.",
        None,
        &[],
    ),
    (
        "If Huawei sued Microsoft, the case would take years.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | hypothetical positive | 1"],
    ),
    (
        "Huawei sued Microsoft in March 2021. Huawei filed a lawsuit against Microsoft in 2021.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | 2021-03 | asserted positive | 2"],
    ),
    (
        "The United States imposed tariffs on Huawei.",
        None,
        &["sanction.impose United States -> Huawei | - | asserted positive | 1"],
    ),
    // A pronoun whose sentence and the previous one name no organisation
    // stands for the subject of the sentences before.
    (
        "Gazprom called the sale illegal. It also vowed to fight any buyer. Last week it sued the Russian government.",
        None,
        &["legal.lawsuit Gazprom -> Russian government | XXXX-WXX | asserted positive | 1"],
    ),
    // Two organisations as recent subjects: the pronoun stays unresolved.
    (
        "Microsoft called the sale illegal. Gazprom said the deal was fair. The judge was not available. Shares fell. Last week it sued the Russian government.",
        None,
        &["legal.lawsuit - -> Russian government | XXXX-WXX | asserted positive | 1"],
    ),
    // A subject phrase naming a group is the actor when no entity is there.
    (
        "The tobacco companies denied the charges.",
        None,
        &["statement.denial tobacco companies ->  | - | asserted positive | 1"],
    ),
    // Passive: the by-agent phrase acts, the subject is the target.
    (
        "Microsoft was accused by unions of cutting pay.",
        None,
        &["statement.accusation unions -> Microsoft | - | asserted positive | 1"],
    ),
    // Two bodies under one plural head are two defendants.
    (
        "Huawei has filed a legal complaint against the U.S. Defense and Treasury Departments.",
        None,
        &["legal.lawsuit Huawei -> U.S. Defense Department, U.S. Treasury Department | - | asserted positive | 1"],
    ),
    // A pronoun subject resolves to the person named before.
    (
        "Bernie Ebbers spoke to reporters. He denied the allegations.",
        None,
        &["statement.denial Bernie Ebbers ->  | - | asserted positive | 1"],
    ),
    // "the embargo" is the one the article named: same target; the caller proposes.
    (
        "The EU imposed an arms embargo on China in 1989. France has called for the embargo to be lifted.",
        None,
        &[
            "sanction.impose European Union -> China | 1989 | asserted positive | 1",
            "sanction.lift France -> China | - | proposed positive | 1",
        ],
    ),
    // Each conjunct of a "by" phrase made the lawsuit; a name ending a
    // conjunct is its head ("attorney general Eliot Spitzer").
    (
        "The lawsuit was brought by Microsoft and New York attorney general Eliot Spitzer.",
        None,
        &[
            "legal.lawsuit Eliot Spitzer ->  | - | asserted positive | 1",
            "legal.lawsuit Microsoft ->  | - | asserted positive | 1",
        ],
    ),
    // A name that only modifies the head gives way to the appositive name.
    (
        "Huawei paid $15m to settle a civil lawsuit brought by the US financial watchdog, the Securities and Exchange Commission.",
        None,
        &[
            "legal.settlement Huawei -> Securities and Exchange Commission | - | asserted positive | 1",
            "legal.lawsuit Securities and Exchange Commission -> Huawei | - | asserted positive | 1",
        ],
    ),
    // Titled names coordinated as subjects each call for the lifting.
    (
        "The EU imposed an arms embargo on China in 1989. German Chancellor Gerhard Schroeder and French President Jacques Chirac have called for the embargo to be lifted.",
        None,
        &[
            "sanction.impose European Union -> China | 1989 | asserted positive | 1",
            "sanction.lift Gerhard Schroeder -> China | - | proposed positive | 1",
            "sanction.lift Jacques Chirac -> China | - | proposed positive | 1",
        ],
    ),
    // A relative pronoun's name accuses; a negated denial is none.
    (
        "The case was led by Eliot Spitzer, who alleged that Microsoft sent spam. Microsoft did not deny the report.",
        None,
        &["statement.accusation Eliot Spitzer -> Microsoft | - | asserted positive | 1"],
    ),
    // A date in another clause never dates the event: "last month" dates
    // the saying, not what would not be done.
    (
        "The European Commission acknowledged last month that it would not impose sanctions on Huawei.",
        None,
        &["sanction.impose European Commission -> Huawei | - | proposed negative | 1"],
    ),
    // A participle after a comma takes the subject of the clause it
    // depends on (Huawei, not the lawmakers' country); an object "it"
    // stands for the organisation named before it.
    (
        "Huawei on Tuesday rejected calls by a group of US lawmakers to add it to the Entity List, describing the move as baseless.",
        None,
        &[
            "list.add.urged a group of US lawmakers -> Huawei | - | proposed positive | 1",
            "statement.denial Huawei ->  | XXXX-WXX-2 | asserted positive | 2",
        ],
    ),
    // A quoted denial is dated by its saying; its negated passive is what
    // it states, not its voice (the speaker denies, nothing is its target).
    (
        "Huawei said in a statement on Friday: “The company is not owned or controlled by the military.”",
        None,
        &["statement.denial Huawei ->  | XXXX-WXX-5 | asserted positive | 1"],
    ),
    // "the lawsuit" names the occurrence already told: the firm that
    // declines to comment on it is no plaintiff, and the mention joins it.
    (
        "A Texas woman has filed a lawsuit against Acme Corp over its ink cartridges. Acme declined to comment on the lawsuit.",
        None,
        &["legal.lawsuit Texas woman -> Acme | - | asserted positive | 2"],
    ),
    // A definite description as object names the organisation the
    // article spoke of, not the clause's own subject.
    (
        "Huawei denied the claims. It comes after the US Commerce Department added the Chinese telecoms maker to the Entity List.",
        None,
        &[
            "statement.denial Huawei ->  | - | asserted positive | 1",
            "list.add US Department of Commerce -> Huawei | - | asserted positive | 1",
        ],
    ),
    // A mention naming no participant, dated by its own clause, tells
    // another occurrence than an undated one ("a second round ... Its
    // first set of lawsuits were filed in November 2004").
    (
        "The MPAA said it had launched a second round of legal action against online movie-swappers. Its first set of lawsuits were filed in November 2004.",
        None,
        &[
            "legal.lawsuit MPAA ->  | - | asserted positive | 1",
            "legal.lawsuit - ->  | 2004-11 | asserted positive | 1",
        ],
    ),
    // A call named by a noun is not dated by the publication date: the
    // past tense is the rejection's, not the call's.
    (
        "Chinese telecoms giant Huawei has firmly rejected calls by a group of US senators to add the company to a Pentagon list of firms linked to China's military.",
        Some("2025-12-23"),
        &[
            "list.add.urged a group of US senators -> Huawei | - | proposed positive | 1",
            "statement.denial Huawei ->  | 2025-12-23 | asserted positive | 1",
        ],
    ),
    // The lawsuit a settlement settles shares its parties, crossed over;
    // the sentence's date is the settlement's.
    (
        "Microsoft agreed to pay $15m in July 2004 to settle a lawsuit brought by Huawei.",
        None,
        &[
            "legal.settlement Microsoft -> Huawei | 2004-07 | asserted positive | 1",
            "legal.lawsuit Huawei -> Microsoft | - | asserted positive | 1",
        ],
    ),
    // "X said it ...": the sayer, not a name of the previous sentence.
    (
        "The EU expanded to 25 members in May. The US said it filed the complaint after talks failed.",
        None,
        &["legal.lawsuit United States ->  | - | asserted positive | 1"],
    ),
    // A passive subject describing an organisation ("the bank") names the
    // one of the previous sentence whose name holds the noun.
    (
        "Riggs Bank will fund a charity, the Salvador Allende Foundation. The bank had been accused of concealing assets.",
        None,
        &["statement.accusation - -> Riggs Bank | - | asserted positive | 1"],
    ),
    // A headline's bare past form before a preposition is a passive.
    (
        "Microsoft sued over patents\n\nThe firm makes software.",
        None,
        &["legal.lawsuit - -> Microsoft | - | asserted positive | 1"],
    ),
    // Two names before a sanction noun: its imposer, then its target.
    (
        "EU China arms ban 'to be lifted'\n\nThe ban dates from 1989.",
        None,
        &["sanction.lift European Union -> China | - | asserted positive | 1"],
    ),
    // Denials of a complaint; a claim said to have no merit.
    (
        "A Microsoft spokesman in Washington dismissed the US complaint.",
        None,
        &["statement.denial Microsoft ->  | - | asserted positive | 1"],
    ),
    (
        "Microsoft said the claims had \"no merit\".",
        None,
        &["statement.denial Microsoft ->  | - | asserted positive | 1"],
    ),
    // A settlement agreed without "to", its sum in two currencies.
    (
        "Microsoft has agreed a $168m (£89m) settlement deal with Huawei.",
        None,
        &["legal.settlement Microsoft -> Huawei | - | asserted positive | 1"],
    ),
];

#[test]
fn events_follow_the_clause_frame() {
    let pipeline = pipeline();
    let mut failures = Vec::new();
    for (text, published, want) in CASES {
        let r = record(&pipeline, text, *published);
        let got: Vec<String> = r.events.iter().map(|e| describe(&r, e)).collect();
        if got != *want {
            failures.push(format!("{text}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `type actor -> targets | modality polarity` of each event.
fn describe_roles(record: &Record, e: &Event) -> String {
    let actor = e.actor.as_ref().map_or("-".into(), |a| name(record, a));
    let targets: Vec<String> = e.target.iter().map(|t| name(record, t)).collect();
    format!(
        "{} {actor} -> {} | {} {}",
        e.kind,
        targets.join(", "),
        newsx::output::modality_name(e.modality),
        newsx::output::polarity_name(e.polarity),
    )
}

/// Wire-style sentences, several per event type (sanctions, tariffs,
/// export controls and embargoes; list additions and removals;
/// accusations; settlements; lawsuits; rulings), in the voices and
/// shapes wire stories use: passive, coordination, "X said it would",
/// noun triggers. Each gives every event it must (in any order).
const WIRE_CASES: &[(&str, &[&str])] = &[
    (
        "The U.S. Commerce Department imposed export controls on SMIC on Friday.",
        &["sanction.impose US Department of Commerce -> Semiconductor Manufacturing International Corporation | asserted positive"],
    ),
    (
        "Washington slapped tariffs on imports from China.",
        &["sanction.impose Washington -> China | asserted positive"],
    ),
    (
        "The United States said it would impose sanctions on Huawei.",
        &["sanction.impose United States -> Huawei | proposed positive"],
    ),
    (
        "Huawei was hit with new sanctions by the Treasury Department on Monday.",
        &["sanction.impose US Department of the Treasury -> Huawei | asserted positive"],
    ),
    (
        "Sanctions were imposed on ZTE by the Treasury Department.",
        &["sanction.impose US Department of the Treasury -> ZTE | asserted positive"],
    ),
    (
        "The European Union and the United States imposed sanctions on Russia.",
        &["sanction.impose European Union -> Russia | asserted positive", "sanction.impose United States -> Russia | asserted positive"],
    ),
    (
        "China imposed an embargo on exports of rare earths to Japan.",
        &["sanction.impose China -> Japan | asserted positive"],
    ),
    (
        "The Commerce Department restricted exports to Huawei.",
        &["sanction.impose US Department of Commerce -> Huawei | asserted positive"],
    ),
    (
        "President Donald Trump threatened to impose tariffs on Mexico.",
        &["sanction.impose Donald Trump -> Mexico | proposed positive"],
    ),
    (
        "Beijing announced retaliatory tariffs on Canada.",
        &["sanction.impose Beijing -> Canada | asserted positive"],
    ),
    (
        "The United States has banned exports of advanced chips to China.",
        &["sanction.impose United States -> China | asserted positive"],
    ),
    (
        "The Treasury Department imposed sanctions on Huawei and ZTE, officials said.",
        &["sanction.impose US Department of the Treasury -> Huawei, ZTE | asserted positive"],
    ),
    (
        "The Commerce Department added Huawei to the Entity List.",
        &["list.add US Department of Commerce -> Huawei | asserted positive"],
    ),
    (
        "Huawei was added to the Entity List by the Commerce Department in May 2019.",
        &["list.add US Department of Commerce -> Huawei | asserted positive"],
    ),
    (
        "The Commerce Department placed SMIC and DJI on the Entity List.",
        &["list.add US Department of Commerce -> Semiconductor Manufacturing International Corporation, DJI | asserted positive"],
    ),
    (
        "The Pentagon said it would add Huawei to its list of Chinese military companies.",
        &["list.add US Department of Defense -> Huawei | proposed positive"],
    ),
    (
        "The addition of Huawei to the Entity List by the Commerce Department cut off its suppliers.",
        &["list.add US Department of Commerce -> Huawei | asserted positive"],
    ),
    (
        "The Commerce Department put Huawei and ZTE on the Entity List.",
        &["list.add US Department of Commerce -> Huawei, ZTE | asserted positive"],
    ),
    (
        "The Commerce Department said it had added SMIC to the Entity List.",
        &["list.add US Department of Commerce -> Semiconductor Manufacturing International Corporation | asserted positive"],
    ),
    (
        "The Commerce Department removed ZTE from the Entity List.",
        &["list.remove US Department of Commerce -> ZTE | asserted positive"],
    ),
    (
        "The removal of Huawei from the 1260H list by the Pentagon was welcomed by investors.",
        &["list.remove US Department of Defense -> Huawei | asserted positive"],
    ),
    (
        "The Defense Department removed Huawei and ZTE from its list of Chinese military companies.",
        &["list.remove US Department of Defense -> Huawei, ZTE | asserted positive"],
    ),
    (
        "The United States accused Huawei of stealing trade secrets.",
        &["statement.accusation United States -> Huawei | asserted positive"],
    ),
    (
        "Huawei was accused of fraud by U.S. prosecutors.",
        &["statement.accusation United States -> Huawei | asserted positive"],
    ),
    (
        "Washington has accused Beijing of unfair trade practices.",
        &["statement.accusation Washington -> Beijing | asserted positive"],
    ),
    (
        "China accused the United States of bullying.",
        &["statement.accusation China -> United States | asserted positive"],
    ),
    (
        "Accusations of spying against Huawei have been rejected by the company.",
        &["statement.accusation - -> Huawei | asserted positive", "statement.denial Huawei ->  | asserted positive"],
    ),
    (
        "Huawei has been accused by Washington of spying.",
        &["statement.accusation Washington -> Huawei | asserted positive"],
    ),
    (
        "The European Commission accused Google of abusing its dominance.",
        &["statement.accusation European Commission -> Google | asserted positive"],
    ),
    (
        "China and Russia accused NATO of provocation.",
        &["statement.accusation China -> NATO | asserted positive", "statement.accusation Russia -> NATO | asserted positive"],
    ),
    (
        "Huawei agreed to pay $100 million to settle charges brought by the Justice Department.",
        &["legal.settlement Huawei ->  | asserted positive"],
    ),
    (
        "Google settled the lawsuit with Oracle.",
        &["legal.lawsuit - ->  | asserted positive", "legal.settlement Google -> Oracle | asserted positive"],
    ),
    (
        "Microsoft and the European Commission reached a settlement in the antitrust case.",
        &["legal.settlement European Commission ->  | asserted positive", "legal.settlement Microsoft ->  | asserted positive"],
    ),
    (
        "ZTE agreed to a settlement with the Commerce Department.",
        &["legal.settlement ZTE -> US Department of Commerce | asserted positive"],
    ),
    (
        "Huawei settled with T-Mobile over trade secrets claims.",
        &["legal.settlement Huawei -> T-Mobile | asserted positive"],
    ),
    (
        "Apple said it would settle the case with Qualcomm.",
        &["legal.settlement Apple -> Qualcomm | proposed positive"],
    ),
    (
        "ZTE agreed to pay a $1.4 billion penalty to settle sanctions violations.",
        &["legal.settlement ZTE ->  | asserted positive"],
    ),
    (
        "Google and Sonos settled their patent dispute.",
        &["legal.settlement Google ->  | asserted positive", "legal.settlement Sonos ->  | asserted positive"],
    ),
    (
        "Civil litigation is settled on the test of a balance of probabilities.",
        &[],
    ),
    (
        "Huawei filed a lawsuit against the Federal Communications Commission.",
        &["legal.lawsuit Huawei -> Federal Communications Commission | asserted positive"],
    ),
    (
        "The Justice Department sued Google.",
        &["legal.lawsuit US Department of Justice -> Google | asserted positive"],
    ),
    (
        "Google was sued by the Justice Department.",
        &["legal.lawsuit US Department of Justice -> Google | asserted positive"],
    ),
    (
        "T-Mobile has sued Huawei for stealing trade secrets.",
        &["legal.lawsuit T-Mobile -> Huawei | asserted positive"],
    ),
    (
        "Huawei said it would sue the Pentagon.",
        &["legal.lawsuit Huawei -> US Department of Defense | proposed positive"],
    ),
    (
        "Huawei and ZTE filed lawsuits against the Federal Communications Commission.",
        &["legal.lawsuit Huawei -> Federal Communications Commission | asserted positive", "legal.lawsuit ZTE -> Federal Communications Commission | asserted positive"],
    ),
    (
        "Oracle brought a lawsuit against Google.",
        &["legal.lawsuit Oracle -> Google | asserted positive"],
    ),
    (
        "Huawei took the Defense Department to court.",
        &["legal.lawsuit Huawei -> US Department of Defense | asserted positive"],
    ),
    (
        "The lawsuit filed by Qualcomm against Apple was dismissed.",
        &["legal.lawsuit Qualcomm -> Apple | asserted positive"],
    ),
    (
        "The court ruled in favour of Huawei.",
        &["legal.ruling The court -> Huawei | asserted positive"],
    ),
    (
        "The Supreme Court struck down the tariffs.",
        &["legal.ruling Supreme Court ->  | asserted positive"],
    ),
    (
        "A U.S. judge ruled that the ban was unlawful.",
        &["legal.ruling A U.S. judge ->  | asserted positive"],
    ),
    (
        "Huawei won its court case against the Pentagon.",
        &["legal.ruling - -> Huawei | asserted positive"],
    ),
    (
        "Judge Rudolph Contreras granted Huawei a preliminary injunction.",
        &["legal.ruling Rudolph Contreras -> Huawei | asserted positive"],
    ),
    (
        "An appeals court upheld the ruling against Huawei.",
        &["legal.ruling An appeals court -> Huawei | asserted positive"],
    ),
    (
        "A court in Beijing ordered Apple to pay damages.",
        &["legal.ruling A court -> Apple | asserted positive"],
    ),
    (
        "Huawei challenged the decision in court and won.",
        &["legal.lawsuit Huawei ->  | asserted positive", "legal.ruling - -> Huawei | asserted positive"],
    ),
    (
        "Nine lawmakers urged the Pentagon to add Huawei to the Section 1260H list. The others included ZTE and Alibaba.",
        &["list.add.urged Nine lawmakers -> Huawei, ZTE, Alibaba | proposed positive"],
    ),
    // Passive denials: the by-agent denies.
    (
        "The allegations were denied by Huawei.",
        &["statement.denial Huawei ->  | asserted positive"],
    ),
    (
        "The claims were rejected by ZTE on Monday.",
        &["statement.denial ZTE ->  | asserted positive"],
    ),
    // Coordinated objects and passive subjects are all targets.
    (
        "The Treasury Department sanctioned ZTE and Huawei.",
        &["sanction.impose US Department of the Treasury -> ZTE, Huawei | asserted positive"],
    ),
    (
        "The United States sanctioned Huawei, ZTE and Hikvision.",
        &["sanction.impose United States -> Huawei, ZTE, Hikvision | asserted positive"],
    ),
    (
        "Huawei and ZTE were added to the Entity List by the Commerce Department.",
        &["list.add US Department of Commerce -> Huawei, ZTE | asserted positive"],
    ),
    // A name followed by its own verb is the next clause's subject.
    (
        "The Treasury Department sued Huawei, ZTE said on Monday.",
        &["legal.lawsuit US Department of the Treasury -> Huawei | asserted positive"],
    ),
    // Noun triggers with a by-agent: the by-phrase ends at the verb.
    (
        "The imposition of tariffs on Canada by the United States angered Ottawa.",
        &["sanction.impose United States -> Canada | asserted positive"],
    ),
    (
        "The removal of ZTE and Huawei from the Entity List by the Commerce Department surprised analysts.",
        &["list.remove US Department of Commerce -> ZTE, Huawei | asserted positive"],
    ),
    // A participle before its noun does not end the by-phrase; one after
    // a noun does.
    (
        "The imposition of tariffs on Canada by the ruling United States administration angered Ottawa.",
        &["sanction.impose ruling United States administration -> Canada | asserted positive"],
    ),
    (
        "The deal follows a legal complaint filed against the bank by Judge Baltasar Garzon alleging that it hid assets.",
        &["legal.lawsuit Baltasar Garzon ->  | asserted positive"],
    ),
    // Lifting, goods from a country, "said it would".
    (
        "The Commerce Department lifted export restrictions on ZTE.",
        &["sanction.lift US Department of Commerce -> ZTE | asserted positive"],
    ),
    (
        "Sanctions on Huawei were lifted by the Treasury Department.",
        &["sanction.lift US Department of the Treasury -> Huawei | asserted positive"],
    ),
    (
        "Canada imposed tariffs on steel from China and Vietnam.",
        &["sanction.impose Canada -> China, Vietnam | asserted positive"],
    ),
    (
        "The European Union said it would impose tariffs on imports from China.",
        &["sanction.impose European Union -> China | proposed positive"],
    ),
    (
        "The Commerce Department said it would lift the export ban on ZTE.",
        &["sanction.lift US Department of Commerce -> ZTE | proposed positive"],
    ),
    (
        "The Pentagon said it would remove Huawei from its list of Chinese military companies.",
        &["list.remove US Department of Defense -> Huawei | proposed positive"],
    ),
    (
        "ZTE was removed from the Entity List by the Commerce Department.",
        &["list.remove US Department of Commerce -> ZTE | asserted positive"],
    ),
    (
        "Oracle said it would sue Google over the Java code.",
        &["legal.lawsuit Oracle -> Google | proposed positive"],
    ),
    (
        "The Justice Department accused ZTE of lying to regulators.",
        &["statement.accusation US Department of Justice -> ZTE | asserted positive"],
    ),
    // "alleged" tagged as an adjective still heads the clause it reports.
    (
        "The Justice Department alleged that ZTE violated export controls.",
        &["statement.accusation US Department of Justice -> ZTE | asserted positive"],
    ),
    (
        "Prosecutors alleged that Huawei stole trade secrets from T-Mobile.",
        &["statement.accusation Prosecutors -> Huawei | asserted positive"],
    ),
    // Coordinated passive subjects are all targets.
    (
        "Google and Apple were sued by Microsoft in a California court.",
        &["legal.lawsuit Microsoft -> Google, Apple | asserted positive"],
    ),
    (
        "Huawei and ZTE were sanctioned by the Treasury Department.",
        &["sanction.impose US Department of the Treasury -> Huawei, ZTE | asserted positive"],
    ),
    (
        "A federal judge threw out the lawsuit against Microsoft.",
        &[
            "legal.lawsuit - -> Microsoft | asserted positive",
            "legal.ruling A federal judge -> Microsoft | asserted positive",
        ],
    ),
    (
        "The Commerce Department removed Huawei and ZTE from the Entity List.",
        &["list.remove US Department of Commerce -> Huawei, ZTE | asserted positive"],
    ),
    (
        "The Treasury Department alleged that Huawei stole trade secrets from T-Mobile.",
        &["statement.accusation US Department of the Treasury -> Huawei | asserted positive"],
    ),
    // A court rejecting a claim rules on it; it denies nothing.
    (
        "A federal judge rejected the claim against Microsoft.",
        &[
            "legal.lawsuit - -> Microsoft | asserted positive",
            "legal.ruling A federal judge -> Microsoft | asserted positive",
        ],
    ),
    // A rate before the instrument ("a 25% tariff") is one of its words.
    (
        "Canada imposed a 25% tariff on steel imports from China.",
        &["sanction.impose Canada -> China | asserted positive"],
    ),
    // The lawsuits settled were brought: asserted, by the "by" phrase's
    // group even at the sentence's end, against the party paying.
    (
        "Microsoft agreed to pay $20m to settle lawsuits brought by Google.",
        &[
            "legal.lawsuit Google -> Microsoft | asserted positive",
            "legal.settlement Microsoft -> Google | asserted positive",
        ],
    ),
    // A plaintiff named by a group only (no entity) is not yet the
    // settlement's target; the party paying is the lawsuits' defendant.
    (
        "Microsoft agreed to pay $20m to settle lawsuits brought by shareholders.",
        &[
            "legal.lawsuit shareholders -> Microsoft | asserted positive",
            "legal.settlement Microsoft ->  | asserted positive",
        ],
    ),
    // A people noun before a noun trigger makes it ("shareholder lawsuits").
    (
        "The deal could spark shareholder lawsuits against Microsoft.",
        &["legal.lawsuit shareholders -> Microsoft | hypothetical positive"],
    ),
    // "A judge" is the article's one judge named with the title.
    (
        "A judge has dismissed an attempt by Yukos to gain bankruptcy protection. Texas Judge Letitia Clark said Yukos had no US presence.",
        &["legal.ruling Letitia Clark -> Yukos | asserted positive"],
    ),
    (
        "Washington eased export controls on Huawei, officials said.",
        &["sanction.lift Washington -> Huawei | asserted positive"],
    ),
    (
        "Microsoft accused Google of abusing its dominant position.",
        &["statement.accusation Microsoft -> Google | asserted positive"],
    ),
    (
        "The appeals court upheld a ruling against Huawei on Friday.",
        &["legal.ruling The appeals court -> Huawei | asserted positive"],
    ),
    // A lone participle between a plural subject and its object is the
    // clause's verb: its subject accuses.
    (
        "Prosecutors accused Microsoft of hiding debts.",
        &["statement.accusation Prosecutors -> Microsoft | asserted positive"],
    ),
    // "They" denying stands for the parties just sued or accused: one
    // denial each.
    (
        "Parmalat has sued Bank of America, UBS and Citigroup. They have all denied any wrongdoing.",
        &[
            "legal.lawsuit Parmalat -> Bank of America, UBS, Citigroup | asserted positive",
            "statement.denial Bank of America ->  | asserted positive",
            "statement.denial Citigroup ->  | asserted positive",
            "statement.denial UBS ->  | asserted positive",
        ],
    ),
    // Three sentences back is too far for "they" to reach.
    (
        "Parmalat sued Citigroup. Shares rose. Analysts were surprised. They have denied any wrongdoing.",
        &[
            "legal.lawsuit Parmalat -> Citigroup | asserted positive",
            "statement.denial - ->  | asserted positive",
        ],
    ),
    // The party that wins its case is the ruling's target, never its maker.
    (
        "Robert Napier sued Microsoft. He was awarded compensation after winning his case.",
        &[
            "legal.lawsuit Robert Napier -> Microsoft | asserted positive",
            "legal.ruling - -> Robert Napier | asserted positive",
        ],
    ),
];

#[test]
fn wire_sentences_give_their_events() {
    let pipeline = pipeline();
    let mut failures = Vec::new();
    for (text, want) in WIRE_CASES {
        let r = record(&pipeline, text, Some("2021-01-14"));
        let mut got: Vec<String> = r.events.iter().map(|e| describe_roles(&r, e)).collect();
        got.sort();
        if got != *want {
            failures.push(format!("{text}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn published_date_dates_a_past_event_without_a_time_expression() {
    let r = record(
        &pipeline(),
        "The Pentagon has named Huawei to its list of Communist Chinese military companies.",
        Some("2021-01-14"),
    );
    let dated: Vec<_> = r.events.iter().filter_map(|e| e.date.as_ref()).collect();
    assert!(!dated.is_empty(), "{:?}", r.events);
    for d in dated {
        assert_eq!(d.value, "2021-01-14");
        assert_eq!(d.origin, Some(newsx::record::DateOrigin::Published));
    }
}

/// Overall F1 floors of the gold folders; raise them when the rules get
/// better, never lower them on the same gold (the BBC floor was reset when
/// its gold grew from 41 to 51 articles). `events-bbc-check` holds ten
/// more BBC articles, annotated before newsx was run on them and kept
/// apart so that the two floors stay comparable over time.
const CORPUS_F1_FLOOR: f64 = 0.81;
const BBC_F1_FLOOR: f64 = 0.795;
const BBC_CHECK_F1_FLOOR: f64 = 0.795;
/// `events-bbc-check2`: twelve more BBC articles annotated the same way
/// (two with no event), kept apart for the same reason.
const BBC_CHECK2_F1_FLOOR: f64 = 0.74;

fn f1_of(dir: &Path) -> f64 {
    let report = evaluate(&pipeline(), dir).expect("gold readable");
    eprintln!("{report}");
    report.rows[0].1.f1()
}

#[test]
fn corpus_gold_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gold/events-corpus");
    let f1 = f1_of(&dir);
    assert!(
        f1 >= CORPUS_F1_FLOOR,
        "events F1 {f1:.3} < {CORPUS_F1_FLOOR}"
    );
}

/// The F1 of a BBC gold folder, `None` when the corpus is not there.
fn bbc_f1(folder: &str) -> Option<f64> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let root = std::fs::read_to_string(dir.join("ROOT")).expect("ROOT");
    if !dir.join(root.trim()).is_dir() {
        eprintln!("skipped: the BBC corpus is not at {}", root.trim());
        return None;
    }
    Some(f1_of(&dir))
}

/// Fails when the events F1 on the BBC gold in `dir` is under `floor`
/// (skipped, like `bbc_f1`, when the BBC corpus is not present).
fn assert_bbc_floor(dir: &str, floor: f64) {
    if let Some(f1) = bbc_f1(dir) {
        assert!(f1 >= floor, "{dir}: events F1 {f1:.3} < {floor}");
    }
}

#[test]
fn bbc_gold_floor() {
    assert_bbc_floor("fixtures/gold/events-bbc", BBC_F1_FLOOR);
}

#[test]
fn bbc_check_gold_floor() {
    assert_bbc_floor("fixtures/gold/events-bbc-check", BBC_CHECK_F1_FLOOR);
}

#[test]
fn bbc_check2_gold_floor() {
    assert_bbc_floor("fixtures/gold/events-bbc-check2", BBC_CHECK2_F1_FLOOR);
}
