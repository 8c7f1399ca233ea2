#!/usr/bin/env python3
"""Learns the part-of-speech data under rules/clauses/ from UD English EWT train.

Writes (all derived from UD English EWT, CC BY-SA 4.0):
  pos_lexicon_ewt.tsv   word -> most frequent XPOS tag in EWT train (a word
                        seen at most RARE times is left out when Brill's
                        lexicon has it), and for a word with a letter seen
                        at least MIN_SET times, every tag it has there: a
                        contextual rule gives it no other
  pos_unknown.tsv       suffix rules for words in no lexicon (shape, suffix, tag)
  pos_context.tsv       Brill contextual transformations, learned greedily

The initial tagger simulated here is the one in src/clauses/tagger/
(lexicon, then the Brill lexicon of rules/clauses/brill_lexicon.txt, then the
unknown-word rules); the contextual rules are learned on top of it with the
same left-to-right, in-place application. Keep both in step.

The initial tags the contextual rules learn from are jackknifed: each tenth
of the training sentences is tagged with a lexicon built from the other
nine tenths, so that the rules see the unknown and mis-tagged words that
new text brings, not a lexicon that already knows every training word.
The tenths interleave (sentence i is in tenth i mod 10). Contiguous tenths
leave more words unknown (3.1% of tokens against 1.8%, nearer EWT dev's
4.0%), but the rules learned from them scored lower on EWT dev (XPOS
0.9343 against 0.9353), so the tenths stay interleaved.

The tag sets are jackknifed the same way (each tenth's from the other
nine): a rule is learned, scored and applied only where the word may take
the rule's tag, as the tagger applies it.

Besides Brill's tag and word templates, the shape templates test a word's
shape (capitals, digits, and whether the lexicons know it; `word_shape`):
with the jackknifed lexicons, a rule learns what an unknown capitalised or
lower-case word is in context.

Learning is incremental (Ngai & Florian's fast transformation-based
learning): the good and bad counts of every candidate rule are kept and
only updated around the positions a chosen rule changed; the best rule is
taken from a heap of scores refreshed where the counts changed.

Every learned rule also records one real example from EWT train, checked
by `newsx rules test`: a contextual rule the first token it corrected (in
order of application), shown as the words around it with the tags they had
just before the rule ran, the token in [[ ]]; an unknown-word rule the first
rare word of its shape whose tag it gives and whose longest known suffix it
is. The examples are found by replaying the rules on the jackknifed tags,
which is how they were learned (a word a shape rule saw unknown to its
fold but known to the full lexicons is spelled as a made-up word of its
shape, MADE_UP), so `--examples` (which adds them to the
rules already in OUT_DIR, rules unchanged) and a full run write the same.

Usage: learn_pos_rules.py EWT_TRAIN.conllu OUT_DIR [MAX_RULES [MIN_GAIN]]
       learn_pos_rules.py --examples EWT_TRAIN.conllu OUT_DIR
       learn_pos_rules.py --eval FILE.conllu RULES_DIR [ROWS]

`--eval` tags the gold tokens of FILE.conllu with the files in RULES_DIR as
the tagger does (the simulation the rules are learned with; its accuracy
is the gold-token XPOS accuracy of `newsx eval ud`) and prints the ROWS
(default 25) most frequent confusions, gold tag then given tag, and how
many errors keep the lexicon's tag, without a build.

Learning stops after MAX_RULES rules (default 1000: EWT dev gained up to
there) or at a net gain below MIN_GAIN (default 2). After the learned rules
come HAND_RULES, written by hand (marked so).
"""
import collections
import os
import heapq
import sys

