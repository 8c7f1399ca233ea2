#!/usr/bin/env python3
"""Learns the part-of-speech data under rules/clauses/ from UD English EWT train.

Writes (all derived from UD English EWT, CC BY-SA 4.0):
  pos_lexicon_ewt.tsv   word -> most frequent XPOS tag in EWT train
  pos_unknown.tsv       suffix rules for words in no lexicon (shape, suffix, tag)
  pos_context.tsv       Brill contextual transformations, learned greedily

The initial tagger simulated here is the one in src/clauses/tagger.rs
(lexicon, then the Brill lexicon of rules/clauses/brill_lexicon.txt, then the
unknown-word rules); the contextual rules are learned on top of it with the
same left-to-right, in-place application. Keep both in step.

Usage: learn_pos_rules.py EWT_TRAIN.conllu OUT_DIR [MAX_RULES [SECONDS]]

Learning stops after MAX_RULES rules, at a gain below 4, or after SECONDS
(default: no limit); the shipped file was made with MAX_RULES 33.
After the learned rules come HAND_RULES, written by hand (marked so).
"""
import collections
import sys
import time

BOUNDARY = "<S>"
OPENERS = {"``", "-LRB-", ":", '"', "'", "(", "[", "“", "‘"}
# Templates: name -> (tag offsets, word offsets).
TEMPLATES = [
    ("PREVTAG", (-1,), ()),
    ("NEXTTAG", (1,), ()),
    ("PREV2TAG", (-2,), ()),
    ("NEXT2TAG", (2,), ()),
    ("SURROUNDTAG", (-1, 1), ()),
    ("PREVBIGRAM", (-2, -1), ()),
    ("NEXTBIGRAM", (1, 2), ()),
    ("PREVWD", (), (-1,)),
    ("NEXTWD", (), (1,)),
    ("CURWD", (), (0,)),
    ("WDPREVTAG", (-1,), (0,)),
    ("WDNEXTTAG", (1,), (0,)),
    ("PREV1OR2TAG", "or", (-1, -2)),
    ("NEXT1OR2TAG", "or", (1, 2)),
]


