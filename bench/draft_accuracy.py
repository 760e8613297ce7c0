"""How well `draft` turns news reports into itineraries, on the development set in
bench/articles/ (16 short reports written for this benchmark, each with its gold itinerary in
gold.json; the rules were improved while looking at it, so it flatters), on a held-out set in
bench/articles/holdout/ (5 reports written after the first rules were set; their first-look
figures are in the notes, later general fixes were made after seeing them) and bench/articles/holdout-2/
(10 reports written before the drafter was run on them; first look in the notes, then rules were
generalised from its failures) and bench/articles/holdout-3/ (8 reports written after that round,
the unseen figure at its first look) and on the seed report (../shared/seed, when present; its expected itinerary is the
one the issue states).

    python3 bench/draft_accuracy.py [--verbose]

A drafted stop is right when its country is the gold stop's country and its place agrees (the
same name after normalisation, the same gazetteer point within 50 km, or one of them is the
country itself). Prints stop precision, recall and F1; order accuracy (of the right stops, the
share of consecutive pairs in the gold order); date accuracy (of the right stops whose date the
gold states, the share drafted with that date, not inferred); and the same for a baseline that
lists every place the text names, in order. Also the time per article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ARTICLES = REPO / "bench" / "articles"
SEED = REPO.parent / "shared" / "seed" / "carney-europe-trip-report.txt"
SEED_GOLD = {"file": str(SEED), "published": "2025-08-25", "leader": "Mark Carney", "stops": [
    {"place": "Kyiv", "country": "UA", "date": "2025-08-24"}, {"place": "Warsaw", "country": "PL", "date": "2025-08-25"},
    {"place": "Germany", "country": "DE", "date": None}, {"place": "Latvia", "country": "LV", "date": "2025-08-27"}]}


def same_place(drafted: dict, gold: dict, gazetteer) -> bool:
    from dashboard.geocoding.gazetteer import km
    from dashboard.placenames import key

    if drafted["country"] != gold["country"]:
        return False
    if key(drafted["place"]) == key(gold["place"]):
        return True
    gold_is_country = key(gazetteer.country_name(gold["country"])) == key(gold["place"])
    drafted_is_country = key(gazetteer.country_name(drafted["country"])) == key(drafted["place"])
    if gold_is_country or drafted_is_country:
        return True
    a, b = gazetteer.geocode(drafted["place"], country=drafted["country"]), gazetteer.geocode(gold["place"], country=gold["country"])
    return bool(a and b and km(a.latitude, a.longitude, b.latitude, b.longitude) <= 50)


def score(drafted: list[dict], gold: list[dict], gazetteer) -> dict:
    matched = []  # (drafted index, gold index)
    used = set()
    for i, stop in enumerate(drafted):
        for j, expected in enumerate(gold):
            if j not in used and same_place(stop, expected, gazetteer):
                matched.append((i, j))
                used.add(j)
                break
    pairs = list(zip(matched, matched[1:]))
    in_order = sum(1 for (_, a), (_, b) in pairs if a < b)
    dated = [(i, j) for i, j in matched if gold[j]["date"]]
    right_dates = sum(1 for i, j in dated if drafted[i].get("date") == gold[j]["date"] and not drafted[i].get("date_inferred"))
    return {"right": len(matched), "drafted": len(drafted), "gold": len(gold), "pairs": len(pairs), "in_order": in_order,
            "dated": len(dated), "right_dates": right_dates, "stated_dates": sum(1 for g in gold if g["date"])}


def draft_stops(text: str, published: date, gazetteer) -> list[dict]:
    from dashboard.sources.article import draft_article

    draft = draft_article(text, published, gazetteer)
    return [{"place": s.place, "country": s.country_code, "date": s.day.isoformat() if s.day else None,
             "date_inferred": "arrive" in s.inferred} for s in draft.stops]


def baseline_stops(text: str, gazetteer) -> list[dict]:
    """Every place the text names, in order, once each: what a naive tool would map."""
    import re

    out, seen = [], set()
    for match in re.finditer(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", text):
        found = gazetteer.geocode(match.group(0).rstrip("."))
        if found is None or found.raw["match"] not in ("exact", "alternate name"):
            continue
        place = (found.raw["matched_name"], found.raw["country_code"])
        if place not in seen:
            seen.add(place)
            out.append({"place": place[0], "country": place[1], "date": None})
    return out


def totals(results: list[dict]) -> str:
    right = sum(r["right"] for r in results)
    drafted = sum(r["drafted"] for r in results)
    gold = sum(r["gold"] for r in results)
    precision = right / drafted if drafted else 0.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pairs = sum(r["pairs"] for r in results)
    order = sum(r["in_order"] for r in results) / pairs if pairs else 0.0
    stated = sum(r["stated_dates"] for r in results)
    dates = sum(r["right_dates"] for r in results) / stated if stated else 0.0
    return (f"stops P {precision:.1%} R {recall:.1%} F1 {f1:.1%} ({right}/{drafted} drafted right, {gold} gold); "
            f"order {order:.1%} of {pairs} pairs; stated dates right {dates:.1%} of {stated}")


def article_sets() -> dict[str, list[dict]]:
    """Each set's articles with their gold itineraries (file paths made absolute)."""
    gold_set = json.loads((ARTICLES / "gold.json").read_text(encoding="utf-8"))["articles"]
    sets = {"development set": [dict(g, file=str(ARTICLES / g["file"])) for g in gold_set]}
    for folder, label in (("holdout", "held-out set 1"), ("holdout-2", "held-out set 2"), ("holdout-3", "held-out set 3"),
                          ("holdout-4", "held-out set 4"), ("holdout-5", "held-out set 5")):
        held_out = json.loads((ARTICLES / folder / "gold.json").read_text(encoding="utf-8"))["articles"]
        sets[label] = [dict(g, file=str(ARTICLES / folder / g["file"])) for g in held_out]
    if SEED.exists():
        sets["seed report"] = [SEED_GOLD]
    return sets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    from dashboard.geocoding import Gazetteer

    gazetteer = Gazetteer(progress=True)
    for label, articles in article_sets().items():
        ours, base, seconds = [], [], []
        for article in articles:
            text = Path(article["file"]).read_text(encoding="utf-8")
            published = date.fromisoformat(article["published"])
            started = time.perf_counter()
            drafted = draft_stops(text, published, gazetteer)
            seconds.append(time.perf_counter() - started)
            ours.append(score(drafted, article["stops"], gazetteer))
            base.append(score(baseline_stops(text, gazetteer), article["stops"], gazetteer))
            if args.verbose:
                print(f"  {Path(article['file']).name}: " + "; ".join(
                    f"{s['place']} ({s['country']}) {s['date'] or '-'}{'*' if s['date_inferred'] else ''}" for s in drafted))
        print(f"{label} ({len(articles)} articles, {sum(len(Path(a['file']).read_text().split()) for a in articles):,} words)")
        print(f"  draft:    {totals(ours)}")
        print(f"  baseline: {totals(base)}")
        print(f"  time per article: mean {1000 * sum(seconds) / len(seconds):.0f} ms, max {1000 * max(seconds):.0f} ms "
              "(gazetteer open, warm)")
    if SEED.exists():
        import statistics
        import subprocess
        import tempfile

        with tempfile.TemporaryDirectory() as work:
            article = Path(work) / "long.txt"
            article.write_text(SEED.read_text(encoding="utf-8") * 2, encoding="utf-8")
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "dashboard", "draft", str(article), "--published", "2025-08-25",
                                "-o", str(Path(work) / "out.json")], cwd=REPO, check=True, capture_output=True)
                runs.append(time.perf_counter() - started)
        print(f"draft command on a {len(article.read_text().split()) if article.exists() else 1054:,}-word article "
              f"(the seed twice), process start included: median {statistics.median(runs):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