BOUNDARY = "<S>"
OPENERS = {"``", "-LRB-", ":", '"', "'", "(", "[", "“", "‘"}
FOLDS = 10
# Context templates: name -> (kind, tag offsets, word offsets, shape offsets);
# a rule's arguments are the tags, then the words, then the shapes.
# kind "all": every listed feature must equal the rule's argument;
# kind "anytag"/"anywd": the tag/word at any one of the offsets does.
TEMPLATES = [
    ("PREVTAG", "all", (-1,), (), ()),
    ("NEXTTAG", "all", (1,), (), ()),
    ("PREV2TAG", "all", (-2,), (), ()),
    ("NEXT2TAG", "all", (2,), (), ()),
    ("SURROUNDTAG", "all", (-1, 1), (), ()),
    ("PREVBIGRAM", "all", (-2, -1), (), ()),
    ("NEXTBIGRAM", "all", (1, 2), (), ()),
    ("PREV1OR2TAG", "anytag", (-1, -2), (), ()),
    ("NEXT1OR2TAG", "anytag", (1, 2), (), ()),
    ("PREV1OR2OR3TAG", "anytag", (-1, -2, -3), (), ()),
    ("NEXT1OR2OR3TAG", "anytag", (1, 2, 3), (), ()),
    ("CURWD", "all", (), (0,), ()),
    ("PREVWD", "all", (), (-1,), ()),
    ("NEXTWD", "all", (), (1,), ()),
    ("PREV2WD", "all", (), (-2,), ()),
    ("NEXT2WD", "all", (), (2,), ()),
    ("PREV1OR2WD", "anywd", (), (-1, -2), ()),
    ("NEXT1OR2WD", "anywd", (), (1, 2), ()),
    ("LBIGRAM", "all", (), (-1, 0), ()),
    ("RBIGRAM", "all", (), (0, 1), ()),
    ("WDPREVTAG", "all", (-1,), (0,), ()),
    ("WDNEXTTAG", "all", (1,), (0,), ()),
    ("WDAND2TAGBFR", "all", (-2,), (0,), ()),
    ("WDAND2TAGAFT", "all", (2,), (0,), ()),
    # Shape templates: the shape of a word (SHAPE_NAMES) at the offsets.
    ("CURSHAPE", "all", (), (), (0,)),
    ("SHAPEPREVTAG", "all", (-1,), (), (0,)),
    ("SHAPENEXTTAG", "all", (1,), (), (0,)),
    ("PREVSHAPES", "all", (), (), (-1, 0)),
    ("NEXTSHAPES", "all", (), (), (0, 1)),
]
TEMPLATE = {t[0]: t for t in TEMPLATES}
# How far a tag change reaches into other positions' contexts.
REACH = 3


# Hand-written transformations, appended after the learned ones: an opening
# quote right after a noun is a possessive apostrophe ("Wales' team"), a
# noun after a modal and an adverb is a verb ("would not appeal"), and
# semicolons and dashes follow the Penn Treebank. Each has a hand-written
# example, used where EWT train has no token the rule changes.
HAND_RULES = [
    ("``", "POS", ("WDPREVTAG", ("NNP", "'")), "Wales/NNP [['/``]] team/NN physiotherapist/NN"),
    ("``", "POS", ("WDPREVTAG", ("NNPS", "'")), "the/DT Beatles/NNPS [['/``]] songs/NNS"),
    ("``", "POS", ("WDPREVTAG", ("NNS", "'")), "the/DT workers/NNS [['/``]] union/NN said/VBD"),
    ("``", "POS", ("WDPREVTAG", ("NNP", "’")), "Wales/NNP [[’/``]] team/NN physiotherapist/NN"),
    ("``", "POS", ("WDPREVTAG", ("NNS", "’")), "the/DT workers/NNS [[’/``]] union/NN said/VBD"),
    ("NN", "VB", ("PREVBIGRAM", ("MD", "RB")), "it/PRP would/MD not/RB [[appeal/NN]] the/DT ruling/NN"),
    ("NN", "VB", ("PREVBIGRAM", ("TO", "RB")), "decided/VBD to/TO not/RB [[appeal/NN]] the/DT ruling/NN"),
    # Penn Treebank convention (EWT writes ","): a semicolon and a spaced
    # em or en dash are ":".
    (",", ":", ("CURWD", (";",)), "stayed/VBD [[;/,]] others/NNS left/VBD"),
    (",", ":", ("CURWD", ("\u2014",)), "stayed/VBD [[\u2014/,]] others/NNS left/VBD"),
    (",", ":", ("CURWD", ("\u2013",)), "stayed/VBD [[\u2013/,]] others/NNS left/VBD"),
    # A finite verb after a plural noun, where the learned rules leave a
    # base form or a participle: rules that retag the noun (a capitalised
    # "Ministers" NNPS -> NNS) may run after the one that made the verb
    # agree with it, and a plural noun with no determiner opening the
    # sentence is its subject; a participle between a plural noun and
    # another participle is the finite verb of a state kept up ("schools
    # stayed closed"). Neither changes a tag of EWT train wrongly (the
    # first corrects two).
    ("VB", "VBP", ("PREVBIGRAM", ("<S>", "NNS")), "Ministers/NNS [[meet/VB]] in/IN Brussels/NNP"),
    ("VBN", "VBD", ("SURROUNDTAG", ("NNS", "VBN")), "The/DT schools/NNS [[stayed/VBN]] closed/VBN until/IN"),
]


