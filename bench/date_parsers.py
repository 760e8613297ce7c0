"""Our date rules against dateparser, the library the issue suggests, on the same job: the
drafter run over every article set with its date function swapped, scored like
bench/draft_accuracy.py (stated dates right), plus a battery of date expressions with fixed
publication dates and the answer a reader would give.

    pip install dateparser==1.5.0   # only for this benchmark; the project does not need it
    python3 bench/date_parsers.py
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

# (text after or around the place, tense, publication date, expected ISO date or None)
EXPRESSIONS = [
    ("on Monday", "past", date(2025, 8, 27), "2025-08-25"),
    ("on Monday", "future", date(2025, 8, 27), "2025-09-01"),
    ("on Wednesday", "future", date(2025, 8, 25), "2025-08-27"),
    ("on Sunday, the president said", "past", date(2025, 8, 25), "2025-08-24"),
    ("on February 26", "past", date(2009, 3, 1), "2009-02-26"),
    ("on 14 May", "future", date(2024, 5, 10), "2024-05-14"),
    ("on Thursday, July 13, and held talks", "past", date(2023, 7, 15), "2023-07-13"),
    ("from Thursday, June 13", "future", date(2024, 6, 12), "2024-06-13"),
    ("on the 20th", "future", date(2024, 8, 12), "2024-08-20"),
    ("next Tuesday", "future", date(2024, 8, 16), "2024-08-20"),
    ("last Friday", "past", date(2024, 8, 12), "2024-08-09"),
    ("tomorrow", "future", date(2024, 8, 12), "2024-08-13"),
    ("in January 2020, for a visit", "past", date(2022, 9, 16), None),  # a month, no day: not a stop's date
    ("for talks with the prime minister", "past", date(2024, 8, 12), None),
    ("announced another $500 million in aid", "past", date(2023, 2, 22), None),
    ("for a five-day visit", "future", date(2023, 2, 22), None),
    ("for the G20 summit", "future", date(2023, 9, 5), None),
    ("with 30 ministers", "past", date(2023, 9, 5), None),
    ("where he met 4 leaders", "past", date(2023, 9, 5), None),
    ("on May 1, 2025", "past", date(2025, 5, 3), "2025-05-01"),
]


def dateparser_find_date(text: str, published: date, tense: str):
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "future" if tense == "future" else "past", "RETURN_AS_TIMEZONE_AWARE": False})
    if not found:
        return None, None
    phrase, when = found[0]
    start = text.find(phrase)
    return when.date(), (start, start + len(phrase))


def main() -> int:
    try:
        import dateparser  # noqa: F401
    except ImportError:
        print("dateparser is not installed: pip install dateparser==1.5.0 (only this benchmark needs it)")
        return 1
    import dateparser as dp
    import draft_accuracy

    from dashboard.geocoding import Gazetteer
    from dashboard.sources import article

    ours = article.find_date
    gazetteer = Gazetteer(progress=True)
    print(f"dateparser {dp.__version__}")
    print(f"date expressions ({len(EXPRESSIONS)}):")
    for label, find in (("our rules", ours), ("dateparser", dateparser_find_date)):
        right, wrong = 0, []
        started = time.perf_counter()
        for text, tense, published, expected in EXPRESSIONS:
            day, _ = find(text, published, tense)
            got = day.isoformat() if day else None
            if got == expected:
                right += 1
            else:
                wrong.append(f"{text!r} -> {got}")
        per = 1000 * (time.perf_counter() - started) / len(EXPRESSIONS)
        print(f"  {label:<11} {right}/{len(EXPRESSIONS)} right, {per:.2f} ms each; wrong: {'; '.join(wrong) or 'none'}")
    print("the drafter with each date function (stated dates right; time per article includes the gazetteer's first lookups):")
    for label, articles in draft_accuracy.article_sets().items():
        line = []
        for name, find in (("our rules", ours), ("dateparser", dateparser_find_date)):
            article.find_date = find
            results, seconds = [], 0.0
            for item in articles:
                text = Path(item["file"]).read_text(encoding="utf-8")
                started = time.perf_counter()
                drafted = draft_accuracy.draft_stops(text, date.fromisoformat(item["published"]), gazetteer)
                seconds += time.perf_counter() - started
                results.append(draft_accuracy.score(drafted, item["stops"], gazetteer))
            article.find_date = ours
            stated = sum(r["stated_dates"] for r in results)
            dated = sum(r["right_dates"] for r in results)
            line.append(f"{name} {dated / stated:.1%} ({1000 * seconds / len(articles):.0f} ms/article)")
        print(f"  {label} ({len(articles)} articles): " + "; ".join(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