# Hand-written transformations, appended after the learned ones: an opening
# quote right after a noun is a possessive apostrophe ("Wales' team"), and a
# noun after a modal and an adverb is a verb ("would not appeal").
HAND_RULES = [
    ("``", "POS", ("WDPREVTAG", ("NNP", "'"))),
    ("``", "POS", ("WDPREVTAG", ("NNPS", "'"))),
    ("``", "POS", ("WDPREVTAG", ("NNS", "'"))),
    ("``", "POS", ("WDPREVTAG", ("NNP", "’"))),
    ("``", "POS", ("WDPREVTAG", ("NNS", "’"))),
    ("NN", "VB", ("PREVBIGRAM", ("MD", "RB"))),
    ("NN", "VB", ("PREVBIGRAM", ("TO", "RB"))),
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
    sh = shape(word)
    low = word.lower()
    for k in range(min(5, len(low)), -1, -1):
        key = (sh, low[len(low) - k:] if k else "")
        if key in unknown:
            return unknown[key]
    return "NN"


def initial_tags(words, ewt, brill, unknown):
    tags = []
    for i, w in enumerate(words):
        tags.append(lookup(w, i == 0 or words[i - 1] in OPENERS, ewt, brill, unknown))
    return tags


def lookup(w, initial, ewt, brill, unknown):
    lowered_ok = initial or w.isupper()
    low = w.lower()
    for lex in (ewt, brill):
        if w in lex:
            return lex[w]
        if lowered_ok and low in lex:
            return lex[low]
    return guess_unknown(w, unknown)


def tag_at(tags, i):
    return tags[i] if 0 <= i < len(tags) else BOUNDARY


def word_at(words, i):
    return words[i].lower() if 0 <= i < len(words) else BOUNDARY


def contexts(words, tags, i):
    """Every (template, args) instance true at position i."""
    out = []
    for name, toffs, woffs in TEMPLATES:
        if toffs == "or":
            for o in woffs:
                out.append((name, (tag_at(tags, i + o),)))
            continue
        args = tuple(tag_at(tags, i + o) for o in toffs) + tuple(word_at(words, i + o) for o in woffs)
        out.append((name, args))
    return out


def holds(rule, words, tags, i):
    name, args = rule
    for n, toffs, woffs in TEMPLATES:
        if n != name:
            continue
        if toffs == "or":
            return any(tag_at(tags, i + o) == args[0] for o in woffs)
        got = tuple(tag_at(tags, i + o) for o in toffs) + tuple(word_at(words, i + o) for o in woffs)
        return got == args
    raise ValueError(name)


def learn_context(data, max_rules, deadline):
    rules = []
    while len(rules) < max_rules and time.time() < deadline:
        err = collections.Counter()
        for words, gold, tags in data:
            for i, t in enumerate(tags):
                if t != gold[i]:
                    for c in contexts(words, tags, i):
                        err[(t, gold[i], c)] += 1
        if not err:
            break
        cands = [k for k, v in err.most_common(400)]
        froms = {k[0] for k in cands}
        ctxset = {(k[0], k[2]) for k in cands}
        good_cnt = collections.Counter()
        for words, gold, tags in data:
            for i, t in enumerate(tags):
                if t == gold[i] and t in froms:
                    for c in contexts(words, tags, i):
                        if (t, c) in ctxset:
                            good_cnt[(t, c)] += 1
        scored = sorted(
            ((err[k] - good_cnt[(k[0], k[2])], k) for k in cands),
            key=lambda x: (-x[0], repr(x[1])),
        )
        score, (frm, to, ctx) = scored[0]
        if score < 4:
            break
        rules.append((frm, to, ctx, score))
        print(f"{len(rules):4} {score:5} {frm} {to} {ctx[0]} {' '.join(ctx[1])}", file=sys.stderr)
        for words, gold, tags in data:
            for i in range(len(tags)):
                if tags[i] == frm and holds(ctx, words, tags, i):
                    tags[i] = to
    return rules


def main():
    train, out = sys.argv[1], sys.argv[2]
    max_rules = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else float("inf")
    sents = list(read_conllu(train))
    counts = collections.Counter(w for s in sents for w, _ in s)
    lexc = collections.defaultdict(collections.Counter)
    for s in sents:
        for w, t in s:
            lexc[w][t] += 1
    ewt = {w: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for w, c in lexc.items()}
    brill = load_brill(f"{out}/brill_lexicon.txt")
    unknown = learn_unknown(sents, counts)
    data = []
    for s in sents:
        words = [w for w, _ in s]
        data.append((words, [t for _, t in s], initial_tags(words, ewt, brill, unknown)))
    rules = learn_context(data, max_rules, time.time() + seconds)
    header = "# Derived from UD English EWT train (CC BY-SA 4.0) by rules/tools/learn_pos_rules.py.\n"
    with open(f"{out}/pos_lexicon_ewt.tsv", "w", encoding="utf-8") as f:
        f.write(header + "# word<TAB>most frequent Penn tag\n")
        for w in sorted(ewt):
            f.write(f"{w}\t{ewt[w]}\n")
    with open(f"{out}/pos_unknown.tsv", "w", encoding="utf-8") as f:
        f.write(header + "# shape<TAB>lower-case suffix (empty: any)<TAB>tag; longest suffix wins.\n")
        f.write("# shape: d has a digit, C starts upper-case, l otherwise; h: has a hyphen.\n")
        for (sh, suf), t in sorted(unknown.items()):
            f.write(f"{sh}\t{suf}\t{t}\n")
    with open(f"{out}/pos_context.tsv", "w", encoding="utf-8") as f:
        f.write(header + "# from<TAB>to<TAB>template<TAB>args (space-separated); applied in order,\n")
        f.write("# left to right, in place. <S> is outside the sentence. Last column: net gain on train.\n")
        for frm, to, (name, args), score in rules:
            f.write(f"{frm}\t{to}\t{name}\t{' '.join(args)}\t{score}\n")
        f.write("# Hand-written (HAND_RULES in the learner), not learned:\n")
        for frm, to, (name, args) in HAND_RULES:
            f.write(f"{frm}\t{to}\t{name}\t{' '.join(args)}\n")


if __name__ == "__main__":
    main()