def read_conllu(path):
    sent = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if sent:
                yield sent
                sent = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        sent.append((cols[1], cols[4]))
    if sent:
        yield sent


def load_brill(path):
    lex = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith(";;;") or not line.strip():
            continue
        parts = line.split()
        if len(parts) >= 2 and parts[0] not in lex:
            lex[parts[0]] = parts[1]
    return lex


def shape(word):
    s = ""
    if any(c.isdigit() for c in word):
        s += "d"
    elif word[:1].isupper():
        s += "C"
    else:
        s += "l"
    if "-" in word:
        s += "h"
    return s


def learn_unknown(sents, counts):
    """Suffix rules from rare words (a stand-in for unseen ones)."""
    table = collections.defaultdict(collections.Counter)
    for sent in sents:
        for w, t in sent:
            if counts[w] > 2 or not any(c.isalnum() for c in w):
                continue
            sh = shape(w)
            low = w.lower()
            for k in range(0, 6):
                if k > len(low):
                    break
                table[(sh, low[len(low) - k:] if k else "")][t] += 1
    rules = {}
    for sh in sorted({k[0] for k in table}):
        # Keep an entry only where it changes what its shorter suffix says.
        def best(key):
            c = table[key]
            return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

        rules[(sh, "")] = best((sh, ""))
        for k in range(1, 6):
            for key in sorted(x for x in table if x[0] == sh and len(x[1]) == k):
                if sum(table[key].values()) < 3:
                    continue
                parent = None
                for j in range(k - 1, -1, -1):
                    p = (sh, key[1][k - j:] if j else "")
                    if p in rules:
                        parent = rules[p]
                        break
                b = best(key)
                if b != parent:
                    rules[key] = b
    return rules


def guess_unknown(word, unknown):
    key = unknown_key(word, unknown)
    return unknown[key] if key else "NN"


def is_all_upper(w):
    return any(c.isupper() for c in w) and not any(c.islower() for c in w)


def lookup(w, initial, ewt, brill, unknown, sets=None):
    """The word's initial tag, whether a lexicon knew it, and the tags the
    contextual rules may give it (None: any; see `tag_sets`)."""
    lowered_ok = initial or is_all_upper(w)
    low = w.lower()
    sets = sets or {}
    if w in ewt:
        return ewt[w], True, sets.get(w)
    if lowered_ok and low in ewt:
        return ewt[low], True, sets.get(low)
    if w in brill:
        return brill[w], True, None
    if lowered_ok and low in brill:
        return brill[low], True, None
    return guess_unknown(w, unknown), False, None


def word_shape(w, initial, known):
    """The shape the shape templates test (as `Shape` in the tagger): d has
    an ASCII digit, U is all capitals (two characters or more), I and C
    start upper-case (I where the sentence or a quote opens), l starts
    lower-case, p otherwise; "?" appended for a word no lexicon knows."""
    if any("0" <= c <= "9" for c in w):
        s = "d"
    elif w[:1].isupper():
        s = "U" if len(w) > 1 and is_all_upper(w) else ("I" if initial else "C")
    elif w[:1].islower():
        s = "l"
    else:
        s = "p"
    return s if known else s + "?"


def initial_tags_shapes(words, ewt, brill, unknown, sets=None, allowed=None):
    """Each word's initial tag and shape; the tags each may take are
    appended to `allowed` when given."""
    tags, shapes = [], []
    for i, w in enumerate(words):
        initial = i == 0 or words[i - 1] in OPENERS
        tag, known, may = lookup(w, initial, ewt, brill, unknown, sets)
        tags.append(tag)
        shapes.append(word_shape(w, initial, known))
        if allowed is not None:
            allowed.append(may)
    return tags, shapes


