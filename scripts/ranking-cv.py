#!/usr/bin/env python3
"""Chooses graf's ranking constants by leave-one-collection-out cross-validation.

For every IR collection in ../shared/data/ir/ (or $GRAF_DATA_DIR/ir), the documents are indexed
once, then `graf eval` (plain search, no --expand) is run for every point of a small grid of
the two constants that are not textbook values: the article weight (share of the article's
BM25 in a passage's score) and the title boost. BM25's own k1 1.2 and b 0.75 stay Lucene's.

Each fold holds one collection out, picks the grid point with the best mean nDCG@10 on the
other collections (ties: the smaller article weight, then the title boost nearer 0.5), and
reports that point's nDCG@10 on the held-out collection next to Lucene BM25's. The default is
then the point with the best mean over all collections, and the script says whether the folds
agreed with it, and repeats the folds with the title boost fixed at 0.5 (graf's default:
with 1.0, --expand falls below Lucene + RM3 on cisi; see README).

Usage: scripts/ranking-cv.py [--graf PATH] [--quick]
  --graf   the graf binary (default: target/release/graf, built if missing)
  --quick  a 3 x 2 grid, to check the script itself
Prints the grid, the folds and the chosen values; takes a few minutes on 2 cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("GRAF_DATA_DIR", ROOT.parent / "shared" / "data")) / "ir"

# Collections with their `graf eval` options and Lucene BM25 nDCG@10 (k1 1.2, b 0.75;
# ../shared/data/README.md).
COLLECTIONS = {
    "cisi": ([], 0.385),
    "cran": (["--inverted-grades", "4"], 0.356),
    "med": ([], 0.690),
    "scifact": ([], 0.683),
}

ARTICLE_WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
TITLE_BOOSTS = [0.5, 1.0]
DEFAULT_TITLE_BOOST = 0.5


def graf_eval(graf, name, index, extra):
    coll = DATA / name
    options, _ = COLLECTIONS[name]
    command = [graf, "eval", str(coll / "queries.jsonl"), str(coll / "qrels.txt"),
               "--index", str(index), "--json", *options, *extra]
    env = dict(os.environ, HOME=str(index.parent))
    env.pop("GRAF_COMPANIES", None)
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


def sweep(graf, workdir, weights, boosts):
    """{collection: {(weight, boost): report}}"""
    results = {}
    for name in COLLECTIONS:
        index = workdir / name
        # --ingest with --index builds the index there and keeps it for the runs below.
        graf_eval(graf, name, index, ["--ingest", str(DATA / name / "docs.jsonl")])
        results[name] = {}
        for weight in weights:
            for boost in boosts:
                report = graf_eval(graf, name, index, [
                    "--article-weight", str(weight), "--title-boost", str(boost)])
                results[name][(weight, boost)] = report
                print(f"  {name:8} w={weight:.2f} title={boost:.2f}  "
                      f"nDCG@10 {report['ndcg_at_10']:.4f}  MAP {report['map']:.4f}  "
                      f"R@100 {report['recall_at_100']:.4f}", file=sys.stderr)
    return results


def best(results, names):
    """The grid point with the best mean nDCG@10 over `names`."""
    points = results[names[0]].keys()

    def key(point):
        mean = sum(results[n][point]["ndcg_at_10"] for n in names) / len(names)
        weight, boost = point
        # Rounded so that differences below 0.0005 count as ties, settled by simplicity.
        return (round(mean, 4), -weight, -abs(boost - DEFAULT_TITLE_BOOST))

    return max(points, key=key)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graf", default=str(ROOT / "target" / "release" / "graf"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"ranking-cv: {DATA} not found: nothing to do", file=sys.stderr)
        return 0
    if not Path(args.graf).is_file():
        subprocess.run(["cargo", "build", "--release", "--bin", "graf"], cwd=ROOT, check=True)
    weights, boosts = ARTICLE_WEIGHTS, TITLE_BOOSTS
    if args.quick:
        weights, boosts = [0.0, 0.3, 0.6], [0.5, 1.0]
    with tempfile.TemporaryDirectory(prefix="graf-cv-") as tmp:
        results = sweep(args.graf, Path(tmp), weights, boosts)
    names = list(COLLECTIONS)

    print("nDCG@10 over the grid (rows: article weight; columns: title boost)")
    for name in names:
        print(f"\n{name} (Lucene BM25 {COLLECTIONS[name][1]:.3f})")
        print("weight " + "".join(f"  title {b:<5}" for b in boosts))
        for weight in weights:
            cells = "".join(f"  {results[name][(weight, b)]['ndcg_at_10']:.4f}     "
                            for b in boosts)
            print(f"{weight:<6.2f}{cells}")

    print("\nLeave-one-collection-out folds")
    print("held out  chosen (weight, title)  held-out nDCG@10  Lucene BM25  margin")
    for held_out in names:
        training = [n for n in names if n != held_out]
        point = best(results, training)
        score = results[held_out][point]["ndcg_at_10"]
        lucene = COLLECTIONS[held_out][1]
        print(f"{held_out:9} ({point[0]:.2f}, {point[1]:.2f})           {score:.4f}"
              f"            {lucene:.3f}        {score - lucene:+.4f}")

    print(f"\nThe same folds with the title boost fixed at {DEFAULT_TITLE_BOOST}"
          " (the value --expand needs)")
    fixed = {n: {p: r for p, r in results[n].items() if p[1] == DEFAULT_TITLE_BOOST}
             for n in names}
    for held_out in names:
        point = best(fixed, [n for n in names if n != held_out])
        score = results[held_out][point]["ndcg_at_10"]
        print(f"{held_out:9} weight {point[0]:.2f}  held-out nDCG@10 {score:.4f}"
              f"  Lucene BM25 {COLLECTIONS[held_out][1]:.3f}")
    point = best(fixed, names)
    print(f"best at title boost {DEFAULT_TITLE_BOOST} on all collections: weight {point[0]}")

    chosen = best(results, names)
    folds = sum(best(results, [n for n in names if n != h]) == chosen for h in names)
    print(f"\nchosen on all collections: article weight {chosen[0]}, title boost {chosen[1]}"
          f" ({folds} of {len(names)} folds chose the same)")
    print("collection  nDCG@10  MAP     Recall@100  (chosen values)")
    for name in names:
        report = results[name][chosen]
        print(f"{name:11} {report['ndcg_at_10']:.4f}   {report['map']:.4f}  "
              f"{report['recall_at_100']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
