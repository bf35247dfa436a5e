#!/usr/bin/env python3
"""Builds data/company-ambiguity.tsv: which built-in company names have another meaning in
general English, decided with data rather than by hand.

A name form (canonical name or alias of data/companies.toml, one word) is ambiguous when it
occurs, as a whole word written the same way or in lower case, at least MIN_COUNT times in a
corpus of general English that predates the companies: the Project Gutenberg sample of
19th- and early-20th-century books (public domain in the US), without the notes their
digitisers added. Modern firms (Microsoft,
Nvidia) never occur there; names that are words, myths, works, places or people (Apple,
Iliad, Olympus, Amazon, Hilton, Linde) do. The file records counts only, no text.

Two more kinds of name are ambiguous whatever that sample holds, as the people and phrases of
another book are not those of the sample:
- a person's name: a one-word form (not in capitals) that is a surname or given name of the
  US Census 1990 lists (public domain, taken from the `names` package on PyPI, MIT):
  "Halliburton", "Ferrero", "Goldman", "McKesson"; and a two-word form made of a given name
  and a surname ("Grant Thornton", "Morgan Stanley");
- a phrase of common words ("Red Bull", "Red Hat", "Gold Fields"), every word of it common
  (see COMMON_MIN_LOWER);
- a name in capitals that is a common word in lower case ("SAP", "SEAT"): headings and
  index entries shout ordinary words ("SAP, ascent of the").
The `why` column says which rule flagged a form.

Usage: scripts/company-ambiguity.py [../shared/data/gutenberg/sample.jsonl.gz]
"""
import collections
import gzip
import subprocess
import tarfile
import json
import os
import re
import sys
import tomllib
import unicodedata

MIN_COUNT = 3
# The Census name lists, from this PyPI package (public-domain data, MIT-licensed package).
CENSUS_PACKAGE = "names==0.3.0"
CENSUS_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "census-names")
# A word is common when its lower-case form occurs at least this often, and more often than
# its capitalised form: "bay", "library", "fog" (not "Chinese", "Psyche").
COMMON_MIN_LOWER = 100
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "../shared/data/gutenberg/sample.jsonl.gz")
# Paragraphs the digitisers added (transcriber's notes, "E-text prepared by ... from page
# images ... Google Books"): modern text that names modern firms, so not counted.
MODERN_NOTE = re.compile(r"https?://|www\.|E-text|Transcriber|Distributed Proofread|"
                         r"Project Gutenberg|Internet Archive|page images", re.IGNORECASE)
WORD = re.compile(r"[\w][\w&'’.-]*[\w]|[\w]")

def forms(entry, phrases=False):
    """The entry's names and aliases that are not weak already: one-word forms, or all with
    `phrases`."""
    weak = set(entry.get("weak_aliases", []))
    for name in [entry["name"], *entry.get("aliases", [])]:
        if name not in weak and (phrases or " " not in name.strip()):
            yield name.strip()

def fold(form):
    """"Hermès" -> "Hermes": the tagger matches both spellings."""
    return "".join(c for c in unicodedata.normalize("NFD", form) if not unicodedata.combining(c))

def relevant(form, counts):
    """Occurrences that the tagger could take for the form: as written (or unaccented), and in
    lower case unless the form is in capitals (an acronym matches only in capitals)."""
    spellings = {form, fold(form)}
    total = sum(counts[s] for s in spellings)
    if not form.isupper():
        total += sum(counts[s.lower()] for s in spellings if s.lower() != s)
    return total

def census_names():
    """Surnames and given names (upper case) of the Census 1990 lists in the `names` package
    (downloaded once into target/). Every name counts: the lists hold names borne by about a
    hundred people or more, and a novel's players and clerks have rare surnames too."""
    folder = os.path.join(CENSUS_CACHE, "names-0.3.0", "names")
    if not os.path.isdir(folder):
        os.makedirs(CENSUS_CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        ":all:", "-d", CENSUS_CACHE, CENSUS_PACKAGE], check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(os.path.join(CENSUS_CACHE, "names-0.3.0.tar.gz")) as archive:
            archive.extractall(CENSUS_CACHE, filter="data")
    def read(name):
        with open(os.path.join(folder, name), encoding="ascii") as f:
            rows = (line.split() for line in f)
            return {row[0] for row in rows if row}
    given = read("dist.male.first") | read("dist.female.first")
    return read("dist.all.last"), given