def initial_tags(words, ewt, brill, unknown):
    return initial_tags_shapes(words, ewt, brill, unknown)[0]


# A form seen at most this often in EWT train is left out of the EWT
# lexicon when Brill's lexicon has it: one or two uses in a small treebank
# say less of a word's usual tag than Brill's larger lexicon does.
RARE = 2


# A form seen at least this often in EWT train has its tag set: the tags it
# has there, the only ones a contextual rule may give it. A form seen less
# often may take any tag (its few uses say too little of what it can be), and
# so may a form without a letter (punctuation tags follow conventions).
# 0 (the default): no tag sets, every word may take any tag.
MIN_SET = int(os.environ.get("POS_MIN_SET", "0"))
# The rules are learned with the tag sets of forms seen at least this often
# in the other nine tenths (jackknifed); 0 (the default): without sets.
# Learned with 3 and shipped with 8, the sets gave on EWT dev XPOS 0.9352
# (0.9353 without), roles F1 0.795 (0.793); on GUM dev 0.9448 (0.9433) and
# 0.785 (0.779); shipped with 3, 5, 12 or 20: EWT 0.9354, 0.9351, 0.9345,
# 0.9340, GUM 0.9440, 0.9447, 0.9443, 0.9433. They stay off: EWT train is
# too small a sample of news verbs (its set for "fund", "part" or "table"
# is NN alone, so "to fund the purchase" keeps "fund" a noun), and with the
# relearned rules 1.9% of the tags of bbc/business changed, as many for
# the worse as for the better ("Rosneft bought the unit" VBN, "the falls
# to excessive expectations" VB; "the economy grew" VBD, "ministers are
# meeting" VBG).
LEARN_MIN_SET = int(os.environ.get("POS_LEARN_MIN_SET", "0"))


def tag_sets(sents, lexicon, min_set=None):
    """Each frequent form of `lexicon` and the tags it has in `sents`."""
    min_set = MIN_SET if min_set is None else min_set
    if min_set <= 0:
        return {}
    lexc = collections.defaultdict(collections.Counter)
    for s in sents:
        for w, t in s:
            lexc[w][t] += 1
    return {
        w: frozenset(c)
        for w, c in lexc.items()
        if w in lexicon and sum(c.values()) >= min_set and any(ch.isalpha() for ch in w)
    }


def most_frequent(sents, brill):
    """Each form's most frequent tag, rare forms Brill knows left out."""
    lexc = collections.defaultdict(collections.Counter)
    for s in sents:
        for w, t in s:
            lexc[w][t] += 1
    return {
        w: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for w, c in lexc.items()
        if not (sum(c.values()) <= RARE and w in brill)
    }


