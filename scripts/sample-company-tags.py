#!/usr/bin/env python3
"""Draws and scores a seeded random sample of the company tags graf gives a corpus.

  scripts/sample-company-tags.py draw [--seed 20] [--size 200] [CORPUS]  > /tmp/sample.jsonl
      tags CORPUS (default ../shared/data/gutenberg/sample.jsonl.gz) with
      `cargo run --release --example company_tags`, prints how many tags and names there
      are, then writes the sample (article_id, paragraph, company, text) to stdout for
      reading. Keep it outside the repository: it holds third-party text.
  scripts/sample-company-tags.py score LABELS
      LABELS: JSON lines {"article_id", "paragraph", "company", "label": "yes"|"no"|"unsure",
      "note"} (no passage text: data/company-tags-gutenberg-labels.jsonl is one); prints the
      precision yes / (yes + no) with a 95% Wilson interval.
  scripts/sample-company-tags.py rescore LABELS [CORPUS]
      tags CORPUS again with the current code and scores the labels whose tag is still
      given. Valid only after changes that remove tags and add none (compare the tag lists
      before and after): a uniform sample of a set, cut to the tags that survive, is a
      uniform sample of those.
"""
import json
import math
import os
import random
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


DEFAULT_CORPUS = os.path.join(ROOT, "../shared/data/gutenberg/sample.jsonl.gz")


def tag_corpus(corpus):
    """Every tag the current code gives `corpus` (see examples/company_tags.rs)."""
    run = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "company_tags", "--", corpus],
        cwd=ROOT, stdout=subprocess.PIPE, check=True, text=True)
    tags = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    names = {t["company"] for t in tags}
    print(f"{len(tags)} tags under {len(names)} names", file=sys.stderr)
    return tags


def key(row):
    return (row["article_id"], row["paragraph"], row["company"])


def draw(args):
    seed, size, corpus = 20, 200, DEFAULT_CORPUS
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--seed":
            seed = int(rest.pop(0))
        elif arg == "--size":
            size = int(rest.pop(0))
        else:
            corpus = arg
    tags = tag_corpus(corpus)
    sample = random.Random(seed).sample(tags, min(size, len(tags)))
    for row in sample:
        print(json.dumps(row, ensure_ascii=False))


def rescore(path, corpus=DEFAULT_CORPUS):
    labels = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    given = {key(t) for t in tag_corpus(corpus)}
    kept = [label for label in labels if key(label) in given]
    print(f"{len(labels) - len(kept)} of {len(labels)} labelled tags are no longer given")
    score_labels(kept)


def score(path):
    labels = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    score_labels(labels)


def score_labels(labels):
    yes = sum(1 for l in labels if l["label"] == "yes")
    no = sum(1 for l in labels if l["label"] == "no")
    unsure = len(labels) - yes - no
    n = yes + no
    p = yes / n if n else 1.0
    z = 1.96
    centre = (p + z * z / (2 * n)) / (1 + z * z / n) if n else 1.0
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n) if n else 0.0
    print(f"{len(labels)} tags: {yes} yes, {no} no, {unsure} unsure; precision {p:.3f} "
          f"(95% interval {centre - half:.2f}-{centre + half:.2f})")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "draw":
        draw(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "score":
        score(sys.argv[2])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "rescore":
        rescore(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