def person_name(form, surnames, given):
    """"Halliburton", "Goldman", "Lowe's", "Grant Thornton": a name people bear. A form in
    capitals is an acronym ("ING", "NAB"), not a name."""
    if form.isupper():
        return False
    words = re.sub(r"['’]s$", "", form).upper().split()
    if len(words) == 1:
        return words[0] in surnames or words[0] in given
    return len(words) == 2 and words[0] in given and words[1] in surnames

# Words that make a phrase a firm's name whatever its other words ("Standard Bank", "Sun Life
# Financial", "Live Nation Entertainment"): such a phrase is not one of ordinary prose.
FIRM_WORDS = {
    "bank", "financial", "group", "energy", "capital", "partners", "entertainment", "games",
    "services", "communications", "motor", "motors", "securities", "company", "companies",
    "health", "systems", "music", "pictures", "news", "products", "materials", "fund", "steel",
    "copper", "equity", "mutual", "trust", "rail", "medical", "sciences", "electric", "corps",
    "solar", "insurance", "airlines", "airways", "pharmaceuticals", "industries", "technologies",
}

def common_phrase(form, common):
    """"Red Bull", "Gold Fields": every word of a phrase of two or more is common, and none
    names a kind of firm."""
    words = form.lower().split()
    return (len(words) >= 2 and all(w in common for w in words)
            and not any(w in FIRM_WORDS for w in words))

def main():
    with open(os.path.join(ROOT, "data/companies.toml"), "rb") as f:
        entries = tomllib.load(f)["company"]
    wanted = {form for e in entries for form in forms(e)}
    wanted |= {fold(w) for w in wanted}
    wanted |= {w.lower() for w in wanted}
    counts = collections.Counter()
    every = collections.Counter()
    words = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            text = "\n\n".join(p for p in json.loads(line)["text"].split("\n\n")
                                 if not MODERN_NOTE.search(p))
            tokens = WORD.findall(text)
            words += len(tokens)
            every.update(t for t in tokens if t.isalpha())
            for token in tokens:
                token = token.rstrip(".")
                if token in wanted:
                    counts[token] += 1
    out = os.path.join(ROOT, "data/company-ambiguity.tsv")
    common = sorted(w for w, n in every.items()
                    if w.islower() and n >= COMMON_MIN_LOWER and n > every[w.capitalize()])
    common_set = set(common)
    surnames, given = census_names()
    rows = []
    for form in sorted({f for e in entries for f in forms(e, phrases=True)}):
        if " " not in form and relevant(form, counts) >= MIN_COUNT:
            why = "word"
        elif person_name(form, surnames, given):
            why = "person"
        elif common_phrase(form, common_set):
            why = "phrase"
        elif form.isupper() and form.lower() in common_set:
            why = "shouted"
        else:
            continue
        as_written = counts[form] + counts[fold(form)] * (fold(form) != form)
        lower = counts[fold(form).lower()] if fold(form).lower() != fold(form) else 0
        rows.append(f"{form}\t{as_written}\t{lower}\t{why}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Built-in company names that occur in general English text (generated by\n")
        f.write("# scripts/company-ambiguity.py; do not edit). Counts of the form as written and in\n")
        f.write(f"# lower case, whole words, in the Project Gutenberg sample ({words} words, public\n")
        f.write(f"# domain books). A form listed here (>= {MIN_COUNT} occurrences) counts as a company only\n")
        f.write("# with evidence: a legal suffix, a company cue nearby, or an unambiguous name of the\n")
        f.write("# same company earlier in the article. why: word (that count), person (a surname or\n")
        f.write("# given name of the US Census 1990 lists), phrase (all words common; phrases are\n")
        f.write("# not counted: 0), shouted (in capitals, a common word in lower case).\n")
        f.write("# form\tas_written\tlower_case\twhy\n")
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(ROOT, "data/common-words.txt"), "w", encoding="utf-8") as f:
        f.write("# Common English words (generated by scripts/company-ambiguity.py; do not edit):\n")
        f.write(f"# lower case at least {COMMON_MIN_LOWER} times, and more often than capitalised, in the\n")
        f.write("# Project Gutenberg sample. A name made only of such words (\"Fog Bank\", \"Bay\n")
        f.write("# Company\") needs business talk in the article to count.\n")
        f.write("\n".join(common) + "\n")
    print(f"{len(common)} common words")
    print(f"{len(rows)} ambiguous forms of {len(wanted) // 1} looked up, {words} words read -> {out}")

if __name__ == "__main__":
    main()