class Corpus:
    """All sentences flattened: words (lower case), gold and current tags,
    and each position's sentence bounds."""

    def __init__(self, sents, tags, shapes, allowed=None):
        self.words, self.gold, self.tags, self.lo, self.hi = [], [], [], [], []
        self.forms = []
        self.shapes = [x for s in shapes for x in s]
        # The tags a contextual rule may give each position (None: any).
        self.allowed = allowed or [None] * len(self.shapes)
        for s, t in zip(sents, tags):
            lo = len(self.words)
            hi = lo + len(s)
            for w, g in s:
                # A space would split a rule argument: such a word matches no rule.
                self.forms.append(w.replace(" ", "\u00a0"))
                self.words.append(w.lower().replace(" ", "\u00a0"))
                self.gold.append(g)
                self.lo.append(lo)
                self.hi.append(hi)
            self.tags.extend(t)

    def tag(self, j, o):
        k = j + o
        return self.tags[k] if self.lo[j] <= k < self.hi[j] else BOUNDARY

    def word(self, j, o):
        k = j + o
        return self.words[k] if self.lo[j] <= k < self.hi[j] else BOUNDARY

    def shape(self, j, o):
        k = j + o
        return self.shapes[k] if self.lo[j] <= k < self.hi[j] else BOUNDARY

    def features(self, j, toffs, woffs, soffs):
        return (
            tuple(self.tag(j, o) for o in toffs)
            + tuple(self.word(j, o) for o in woffs)
            + tuple(self.shape(j, o) for o in soffs)
        )

    def contexts(self, j):
        """Every (template, args) instance true at position j."""
        out = []
        for name, kind, toffs, woffs, soffs in TEMPLATES:
            if kind == "anytag":
                for v in {self.tag(j, o) for o in toffs}:
                    out.append((name, (v,)))
            elif kind == "anywd":
                for v in {self.word(j, o) for o in woffs}:
                    out.append((name, (v,)))
            else:
                out.append((name, self.features(j, toffs, woffs, soffs)))
        return out

    def holds(self, ctx, j):
        name, args = ctx
        _, kind, toffs, woffs, soffs = TEMPLATE[name]
        if kind == "anytag":
            return any(self.tag(j, o) == args[0] for o in toffs)
        if kind == "anywd":
            return any(self.word(j, o) == args[0] for o in woffs)
        return self.features(j, toffs, woffs, soffs) == args

    def window(self, j, spelled=None):
        """The words within REACH of j with their current tags, `word/TAG`,
        the one at j in [[ ]]; None if a word would make that ambiguous.
        `spelled` gives other spellings of some positions."""
        out = []
        for k in range(max(self.lo[j], j - REACH), min(self.hi[j], j + REACH + 1)):
            form = (spelled or {}).get(k, self.forms[k])
            if not form or form.startswith("[[") or form.endswith("]]"):
                return None
            item = f"{form}/{self.tags[k]}"
            out.append(f"[[{item}]]" if k == j else item)
        return " ".join(out)


def learn_context(corpus, max_rules, min_gain):
    good = collections.Counter()  # (from, to, ctx): errors it would fix
    bad = collections.Counter()  # (from, ctx): correct tags it would break
    tos = collections.defaultdict(set)  # (from, ctx): the `to` tags of good
    by_tag = collections.defaultdict(set)
    touched = set()  # (from, ctx) whose counts changed since the last push

    bad_to = collections.Counter()  # (from, to, ctx): correct tags of words with tag sets it would break

    def count(j, sign):
        t, g, may = corpus.tags[j], corpus.gold[j], corpus.allowed[j]
        for c in corpus.contexts(j):
            if t != g:
                if may is None or g in may:
                    good[(t, g, c)] += sign
                    tos[(t, c)].add(g)
            elif may is None:
                bad[(t, c)] += sign
            else:
                for x in may:
                    if x != t:
                        bad_to[(t, x, c)] += sign
            touched.add((t, c))

    def score_of(k):
        return good[k] - bad[(k[0], k[2])] - bad_to[k]

    # The best rule is kept on a heap of (-score, repr, key) entries; an
    # entry is stale when its score is no longer the key's, and a fresh one
    # is pushed whenever a key's counts change. Ties go to the smaller repr.
    heap = []

    def push_touched():
        for frm, c in touched:
            for to in tos[(frm, c)]:
                k = (frm, to, c)
                score = score_of(k)
                if good[k] > 0 and score > 0:
                    heapq.heappush(heap, (-score, repr(k), k))
        touched.clear()

    def pop_best():
        while heap:
            neg, _, k = heap[0]
            if good[k] > 0 and score_of(k) == -neg:
                return -neg, k
            heapq.heappop(heap)
        return 0, None

    for j in range(len(corpus.tags)):
        count(j, 1)
        by_tag[corpus.tags[j]].add(j)
    push_touched()
    rules = []
    while len(rules) < max_rules:
        best, best_key = pop_best()
        if best_key is None or best < min_gain:
            break
        frm, to, ctx = best_key
        changed = []
        for j in sorted(by_tag[frm]):
            may = corpus.allowed[j]
            if corpus.tags[j] == frm and (may is None or to in may) and corpus.holds(ctx, j):
                changed.append(j)
                corpus.tags[j] = to
        affected = sorted(
            {k for j in changed for k in range(max(corpus.lo[j], j - REACH), min(corpus.hi[j], j + REACH + 1))}
        )
        for j in changed:
            corpus.tags[j] = frm
        for k in affected:
            count(k, -1)
        for j in changed:
            corpus.tags[j] = to
            by_tag[frm].discard(j)
            by_tag[to].add(j)
        for k in affected:
            count(k, 1)
        push_touched()
        rules.append((frm, to, ctx, best))
        print(f"{len(rules):4} {best:5} {frm} {to} {ctx[0]} {' '.join(ctx[1])}", file=sys.stderr, flush=True)
    return rules


def jackknifed_tags(sents, brill, unknown):
    """Initial tags, shapes and tag sets, each tenth with the lexicon of the rest."""
    tags, shapes, allowed = [None] * len(sents), [None] * len(sents), [None] * len(sents)
    for f in range(FOLDS):
        rest = [s for i, s in enumerate(sents) if i % FOLDS != f]
        lex = most_frequent(rest, brill)
        sets = tag_sets(rest, lex, LEARN_MIN_SET)
        for i in range(f, len(sents), FOLDS):
            allowed[i] = []
            tags[i], shapes[i] = initial_tags_shapes([w for w, _ in sents[i]], lex, brill, unknown, sets, allowed[i])
    return tags, shapes, allowed


# Made-up words no lexicon knows, one per shape: in an example, they stand
# for a word that was unknown when the rule was learned (jackknifed) but
# that the full lexicons know.
MADE_UP = {"l": "xqz", "C": "Xqz", "I": "Xqz", "U": "XQZ", "d": "0xqz", "p": "\u00a4\u00a4"}


def example_spellings(corpus, j, soffs, full_shapes):
    """The spellings under which the shapes a rule tests at j (offsets
    `soffs`) are, with the full lexicons, the jackknifed ones it saw: {}
    when they already are, a made-up word for each word that was unknown
    only to its fold; None when no spelling does."""
    spelled = {}
    for o in soffs:
        k = j + o
        if not corpus.lo[j] <= k < corpus.hi[j] or corpus.shapes[k] == full_shapes[k]:
            continue
        seen = corpus.shapes[k]
        if seen.endswith("?") and seen[:-1] == full_shapes[k]:
            spelled[k] = MADE_UP[seen[:-1]]
        else:
            return None
    return spelled


def context_examples(corpus, rules, full_shapes):
    """Replays `rules` (from, to, (template, args)) in order on the corpus's
    tags, left to right and in place as the tagger does, and gives each
    rule's example: the window of the first token it corrected, with the
    tags just before it changed, else (a hand-written rule) of the first
    token it changed; None if it changed none. The example is checked with
    the full lexicons (`full_shapes`): where a rule testing shapes saw a
    word unknown to its fold, the example spells it as a made-up word."""
    by_tag = collections.defaultdict(list)
    for j, t in enumerate(corpus.tags):
        by_tag[t].append(j)
    examples = []
    for frm, to, ctx in rules:
        fixed, changed = None, None
        soffs = TEMPLATE[ctx[0]][4]
        for j in by_tag[frm]:
            may = corpus.allowed[j]
            if corpus.tags[j] != frm or (may is not None and to not in may) or not corpus.holds(ctx, j):
                continue
            spelled = example_spellings(corpus, j, soffs, full_shapes)
            if spelled is not None and fixed is None and corpus.gold[j] == to:
                fixed = corpus.window(j, spelled)
            if spelled is not None and changed is None:
                changed = corpus.window(j, spelled)
            corpus.tags[j] = to
        examples.append(fixed or changed)
        moved = [j for j in by_tag[frm] if corpus.tags[j] == to]
        by_tag[frm] = [j for j in by_tag[frm] if corpus.tags[j] == frm]
        by_tag[to] = sorted(by_tag[to] + moved)
    return examples


def unknown_key(word, unknown):
    """The (shape, suffix) of the unknown-word rule that tags `word`."""
    sh = shape(word)
    low = word.lower()
    for k in range(min(5, len(low)), -1, -1):
        key = (sh, low[len(low) - k:] if k else "")
        if key in unknown:
            return key
    return None


def unknown_examples(sents, counts, unknown):
    """Each unknown-word rule's example: the first rare word (as the rules
    were learned from) that the rule tags, and rightly; else the first
    word of EWT train it tags rightly; else (no word of EWT train is
    tagged by it) a word made of the shape's mark and the suffix."""
    rare, common = {}, {}
    for sent in sents:
        for w, t in sent:
            if not any(c.isalnum() for c in w) or " " in w:
                continue
            key = unknown_key(w, unknown)
            if key is None or unknown[key] != t:
                continue
            target = rare if counts[w] <= 2 else common
            target.setdefault(key, w)
    out = {}
    for key in unknown:
        sh, suf = key
        made = {"d": "0", "C": "X", "l": "x"}[sh[0]] + ("-" if sh.endswith("h") and "-" not in suf else "") + suf
        made = made if unknown_key(made, unknown) == key else None
        out[key] = rare.get(key) or common.get(key) or made
    assert all(out.values()), "every unknown-word rule has an example"
    return out


HEADER = "# Derived from UD English EWT train (CC BY-SA 4.0) by rules/tools/learn_pos_rules.py.\n"


def write_lexicon(out, ewt, sets):
    with open(f"{out}/pos_lexicon_ewt.tsv", "w", encoding="utf-8") as f:
        if not sets:
            f.write(HEADER + "# word<TAB>most frequent Penn tag\n")
        else:
            f.write(HEADER + "# word<TAB>most frequent Penn tag[<TAB>every tag it has (space-separated)]\n")
            f.write(f"# The third column, for a form seen at least {MIN_SET} times: the only tags a\n")
            f.write("# contextual rule may give the word (without it, any tag).\n")
        for w in sorted(ewt):
            extra = "\t" + " ".join(sorted(sets[w])) if w in sets else ""
            f.write(f"{w}\t{ewt[w]}{extra}\n")


def write_unknown(out, unknown, examples):
    with open(f"{out}/pos_unknown.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER + "# shape<TAB>lower-case suffix (empty: any)<TAB>tag<TAB>example; longest suffix wins.\n")
        f.write("# shape: d has a digit, C starts upper-case, l otherwise; h: has a hyphen.\n")
        f.write("# example: a word of EWT train (rare where one exists) this row tags, and rightly;\n")
        f.write("# made of the shape's mark (0, X, x) and the suffix where EWT train has none.\n")
        for (sh, suf), t in sorted(unknown.items()):
            f.write(f"{sh}\t{suf}\t{t}\t{examples[(sh, suf)] or ''}\n")


def write_context(out, learned, max_rules, min_gain, examples):
    with open(f"{out}/pos_context.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER + "# from<TAB>to<TAB>template<TAB>args (space-separated)<TAB>gain<TAB>example; applied\n")
        f.write("# in order, left to right, in place. <S> is outside the sentence. gain: net gain on\n")
        f.write("# jackknifed train. example: the words around the first token of EWT train the\n")
        f.write("# rule corrected, word/TAG with the tags just before the rule ran, that token in [[ ]].\n")
        f.write(f"# The first {max_rules} learned rules (minimum gain {min_gain}).\n")
        rows = [(frm, to, ctx, score) for frm, to, ctx, score in learned]
        rows += [(frm, to, ctx, "hand") for frm, to, ctx, _ in HAND_RULES]
        for k, ((frm, to, (name, args), score), example) in enumerate(zip(rows, examples)):
            if k == len(learned):
                f.write("# Hand-written (HAND_RULES in the learner), not learned; gain \"hand\":\n")
            f.write(f"{frm}\t{to}\t{name}\t{' '.join(args)}\t{score}\t{example or ''}\n")


def read_rules(out):
    """The learned rules (with gains) and the unknown-word rules already in OUT_DIR."""
    learned = []
    for line in open(f"{out}/pos_context.tsv", encoding="utf-8"):
        if line.startswith("# Hand-written"):
            break
        if line.startswith("#") or not line.strip():
            continue
        frm, to, name, args, score = line.rstrip("\n").split("\t")[:5]
        learned.append((frm, to, (name, tuple(args.split(" "))), int(score)))
    unknown = {}
    for line in open(f"{out}/pos_unknown.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        sh, suf, t = line.rstrip("\n").split("\t")[:3]
        unknown[(sh, suf)] = t
    return learned, unknown


def read_rules_dir(d):
    """The EWT lexicon (tags and tag sets), unknown-word rules and
    contextual rules (learned and hand-written) in rules directory `d`."""
    ewt, sets, unknown, rules = {}, {}, {}, []
    for line in open(f"{d}/pos_lexicon_ewt.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        ewt[cols[0]] = cols[1]
        if len(cols) > 2 and cols[2]:
            sets[cols[0]] = frozenset(cols[2].split(" "))
    for line in open(f"{d}/pos_unknown.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        sh, suf, t = line.rstrip("\n").split("\t")[:3]
        unknown[(sh, suf)] = t
    for line in open(f"{d}/pos_context.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        frm, to, name, args = line.rstrip("\n").split("\t")[:4]
        rules.append((frm, to, (name, tuple(args.split(" ")))))
    return ewt, sets, unknown, rules


def evaluate(path, d, rows):
    """Prints the tagging accuracy on `path` with the rules in `d` and the
    most frequent confusions."""
    sents = list(read_conllu(path))
    brill = load_brill(f"{d}/brill_lexicon.txt")
    ewt, sets, unknown, rules = read_rules_dir(d)
    tags, shapes, allowed = [], [], []
    for s in sents:
        may = []
        t, sh = initial_tags_shapes([w for w, _ in s], ewt, brill, unknown, sets, may)
        tags.append(t)
        shapes.append(sh)
        allowed.extend(may)
    corpus = Corpus(sents, tags, shapes, allowed)
    initial = list(corpus.tags)
    context_examples(corpus, rules, corpus.shapes)
    pairs = list(zip(corpus.gold, corpus.tags, initial, corpus.shapes))
    errors = [(g, t, i, sh) for g, t, i, sh in pairs if g != t]
    print(f"XPOS accuracy {1 - len(errors) / len(pairs):.4f} ({len(errors)} errors in {len(pairs)} tokens)")
    kept = sum(t == i for _, t, i, _ in errors)
    unknown_errors = sum(sh.endswith("?") for _, _, _, sh in errors)
    print(f"errors keeping the lexicon's tag {kept}, on words no lexicon knows {unknown_errors}")
    for (g, t), n in collections.Counter((g, t) for g, t, _, _ in errors).most_common(rows):
        print(f"{g}\t{t}\t{n}")


def main():
    if sys.argv[1] == "--eval":
        evaluate(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 25)
        return
    backfill = sys.argv[1] == "--examples"
    args = sys.argv[2:] if backfill else sys.argv[1:]
    train, out = args[0], args[1]
    max_rules = int(args[2]) if len(args) > 2 else 1000
    min_gain = int(args[3]) if len(args) > 3 else 2
    sents = list(read_conllu(train))
    counts = collections.Counter(w for s in sents for w, _ in s)
    brill = load_brill(f"{out}/brill_lexicon.txt")
    ewt = most_frequent(sents, brill)
    sets = tag_sets(sents, ewt)
    if backfill:
        learned, unknown = read_rules(out)
    else:
        unknown = learn_unknown(sents, counts)
    initial, shapes, allowed = jackknifed_tags(sents, brill, unknown)
    allowed = [x for s in allowed for x in s]
    if not backfill:
        corpus = Corpus(sents, [list(t) for t in initial], shapes, allowed)
        errors = sum(t != g for t, g in zip(corpus.tags, corpus.gold))
        print(f"initial accuracy {1 - errors / len(corpus.tags):.4f}", file=sys.stderr)
        learned = learn_context(corpus, max_rules, min_gain)
        errors = sum(t != g for t, g in zip(corpus.tags, corpus.gold))
        print(f"final accuracy {1 - errors / len(corpus.tags):.4f}", file=sys.stderr)
        write_lexicon(out, ewt, sets)
    rules = [(frm, to, ctx) for frm, to, ctx, _ in learned]
    rules += [(frm, to, ctx) for frm, to, ctx, _ in HAND_RULES]
    full = [initial_tags_shapes([w for w, _ in s], ewt, brill, unknown)[1] for s in sents]
    examples = context_examples(Corpus(sents, initial, shapes, allowed), rules, [x for s in full for x in s])
    for k, (_, _, _, example) in enumerate(HAND_RULES, start=len(learned)):
        examples[k] = examples[k] or example
    write_unknown(out, unknown, unknown_examples(sents, counts, unknown))
    write_context(out, learned, max_rules, min_gain, examples)
    assert all(examples), "every contextual rule has an example"


if __name__ == "__main__":
    main()
