"""Draft an itinerary from a news article: the traveller, the places they visit or are to visit
on this trip (in the order of travel), the dates, and what happened at each, with the sentence
every field came from.

Rules, not a language model: place names are recognised by the offline gazetteer, but only
where the text says the traveller goes or is there ("travelled to X", "after visiting X", "is
scheduled to travel to X", "ending his trip in X", "In X, Mr Y ..."); every other place named
(the home country, places of the past, places in quotes) is context, not a stop. Weekdays
resolve against the publication date in the direction the verb's tense says (past: the latest
such day on or before it; future: the next on or after it); explicit dates take its year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dashboard.itinerary import EVENT_KINDS, ItineraryError, StopCollector

MAX_ARTICLE_CHARS = 200_000
VENUE_IN_CITY_KM = 50.0
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
TITLES = (r"(?:Prime Minister|President|Chancellor|Foreign Minister|Foreign Secretary|Secretary of State|"
          r"Secretary-General|Secretary General|King|Queen|Emperor|Pope|Premier|Minister|Vice President|"
          r"Crown Prince|Prince|Sheikh|Emir|Sultan|Taoiseach|Governor|top diplomat|foreign policy chief|leader|Mr|Mrs|Ms|Dr)")
_NAME = r"[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){0,2}"
# Lower-case particles inside place names ("Dar es Salaam", "Frankfurt am Main", "Den Haag").
_PARTICLES = r"(?:de|del|della|di|da|do|dos|das|du|des|la|le|les|al|el|es|van|von|der|den|sur|upon|am|an der)"
_PLACE = rf"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|{_PARTICLES}(?=\s+[A-Z])))*"
_PLACES = rf"(?:the\s+)?(?P<places>{_PLACE}(?:\s*,\s*(?:the\s+)?{_PLACE})*(?:\s*,?\s+and\s+(?:the\s+)?{_PLACE})?)"
_ADVERB = r"(?:\s+(?:first|then|also|next|on|later|back|briefly|together|overnight|separately))*"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# Where the text says the traveller goes or is. Each: (pattern, tense, relation to the sentence's
# other stops: "main", "before" (an earlier stop: "after visiting X"), "after", scope). A tense of
# None takes the verb's (present "travels" is the schedule: future) or else the sentence's: future
# when it says will, scheduled, due, plans; past otherwise. A scope of "city" is for the loose cues
# ("held talks ... in X", "in X on Monday"): there a country is usually context ("the war in
# Ukraine"), so only a city or venue counts.
_GO = r"(?:travel|fly|go|head|visit|arrive|stop|move on|continue|land|be)"
# The same verbs in any tense, for "then goes to X", "and flew on to X".
_GOES = (r"(?:travel(?:s|led|ed|ling|ing)?|fl(?:y|ies|ew|ying)|go(?:es|ing)?|went|head(?:s|ed|ing)?|"
         r"mov(?:e|es|ed|ing) on|continu(?:e|es|ed|ing))")
# "flies directly from Israel to X": the place it leaves from is not captured.
_ROUTE = (rf"(?:\s+(?:directly|straight|on|onward|onwards))*(?:\s+from\s+(?:the\s+)?{_PLACE})?"
          r"(?:\s+(?:by|on\s+a|aboard\s+a)\s+(?:[a-z-]+\s+)?(?:train|plane|car|road|air|helicopter|boat|ship|sea|jet|flight))?")
# Things the traveller does at a place: "met X in Y", "toured a plant in Y", "received a prize in Y".
_ACT = (r"(?:meet|meets|met|meeting|hold|holds|held|holding|attend|attends|attended|attending|sign|signs|signed|"
        r"signing|toured|touring|receive|receives|received|receiving|address|addresses|addressed|"
        r"addressing|speak|speaks|spoke|speaking|lay|lays|laid|laying|talks|visit|visits|visited|visiting)")
# "continues on Monday in Shanghai": a date between the verb and the place
_WHEN = rf"(?:\s+on\s+(?:{_DAY}|{_MONTH}\s+\d{{1,2}}))?"
# "in the capital, Naypyidaw", "in the port city of Odesa"
_APPOSITION = r"(?:the\s+(?:[a-z]+\s+){0,2}(?:capital|city|town|port|village)(?:\s+of)?,?\s+)?"
_DATE_AHEAD = rf"(?=,?\s+on\s+(?:{_DAY}|{_MONTH}|the\s+\d))"
CUES = [
    (rf"\b(?:[Aa]fter|[Bb]efore)\s+(?:an?\s+)?(?:[a-z-]+\s+)?(?:visiting|visit to|visits to|stop in|stopping in|stops in|talks in|meetings in)\s+{_PLACES}", None, "before", "any"),
    (rf"\b(?:is|was|are|were)\s+(?:then\s+|also\s+)?(?:scheduled|due|expected|set|slated|planning|poised)\s+to\s+"
     rf"{_GO}{_ADVERB}\s+(?:to\s+|in\s+)?{_PLACES}", "future", "main", "any"),
    (rf"\bwill{_ADVERB}\s+{_GO}{_ADVERB}\s+(?:to\s+|in\s+)?{_PLACES}", "future", "main", "any"),
    (rf"\b(?:then|and|later|also)\s+{_GOES}{_ADVERB}{_ROUTE}\s+to\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:ending|end|ends|ended|wrapping up|wrapped up|concluding|concluded|finishing|finished|finish|finishes)\s+"
     rf"(?:(?:his|her|their|the)\s+(?:trip|tour|visit|journey)\s+)?(?:in|at)\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:begin|begins|began|start|starts|started|opens|opened)\s+(?:(?:his|her|their|the)\s+(?:trip|tour|visit|journey)\s+)?"
     rf"(?:on\s+{_DAY}\s+)?(?:in|at)\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:fly|travel|head|go|move on)(?:\s+on)?{_ROUTE}\s+to\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:walked|walks|walking|strolled|drove|toured)\s+(?:through|around|along)\s+(?:the\s+(?:[a-z]+\s+){{0,2}}"
     rf"(?:streets|centre|center|heart|old town|ruins)\s+of\s+)?{_PLACES}", None, "main", "city"),
    (rf"\b[Aa]fter\s+(?:meeting|talks|holding talks|attending|signing)\b[^.;]{{0,60}}?\b(?:in|at)\s+{_PLACES}",
     None, "before", "city"),
    (rf"\b[Bb]efore\s+(?:meeting|talks|holding talks|attending|signing)\b[^.;]{{0,60}}?\b(?:in|at)\s+{_PLACES}",
     None, "after", "city"),
    (rf"\b(?:continues|continued|continue){_WHEN}\s+(?:in|to)\s+{_PLACES}", None, "main", "any"),
    (rf"\bbefore\s+(?:heading|travelling|traveling|flying|going|moving on){_ADVERB}{_ROUTE}\s+to\s+{_PLACES}", None, "after", "any"),
    (rf"\b(?:travell?ed|flew|headed|went|came|moved on|returned){_ADVERB}{_ROUTE}\s+to\s+{_PLACES}", "past", "main", "any"),
    (rf"\b(?:arrived|landed|stopped|was|were|is|are)\s+(?:back\s+)?in\s+{_APPOSITION}{_PLACES}", None, "main", "any"),
    (rf"\b(?:visited|toured)\s+{_PLACES}", "past", "main", "any"),
    (rf"\b(?:visiting|touring|arriving in|landing in|visit)\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:stop|stops|stopover|stopovers)\s+in\s+{_PLACES}", None, "main", "any"),
    (rf"\b(?:trip|tour|visit|journey)\s+to\s+(?:the\s+(?:[a-z]+\s+){{0,3}}(?:town|city|village|island|port)\s+of\s+)?{_PLACES}",
     None, "main", "any"),
    (rf"\b(?:spend|spends|spent|spending)\s+(?:[\w-]+\s+){{0,4}}?(?:in|at)\s+{_PLACES}", None, "main", "any"),
    (rf"\b{_ACT}\b[^.;]{{0,60}}?\b(?:in|at)\s+{_APPOSITION}{_PLACES}", None, "main", "city"),
    (rf"\b(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:summit|Mass|mass|dinner|speech|rally|news conference|press conference)\s+"
     rf"(?:in|at)\s+{_PLACES}", None, "main", "city"),
    (rf"\b(?:in|at)\s+{_PLACES}{_DATE_AHEAD}", None, "main", "city"),
    (rf"^(?:In|At)\s+{_PLACES}(?=\s*,|\s+on\b|\s+(?:he|she|they|the|Mr|Mrs|Ms)\b)", None, "main", "any"),
    (rf"\b(?:travels|flies|heads|arrives|goes|lands)(?:\s+on)?{_ROUTE}\s+(?:to|in)\s+{_PLACES}", "future", "main", "any"),
]
# "Jeddah on Monday, Doha on Tuesday and Abu Dhabi on Wednesday", "Macron in Paris on Monday,
# Meloni in Rome on Tuesday": each item of a dated list after a cue is a stop with its date.
_LIST_ITEM = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:[\w'’.-]+\s+){{0,6}}?(?:in|at)\s+)?"
                        rf"(?:the\s+)?(?P<places>{_PLACE}){_DATE_AHEAD}")
_ON_DATE = re.compile(rf",?\s+on\s+(?:{_DAY}(?:,?\s+{_MONTH}\s+\d{{1,2}})?|{_MONTH}\s+\d{{1,2}}|the\s+\d{{1,2}}(?:st|nd|rd|th))")
# The way home: "flying back to Rome", "flying home to Canberra", "returned home to X". The place
# names the traveller's home when the text gives no other, and is never a stop. A plain "returned
# to X" is a stop when the trip went to X's country before (back to Israel after a tour of the
# region), else the way home too.
HOME_BOUND = re.compile(rf"\b(?:return(?:s|ed|ing)?\s+home|(?:fl(?:y|ies|ew|ying)|head(?:s|ed|ing)?|go(?:es|ing)?|went|"
                        rf"travel(?:s|led|ed|ling|ing)?|return(?:s|ed|ing)?)\s+(?:back|home)(?:\s+home)?)\s+to\s+{_PLACES}")
RETURN = re.compile(rf"\breturn(?:s|ed|ing)?\s+to\s+{_PLACES}")
PRESENT_VERB = re.compile(r"\b(?:travels|flies|goes|heads|moves on|continues|lands|arrives|ends|wraps up|begins|starts|"
                          r"leaves|departs|sets off|sets out)\b")
DEPARTS = re.compile(r"\b(?:leaves|left|leaving|departs|departed|departing|sets off|set off|embarks|embarked)\b")
# Times that are not a day: the stop's date stays inferred, and the draft says why.
VAGUE = re.compile(r"\b(?:(?:this|next|last|later this|early next|the coming|the following)\s+(?:week|month|year|weekend)|"
                   r"later this (?:week|month|year)|in the coming (?:days|weeks|months)|soon|shortly|at the weekend|"
                   rf"(?:early|mid|late)[- ](?:{_MONTH})|in (?:{_MONTH})(?!\s+\d))\b", re.I)
# "refused to travel to X", "will not go to X": the place is not a stop.
NEGATED = re.compile(r"\b(?:not|never|no longer|refused|refuses|declined|declines|unable|cannot|won't|didn't|isn't)\b[^.;,]{0,25}$")
# A stop that did not or will not happen: "had planned to visit Goma, but the stop was dropped".
CALLED_OFF = re.compile(r"\b(?:had\s+(?:originally\s+|initially\s+|once\s+)?(?:planned|intended|hoped|been\s+(?:due|scheduled|expected))|"
                        r"cancel(?:l)?ed|called off|scrapped|postponed|(?:was|were|been)\s+dropped)\b", re.I)
_CUES = [(re.compile(pattern), tense, relation, scope) for pattern, tense, relation, scope in CUES]
PAST_WORDS = re.compile(r"\b(?:travell?ed|visited|flew|arrived|landed|met|attended|signed|held|spent|was|were|went|"
                        r"began|left|took|gave|made|saw|spoke|came|drove|laid|led|won|wrote|"
                        r"said|told|after)\b", re.I)
FUTURE_WORDS = re.compile(r"\b(?:will|scheduled|due|expected|plans?|planning|set to|is to|are to|next|upcoming)\b", re.I)
# Places named in these are context, never stops.
QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
PAST_CONTEXT = re.compile(r"^\s*(?:Since|In)\s+(?:1[89]\d\d|20\d\d)\b|\b(?:since|in) (?:1[89]\d\d|20\d\d),", re.I)

# Names of continents and world regions: a trip "to Asia" names no stop, and a town may carry
# the name (Asia, in the Philippines).
NOT_DESTINATIONS = {"west", "east", "north", "south", "central", "asia", "europe", "africa", "america", "americas",
                    "north america", "south america", "latin america", "oceania", "antarctica", "middle east",
                    "gulf", "balkans", "scandinavia", "caribbean", "pacific", "atlantic", "arctic",
                    "central asia", "southeast asia", "east asia", "south asia", "west africa", "east africa"}
DEMONYMS = {
    "american": "United States", "canadian": "Canada", "british": "United Kingdom", "french": "France",
    "german": "Germany", "italian": "Italy", "spanish": "Spain", "polish": "Poland", "ukrainian": "Ukraine",
    "russian": "Russia", "chinese": "China", "japanese": "Japan", "indian": "India", "australian": "Australia",
    "brazilian": "Brazil", "mexican": "Mexico", "turkish": "Turkey", "israeli": "Israel", "egyptian": "Egypt",
    "saudi": "Saudi Arabia", "iranian": "Iran", "dutch": "Netherlands", "belgian": "Belgium", "swedish": "Sweden",
    "norwegian": "Norway", "danish": "Denmark", "finnish": "Finland", "irish": "Ireland", "greek": "Greece",
    "portuguese": "Portugal", "austrian": "Austria", "swiss": "Switzerland", "hungarian": "Hungary",
    "czech": "Czech Republic", "romanian": "Romania", "korean": "South Korea", "south korean": "South Korea",
    "south african": "South Africa", "nigerian": "Nigeria", "kenyan": "Kenya", "argentine": "Argentina",
    "chilean": "Chile", "pakistani": "Pakistan", "indonesian": "Indonesia", "vietnamese": "Vietnam",
    "new zealand": "New Zealand", "latvian": "Latvia", "lithuanian": "Lithuania", "estonian": "Estonia",
}


@dataclass
class Evidence:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "sentence": self.text}


@dataclass
class DraftStop:
    place: str
    country_code: str | None
    precision: str
    sentence: int
    position: int
    tense: str
    evidence: Evidence
    day: date | None = None
    date_evidence: Evidence | None = None
    refined_from: str | None = None
    refined_evidence: Evidence | None = None  # where the country it refines was named
    order_hint: int = 0  # -1: "after visiting X" puts X before the sentence's other stops
    relative: int | None = None  # "the same evening" (0), "the next day" (1): days after the previous stop
    inferred: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    mentions: set[int] = field(default_factory=set)  # sentences that speak of this stop
    point: tuple[float, float] | None = None  # the gazetteer's (lat, lon), to tell a venue in a city
    returning: bool = False  # named by "returned to X": a stop only if the trip went there before
    soft_date: bool = False  # the day the trip or a list starts ("leaves on Saturday for X"), not surely the arrival
    vague: str | None = None  # "next month", "this week": a time the text gives that is not a day


@dataclass
class Draft:
    traveller: str | None
    role: str | None
    home_country: str | None
    published: date
    stops: list[DraftStop]
    notes: list[str]
    traveller_evidence: Evidence | None = None


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence; paragraph breaks and '. ' before a capital split."""
    out = []
    for paragraph in re.finditer(r"[^\n]+", text):
        base = paragraph.start()
        chunk = paragraph.group(0)
        start = 0
        for match in re.finditer(r"(?<=[.!?”\"])\s+(?=[“\"A-Z0-9])", chunk):
            before = chunk[start:match.start()]
            if re.search(r"\b(?:Mr|Mrs|Ms|Dr|St|U\.S|U\.K|Jr|Sr|No|Gen|Lt|Col|Sen|Rep)\.$", before):
                continue
            if before.strip():
                out.append((base + start, base + match.start(), before))
            start = match.end()
        if chunk[start:].strip():
            out.append((base + start, base + len(chunk), chunk[start:]))
    return out


def resolve_weekday(name: str, published: date, tense: str) -> date:
    target = WEEKDAYS.index(name.lower())
    if tense == "future":
        return published + timedelta(days=(target - published.weekday()) % 7)
    return published - timedelta(days=(published.weekday() - target) % 7)


def find_date(text: str, published: date, tense: str) -> tuple[date | None, tuple[int, int] | None]:
    """The first date expression in ``text`` resolved against the publication date."""
    patterns = [
        (rf"\b({_MONTH})\s+(\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", "md"),
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})(?:\s+(\d{{4}}))?", "dm"),
        (rf"\b(?:on\s+)?(?:this\s+|next\s+|last\s+)?({_DAY})\b", "weekday"),
        (r"\bon\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b", "dom"),
        (r"\b(today|tonight|yesterday|tomorrow)\b", "relative"),
    ]
    found = []
    for pattern, kind in patterns:
        match = re.search(pattern, text)
        if match:
            found.append((match.start(), kind, match))
    if not found:
        return None, None
    _, kind, match = min(found, key=lambda f: f[0])
    explicit = [f for f in found if f[1] in ("md", "dm") and 0 < f[0] - match.end() <= 3]
    if kind == "weekday" and explicit:  # "Friday, May 26": the date says which Friday
        _, kind, match = explicit[0]
    span = (match.start(), match.end())
    try:
        if kind == "md":
            month, day_no = MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))
            year = int(match.group(3)) if match.group(3) else published.year
            return date(year, month, day_no), span
        if kind == "dm":
            day_no, month = int(match.group(1)), MONTHS.index(match.group(2).lower()) + 1
            year = int(match.group(3)) if match.group(3) else published.year
            return date(year, month, day_no), span
        if kind == "weekday":
            words = match.group(0).lower()
            day = resolve_weekday(match.group(1), published, "future" if "next" in words else
                                  "past" if "last" in words else tense)
            if day == published and ("next" in words or "last" in words):  # "next Monday" on a Monday
                day += timedelta(days=7 if "next" in words else -7)
            return day, span
        if kind == "dom":
            day_no = int(match.group(1))
            candidate = published.replace(day=day_no)
            if tense == "future" and candidate < published:
                month = published.month % 12 + 1
                candidate = date(published.year + (published.month == 12), month, day_no)
            return candidate, span
        word = match.group(1).lower()
        return published + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]), span
    except ValueError:
        return None, None


def draft_article(text: str, published: date, gazetteer) -> Draft:
    """The draft of one article. ``gazetteer`` is a :class:`dashboard.geocoding.Gazetteer`."""
    if not isinstance(text, str) or not text.strip():
        raise ItineraryError("the article is empty; paste the text of a news report about a trip")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ItineraryError(f"the article is {len(text):,} characters long; a news report is under "
                             f"{MAX_ARTICLE_CHARS:,}: paste one article at a time")
    if sum(ch.isprintable() or ch.isspace() for ch in text[:5000]) < 0.9 * min(len(text), 5000):
        raise ItineraryError("this does not look like text (mostly unprintable characters); paste the article's text")
    parts = sentences(text)
    traveller, role, home, traveller_evidence = _traveller(parts, gazetteer)
    notes: list[str] = []
    dateline = re.match(r"\s*([A-Z][A-Z .'-]{2,}),\s+(?:" + _MONTH + r"\s+\d{1,2}|\w+)?\s*[-–—(]", text)
    if dateline:
        notes.append(f"dateline {dateline.group(1).strip().title()}: where the report was written, not by itself a stop")
    masked_parts = [QUOTED.sub(lambda m: " " * len(m.group(0)), sentence) for _, _, sentence in parts]
    home_bound = _countries_in(HOME_BOUND, masked_parts, gazetteer)
    stops: list[DraftStop] = []
    for index, (start, end, sentence) in enumerate(parts):
        if PAST_CONTEXT.search(sentence) or CALLED_OFF.search(sentence):
            continue
        masked = _without_past_years(HOME_BOUND.sub(lambda m: " " * len(m.group(0)), masked_parts[index]), published)
        if masked is None:
            continue
        stops.extend(_cue_places(masked, start, index, sentence, published, gazetteer, home))
    if home is None:
        # "flew home to X", or "returned to X" where the trip never went: X's country is home.
        visited = {s.country_code for s in stops if not s.returning}
        returns = [c for c in _countries_in(RETURN, masked_parts, gazetteer) if c not in visited]
        home = next(iter(home_bound + returns), None)
        if home is not None:
            notes.append(f"home taken as {gazetteer.country_name(home)}: the text says the traveller goes back there")
            stops = [s for s in stops if s.country_code != home]
    stops = _merge_repeats(_refine(stops))
    _attach_floating_dates(stops, parts, published, traveller)
    stops = _in_travel_order(stops)
    stops = _in_route_context(stops, gazetteer, home)
    _fill_dates(stops)
    _publication_fallback(stops, published)
    for stop in stops:
        if stop.vague and ("arrive" in stop.inferred or stop.day is None):
            notes.append(f"{stop.place}: the text says '{stop.vague}', not a day; its date is a guess to check")
    _attach_events(stops, parts, traveller, _country_words(stops, gazetteer, home))
    if not stops:
        notes.append("no place the traveller goes to was found; check the text or add the stops by hand")
    return Draft(traveller, role, home, published, stops, notes, traveller_evidence)


def _country_words(stops: list[DraftStop], gazetteer, home: str | None) -> dict[str, set[str]]:
    """Per stop country: its name, the name's possessive and its people's adjective."""
    out: dict[str, set[str]] = {}
    for stop in stops:
        code = stop.country_code
        if not code or code == home or code in out:
            continue
        name = gazetteer.country_name(code)
        out[code] = {name.lower()} | {d for d, country in DEMONYMS.items() if country == name}
    return out


def _traveller(parts, gazetteer) -> tuple[str | None, str | None, str | None, Evidence | None]:
    """The person the trip is about: the titled name in the sentence of the first travel cue."""
    pattern = re.compile(rf"(?:(?P<country>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)'s\s+|(?:the\s+)?(?P<demonym>[A-Z][\w.]*(?:\s[A-Z][a-z]+)?)\s+)?"
                         rf"(?P<title>{TITLES})\s+(?P<name>{_NAME})")
    ordered = sorted(parts, key=lambda p: 0 if any(c.search(p[2]) for c, _, _, _ in _CUES) else 1)
    for start, end, sentence in ordered:
        for match in pattern.finditer(sentence):
            if match.group("title") in ("Mr", "Mrs", "Ms", "Dr"):
                continue
            home = None
            if match.group("country"):
                home = match.group("country")
            elif match.group("demonym"):  # "Turkish President", "U.S. President"
                home = DEMONYMS.get(match.group("demonym").lower(), match.group("demonym"))
            code = None
            if home:
                try:
                    codes = gazetteer.country_codes(home)
                    code = codes[0] if len(codes) == 1 else None
                except Exception:  # noqa: BLE001 - an unknown country name just leaves the home unknown
                    code = None
            return (match.group("name"), match.group("title"), code,
                    Evidence(start + match.start(), start + match.end(), sentence))
    return None, None, None, None


def _countries_in(pattern: re.Pattern, masked_parts: list[str], gazetteer) -> list[str]:
    """The countries of the places ``pattern`` captures, in text order."""
    out = []
    for masked in masked_parts:
        for match in pattern.finditer(masked):
            for name, _ in _split_places(match.group("places")):
                known = _place(name, gazetteer, None)
                if known and known[1] not in out:
                    out.append(known[1])
    return out


def _split_places(text: str) -> list[tuple[str, int]]:
    out = []
    for match in re.finditer(_PLACE, text):
        name = match.group(0).strip(" .,")
        if name and name not in ("and",):
            out.append((name, match.start()))
    return out


def _place(name: str, gazetteer, home: str | None):
    """(name, country code, precision) when the gazetteer knows ``name`` as a place, else None."""
    words = name.split()
    while words and words[0] in ("The", "the"):
        words = words[1:]
    if not words:
        return None
    candidates = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    if len(words) > 1 and words[0].lower() in ("west", "east", "north", "south", "central", "greater", "old"):
        candidates.insert(1, " ".join(words[1:]))  # "West Berlin" is in Berlin
    for candidate in candidates:
        if candidate.endswith(("'s", "’s")) and candidate != name:
            continue  # "St Peter's Basilica" is not "St Peter's": a possessive names no place
        is_demonym = candidate.lower() in DEMONYMS and DEMONYMS[candidate.lower()].lower() != candidate.lower()
        if is_demonym or candidate.lower() in NOT_DESTINATIONS:
            continue
        found = gazetteer.geocode(candidate)
        if found is None or found.raw["match"] not in ("exact", "alternate name"):
            continue
        if found.raw["precision"] == "region" and found.raw["kind"] != "island":
            continue  # "Europe", "the Balkans": a region is a stop only when the text says so plainly
        return candidate, found.raw["country_code"], found.raw["precision"], (found.latitude, found.longitude)
    return None


def _cue_places(masked: str, offset: int, index: int, sentence: str, published: date, gazetteer,
                home: str | None) -> list[DraftStop]:
    out: list[DraftStop] = []
    seen: set[int] = set()

    def add(places: str, places_start: int, day: date | None, date_span: tuple[int, int] | None,
            relative: int | None, relation: str, tense: str, scope: str = "any", loose: bool = False) -> None:
        for number, (name, at) in enumerate(_split_places(places)):
            known = _place(name, gazetteer, home)
            if known is None:
                continue
            place, code, precision, point = known
            after_at = bool(re.search(r"\bat\s+(?:the\s+)?$", masked[:places_start + at]))
            if scope == "city" and precision not in ("city", "venue") and not (after_at and precision == "country"):
                continue  # "the war in Ukraine" is context; "met the Pope at the Vatican" is a visit
            if precision not in ("venue", "country") and after_at:
                continue  # "at the White House": after "at", only a venue or a country is a place
            if home and code == home:
                continue  # the traveller's own country is where the trip starts and ends
            begin = offset + places_start + at
            stop = DraftStop(place, code, precision, index, begin, tense,
                             Evidence(begin, begin + len(place), sentence), mentions={index}, point=point)
            stop.order_hint = {"before": -1, "main": 0, "after": 1}[relation]
            stop.relative = relative if day is None else None
            if day is None and relative is None:
                when = VAGUE.search(masked)
                stop.vague = when.group(0) if when else None
            if day is not None:
                stop.day = day
                if date_span:
                    stop.date_evidence = Evidence(offset + date_span[0], offset + date_span[1], sentence)
            stop.returning = bool(re.search(r"\breturn(?:s|ed|ing)?\s+to\s+(?:the\s+)?$", masked[:places_start]))
            out.append(stop)
            stop.soft_date = loose and stop.day is not None
            if day is not None and loose:
                # "a tour on Monday, visiting A, B and C": Monday is when the list starts.
                day, date_span = None, None

    # A stop's date is looked for up to the next cue ("fly to Israel, where he ...
    # in Jerusalem, and visit Bethlehem the next day": the next day is Bethlehem's).
    cue_starts = sorted({m.start() for cue, _, _, scope in _CUES if scope == "any" for m in cue.finditer(masked)})
    for cue, tense, relation, scope in _CUES:
        for match in cue.finditer(masked):
            places_start, places_end = match.start("places"), match.end("places")
            if places_start in seen:
                continue
            seen.add(places_start)
            if NEGATED.search(masked[:match.start()]):
                continue
            next_cue = next((p for p in cue_starts if p >= places_end), len(masked))
            clause = masked[places_end:min(_clause_end(masked, places_end), next_cue)]
            verb_tense = tense or _tense(masked, match.group(0))
            relative = _relative_day(clause)
            day, span = find_date(clause, published, verb_tense)
            span = None if span is None else (places_end + span[0], places_end + span[1])
            if relative and (day is None or places_end + relative[1][0] < span[0]):
                day, span = None, None
            leading = _date_leading_into(masked[:match.start()], published, verb_tense)
            if leading[0] is not None and relation == "main":
                # "On Tuesday he flies to Jakarta to meet ..., and on Friday he ...": the date
                # that leads into the verb is the stop's, not one later in the sentence.
                relative, (day, span) = None, leading
            if day is None and not relative:
                # "began on Tuesday in Kinshasa": a date inside the cue, before its places.
                day, span = find_date(masked[match.start():places_start], published, verb_tense)
                span = None if span is None else (match.start() + span[0], match.start() + span[1])
            # "A, B and C from Thursday": the day the list starts, not each place's.
            loose = bool(span) and bool(re.search(r"\b(?:from|starting|beginning)\s+(?:on\s+)?$", masked[:span[0]]))
            if day is None and not relative and relation == "main":
                relative = _relative_day(masked[max(0, match.start() - 40):match.start()])
                if not relative:
                    day, span = _date_before(masked[:match.start()], published, verb_tense)
                    loose = loose or _loose(masked[:match.start()], span)
            # "leaves for a visit to China on Saturday": the day of leaving, not of arriving.
            loose = loose or (day is not None and bool(DEPARTS.search(masked[:places_start])))
            add(match.group("places"), places_start, day, span, relative[0] if relative else None, relation, verb_tense,
                scope, loose)
            on_date = _ON_DATE.match(masked, places_end)
            position = on_date.end() if on_date else None
            while position is not None:
                item = _LIST_ITEM.match(masked, position)
                if item is None:
                    break
                item_end = item.end("places")
                seen.add(item.start("places"))
                item_day, item_span = find_date(masked[item_end:item_end + 40], published, verb_tense)
                item_span = None if item_span is None else (item_end + item_span[0], item_end + item_span[1])
                add(item.group("places"), item.start("places"), item_day, item_span, None, "main", verb_tense)
                following = _ON_DATE.match(masked, item_end)
                position = following.end() if following else None
    return out


def _without_past_years(sentence: str, published: date) -> str | None:
    """Places of earlier years are context: "Xi last left China in January 2020, for a visit to
    Myanmar" names no stop (None: skip the sentence); in a sentence that also dates this trip
    ("Macron, who last came in 2019, arrived in Beijing on Wednesday") only that clause goes."""
    years = [m for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", sentence) if int(m.group(1)) < published.year]
    if not years:
        return sentence
    plain = re.sub(r"\b(1[89]\d\d|20\d\d)\b", " " * 4, sentence)
    if find_date(plain, published, "past")[0] is None:
        return None
    for match in years:
        start = max((m.end() for m in re.finditer(r"[,;:(—–]", sentence[:match.start()])), default=0)
        end_match = re.search(r"[,;.)]", sentence[match.end():])
        end = match.end() + end_match.start() if end_match else len(sentence)
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    return sentence


def _tense(sentence: str, cue: str) -> str:
    """Future for the schedule ("will", "is due to", present "travels", "fly to ... on Friday"),
    past when the sentence has a past verb; a sentence with neither is in the present: future."""
    if PRESENT_VERB.search(cue) or FUTURE_WORDS.search(cue):
        return "future"
    if PAST_WORDS.search(cue) or re.search(r"\b[a-z]{2,}ed\b", cue):
        return "past"  # "arrived in X on Wednesday and is due to meet ...": the cue's own verb decides
    if FUTURE_WORDS.search(sentence) or PRESENT_VERB.search(sentence):
        return "future"
    return "past" if PAST_WORDS.search(sentence) or re.search(r"\b[a-z]{2,}ed\b", sentence) else "future"


def _clause_end(text: str, start: int) -> int:
    match = re.search(rf"\b(?:after|before|then|while|but)\b|[;]|,?\s+and\s+(?=on\s+{_DAY})", text[start:])
    return start + match.start() if match else len(text)


def _date_before(text: str, published: date, tense: str):
    """'On Monday, the president flew to X', 'On February 26 he travelled to X': the last date in
    the clause before the cue. The span is None when a comma parts the date from the cue ("will
    embark on a tour on Monday, visiting A, B and C"): then it dates the start, not each place."""
    clause_start = max((m.end() for m in re.finditer(r"\b(?:after|before|while|but)\b|;", text)), default=0)
    # Only a date just before the cue ("On February 26 the president travelled to"), not one
    # that belongs to an earlier verb of the sentence.
    clause_start = max(clause_start, len(text) - 45)
    clause = text[clause_start:]
    best = None
    position = 0
    while True:
        day, span = find_date(clause[position:], published, tense)
        if day is None:
            break
        best = (day, (clause_start + position + span[0], clause_start + position + span[1]))
        position += span[1]
    return best if best else (None, None)


def _date_leading_into(text: str, published: date, tense: str):
    """'On Tuesday he flies to', 'On February 26 the president travelled to': a date that opens
    the clause of the cue, with only its subject between."""
    found = _date_before(text, published, tense)
    if found[0] is None or found[1] is None:
        return None, None
    between = text[found[1][1]:]
    subject = r"^\s*(?:(?:the\s+[a-z]+|he|she|they|[A-Z][\w.'’-]*)\s+){0,3}(?:(?:will|then|also|had)\s+)*$"
    return found if re.match(subject, between) else (None, None)


def _loose(text: str, span: tuple[int, int] | None) -> bool:
    """A date before the cue in another clause: "a tour on Monday, visiting A, B and C"."""
    return bool(span) and "," in text[span[1]:]


_RELATIVE = re.compile(r"\b(?:the\s+same|that)\s+(?:day|evening|night|afternoon|morning)\b|"
                       r"\b(?:the\s+(?:next|following)\s+(?:day|morning))\b|\blater that day\b", re.I)


def _relative_day(clause: str) -> tuple[int, tuple[int, int]] | None:
    """'the same evening' (0) or 'the next day' (1): days after the previous stop, and where."""
    match = _RELATIVE.search(clause)
    if not match:
        return None
    return (1 if re.search(r"next|following", match.group(0), re.I) else 0), (match.start(), match.end())


def _refine(stops: list[DraftStop]) -> list[DraftStop]:
    """A country named as a destination and a city named later in it are one stop: the city."""
    out: list[DraftStop] = []
    for stop in stops:
        country_stop = next((s for s in out if s.precision == "country" and s.country_code == stop.country_code
                             and stop.precision != "country" and _same_visit(s, stop, stops)), None)
        if country_stop is not None:
            country_stop.mentions |= stop.mentions
            country_stop.refined_from, country_stop.refined_evidence = country_stop.place, country_stop.evidence
            country_stop.place, country_stop.precision = stop.place, stop.precision
            country_stop.evidence = stop.evidence
            if stop.day is not None and (country_stop.day is None or country_stop.soft_date or stop.day < country_stop.day):
                country_stop.day, country_stop.date_evidence = stop.day, stop.date_evidence
                country_stop.soft_date = stop.soft_date
            country_stop.relative = _first_given(country_stop.relative, stop.relative)
            continue
        city_before = next((s for s in out if s.precision != "country" and s.country_code == stop.country_code
                            and stop.precision == "country" and _same_visit(s, stop, stops)), None)
        if city_before is not None:
            city_before.mentions |= stop.mentions
            if stop.day is not None and (city_before.day is None or stop.day < city_before.day):
                city_before.day, city_before.date_evidence = stop.day, stop.date_evidence
            city_before.relative = _first_given(city_before.relative, stop.relative)
            continue
        out.append(stop)
    return out


def _first_given(*values):
    return next((v for v in values if v is not None), None)


def _same_visit(one: DraftStop, other: DraftStop, everyone: list[DraftStop] = ()) -> bool:
    """A country and a city in it are one visit unless their dates are more than a day apart and
    the trip went to another country in between (a return to the country is another stop)."""
    if not (one.day and other.day and abs((one.day - other.day).days) > 1):
        return True
    first, last = sorted((one.day, other.day))
    return not any(s.day and first < s.day < last and s.country_code != one.country_code for s in everyone)


def _merge_repeats(stops: list[DraftStop]) -> list[DraftStop]:
    out: list[DraftStop] = []
    for stop in stops:
        same = next((s for s in out if s.place == stop.place and s.country_code == stop.country_code), None)
        if same is None:
            out.append(stop)
            continue
        same.mentions |= stop.mentions
        if stop.day is not None and (same.day is None or same.soft_date or stop.day < same.day):
            # The earliest day the text gives for the place is its arrival.
            same.day, same.date_evidence, same.soft_date = stop.day, stop.date_evidence, stop.soft_date
    return out


def _attach_floating_dates(stops: list[DraftStop], parts, published: date, traveller: str | None) -> None:
    """A date stated about the traveller in a sentence that names no stop ("after attending
    celebrations on Sunday") belongs to an undated stop when exactly one fits between the dated ones."""
    if not traveller:
        return
    surname = traveller.split()[-1]
    stop_sentences = {s.sentence for s in stops}
    for index, (start, _end, sentence) in enumerate(parts):
        if index in stop_sentences or surname not in sentence:
            continue
        masked = QUOTED.sub(lambda m: " " * len(m.group(0)), sentence)
        attend = re.search(r"\b(?:after|while|when)\s+(?:attending|visiting|meeting|touring|laying)\b[^.]*", masked)
        if not attend:
            continue
        day, span = find_date(attend.group(0), published, "past")
        if day is None:
            continue
        fitting = [s for s in stops if s.day is None and _fits(stops, s, day)]
        if len(fitting) == 1:
            fitting[0].day = day
            fitting[0].mentions.add(index)
            base = start + attend.start()
            fitting[0].date_evidence = Evidence(base + span[0], base + span[1], sentence)


def _fits(stops: list[DraftStop], stop: DraftStop, day: date) -> bool:
    ordered = _in_travel_order(list(stops))
    at = ordered.index(stop)
    before = [s.day for s in ordered[:at] if s.day]
    after = [s.day for s in ordered[at + 1:] if s.day]
    return (not before or max(before) <= day) and (not after or day <= min(after))


def _in_travel_order(stops: list[DraftStop]) -> list[DraftStop]:
    """Text order, with 'after visiting X' placing X before the sentence's other stops; then the
    dated stops in date order, each undated stop kept just before the dated stop it preceded."""
    ordered = sorted(stops, key=lambda s: (s.sentence, s.order_hint, s.position))
    groups: list[list[DraftStop]] = [[]]  # each: undated stops, then the dated stop they lead to
    for stop in ordered:
        groups[-1].append(stop)
        if stop.day is not None:
            groups.append([])
    tail = groups.pop()
    groups.sort(key=lambda group: (group[-1].day, ordered.index(group[-1])))
    out = [stop for group in groups for stop in group] + tail
    # "After stops in Hawaii and Guam, he landed in Peking": an undated earlier stop goes just
    # before the stop its sentence leads to, even when that stop was first named elsewhere.
    for stop in [s for s in out if s.order_hint < 0 and s.day is None]:
        lead = next((s for s in out if s is not stop and s.order_hint >= 0 and stop.sentence in s.mentions), None)
        if lead is not None:
            out.remove(stop)
            out.insert(out.index(lead), stop)
    return out


def _in_route_context(stops: list[DraftStop], gazetteer, home: str | None) -> list[DraftStop]:
    """Names several places carry (Bethlehem: Pennsylvania or the West Bank) take the one near the
    trip's confident stops, as the geocoder does for a loaded trip; then a venue in a city the
    trip stops at (the Elysee Palace in Paris) is part of that stop, not one more."""
    from dashboard.geocoding.gazetteer import km
    from dashboard.geocoding.resolver import PlaceResolver

    resolver = PlaceResolver(gazetteer)
    placed = resolver.in_context([resolver.resolve(s.place) for s in stops], [0] * len(stops))
    kept: list[DraftStop] = []
    for stop, found in zip(stops, placed):
        if found.resolved and found.country_code and found.country_code != stop.country_code and found.match == "trip context":
            if found.country_code == home:
                continue
            stop.country_code, stop.point = found.country_code, (found.lat, found.lon)
        kept.append(stop)
    out: list[DraftStop] = []
    for stop in kept:
        city = next((s for s in kept if s is not stop and stop.precision == "venue" and s.precision == "city"
                     and s.country_code == stop.country_code and s.point and stop.point
                     and km(*s.point, *stop.point) <= VENUE_IN_CITY_KM and _same_visit(s, stop, kept)), None)
        if city is None:
            out.append(stop)
            continue
        city.mentions |= stop.mentions
        if stop.day is not None and (city.day is None or stop.day < city.day):
            city.day, city.date_evidence = stop.day, stop.date_evidence
    return out


def _fill_dates(stops: list[DraftStop]) -> None:
    """Stops the article gives no date for take the day after the previous stop (or the day
    before the next), marked inferred: the loader needs a date, the reader must see it is a guess."""
    for i, stop in enumerate(stops):
        previous = next((s.day for s in reversed(stops[:i]) if s.day), None)
        if stop.day is not None:
            # "back in Poland the same evening" ... "in Warsaw on Tuesday": the arrival the text
            # states relative to the previous stop is the earlier, so the stop's first, day.
            if stop.relative is not None and previous is not None and previous + timedelta(days=stop.relative) < stop.day:
                stop.day, stop.date_evidence = previous + timedelta(days=stop.relative), None
            continue
        if stop.relative is not None and previous is not None:
            stop.day = previous + timedelta(days=stop.relative)  # "the same evening", "the next day": stated
            continue
        following = next((s.day for s in stops[i + 1:] if s.day), None)
        if previous and following:
            stop.day = min(previous + timedelta(days=1), following)
        elif previous:
            stop.day = previous + timedelta(days=1)
        elif following:
            stop.day = following - timedelta(days=1)
        else:
            stop.day = None
        stop.inferred += ["arrive", "depart"]


def _publication_fallback(stops: list[DraftStop], published: date) -> None:
    """No date at all in the article: every stop on the publication date, marked inferred."""
    if stops and all(s.day is None for s in stops):
        for stop in stops:
            stop.day = published


EVENT_RULES = [
    ("agreement", re.compile(r"\bsign(?:ed|s|ing)?\b[^.]*?\b(agreement|accord|deal|treaty|memorandum)\b(?:\s+(?:on|to|for)\s+([\w -]{3,40}?))?(?=[,.;]|\s+and\b|$)", re.I)),
    ("press", re.compile(r"\b(joint )?(press conference|news conference)\b", re.I)),
    ("ceremony", re.compile(r"\b(ceremony|celebrations?|commemoration|wreath|funeral|parade|inauguration)\b", re.I)),
    ("announcement", re.compile(r"\b(?:announced|pledged|would receive|will receive)\b[^.]*?((?:C|US|A)?[$€£]\s?[\d.,]+\s*(?:billion|million|bn|m)?)", re.I)),
    ("meeting", re.compile(r"\b(?:met|meet|meets|meeting|greeted|talks with|discuss(?:ed)?|hosted)\b", re.I)),
    ("visit", re.compile(r"\bvisit(?:ed|s|ing)?\s+((?:[A-Z][\w]+\s+)?(?:troops|soldiers|forces|base|factory|site|memorial|school|hospital))\b", re.I)),
]
_PERSON = re.compile(rf"\b(?:{TITLES})\s+({_NAME})")


def _attach_events(stops: list[DraftStop], parts, traveller: str | None, names: dict[str, set[str]]) -> None:
    """What happened at each stop. A clause is an event of the traveller's when it names them
    (or 'he', 'she', 'the leaders'); it belongs to the stop whose place or country it names, else
    to the stop the text last spoke of. ``names`` holds each stop's country words."""
    if not stops:
        return
    surname = traveller.split()[-1] if traveller else None
    subject = re.compile(r"\b(?:he|she|they|leaders|both|the two)\b" + (rf"|\b{re.escape(surname)}\b" if surname else ""), re.I)
    for index, (start, _end, sentence) in enumerate(parts):
        if PAST_CONTEXT.search(sentence):
            continue
        spoken = [s for s in stops if min(s.mentions, default=index + 1) <= index]
        if not spoken:
            continue
        latest = max(max(m for m in s.mentions if m <= index) for s in spoken)
        current = [s for s in spoken if latest in s.mentions]
        masked = QUOTED.sub(lambda m: " " * len(m.group(0)), sentence)
        if not subject.search(masked):
            continue
        for clause_start, clause in _clauses(masked):
            target = _named_stop(clause, stops, names) or current[0]
            for kind, rule in EVENT_RULES:
                match = rule.search(clause)
                if not match:
                    continue
                people = [p for p in dict.fromkeys(_PERSON.findall(clause))
                          if (not surname or surname not in p) and not p.endswith(("'s", "’s"))]
                summary = _summary(kind, match, people)
                if summary and not any(e["text"] == summary for s in stops for e in s.events):
                    target.events.append({
                        "kind": kind if kind in EVENT_KINDS else "other", "text": summary, "people": people,
                        "evidence": Evidence(start + clause_start + match.start(), start + clause_start + match.end(),
                                             sentence).as_dict()})


def _named_stop(clause: str, stops: list[DraftStop], names: dict[str, set[str]]) -> DraftStop | None:
    """The stop whose place, country or people ('Ukrainian', 'Polish') the clause names."""
    lowered = clause.lower()
    for stop in stops:
        words = {stop.place.lower()} | names.get(stop.country_code or "", set())
        if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words if w):
            return stop
    return None


def _clauses(sentence: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for match in re.finditer(r"\s+(?:before|after|and then|while)\s+|;", sentence):
        out.append((start, sentence[start:match.start()]))
        start = match.end()
    out.append((start, sentence[start:]))
    return out


def _summary(kind: str, match: re.Match, people: list[str]) -> str | None:
    """A short summary in the project's words; never more than a few words of the article."""
    with_people = f" with {', '.join(people)}" if people else ""
    if kind == "agreement":
        subject = f" on {match.group(2).strip()}" if match.group(2) else ""
        return f"Signed an {match.group(1).lower()}{subject}"
    if kind == "press":
        return f"{'Joint press' if match.group(1) else 'Press'} conference{with_people}"
    if kind == "ceremony":
        return f"Attended a {match.group(1).lower().rstrip('s')}{with_people}"
    if kind == "announcement":
        return f"Announced {match.group(1).strip()}"
    if kind == "meeting":
        return f"Met {', '.join(people)}" if people else None
    if kind == "visit":
        return f"Visit to {match.group(1).strip()}"
    return None


# ---------------------------------------------------------------------------- as a source


def published_date_in(text: str) -> date | None:
    """A full date with its year near the top of the article (a dateline, 'Published 25 August
    2025'), taken as the publication date when none is given."""
    head = text[:3000]
    found = []
    for match in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", head):
        found.append((match.start(), int(match.group(1)), int(match.group(2)), int(match.group(3))))
    for match in re.finditer(rf"\b({_MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})\b", head):
        found.append((match.start(), int(match.group(3)), MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))))
    for match in re.finditer(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b", head):
        found.append((match.start(), int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1))))
    for _, year, month, day_no in sorted(found):
        try:
            return date(year, month, day_no)
        except ValueError:
            continue
    return None


def draft_to_fields(draft: Draft, *, source: str | None = None) -> dict[str, Any]:
    """The draft as the project's JSON trip (a dict), evidence and inferred fields included."""
    stops = []
    for stop in draft.stops:
        evidence = {"place": stop.evidence.as_dict()}
        if stop.date_evidence:
            evidence["date"] = stop.date_evidence.as_dict()
        if stop.refined_evidence:
            evidence["refines"] = stop.refined_evidence.as_dict()
        note = f"a city named later refines '{stop.refined_from}'" if stop.refined_from else None
        stops.append({
            "place": stop.place, "country": stop.country_code,
            "arrive": stop.day.isoformat() if stop.day else None, "depart": stop.day.isoformat() if stop.day else None,
            "inferred": sorted(set(stop.inferred + ["depart"])), "note": note, "source": source,
            "evidence": evidence,
            "events": [dict(e, source=source) for e in stop.events],
        })
    title = (f"Trip to {', '.join(s.place for s in draft.stops[:4])}"
             + (" and more" if len(draft.stops) > 4 else "") + (f", {draft.stops[0].day:%B %Y}" if draft.stops and draft.stops[0].day else ""))
    return {
        "id": None, "title": title, "leader": draft.traveller or "Unknown traveller",
        "leader_role": draft.role, "description": "Drafted from a news article; check every stop against the text.",
        "published": draft.published.isoformat(), "notes": draft.notes,
        "evidence": {"leader": draft.traveller_evidence.as_dict()} if draft.traveller_evidence else {},
        "inferred": ([] if draft.traveller else ["leader"]),
        "stops": stops,
    }


def parse_article(text: str, collector: StopCollector, published: date, gazetteer, source: str | None = None) -> dict:
    """Draft ``text`` into ``collector`` (the same stops and events as any source); returns the
    draft as JSON-ready fields (with the evidence) for writing or showing."""
    draft = draft_article(text, published, gazetteer)
    trip = draft_to_fields(draft, source=source)
    for index, stop in enumerate(trip["stops"]):
        fields = {"trip": trip["title"], "leader": trip["leader"], "leader_role": trip["leader_role"],
                  "description": trip["description"], **{k: v for k, v in stop.items() if k not in ("events", "evidence")}}
        events = [(f"$.stops[{index}].events[{n}]", {k: v for k, v in e.items() if k != "evidence"})
                  for n, e in enumerate(stop["events"])]
        collector.add_stop(f"$.stops[{index}]", fields, events)
    return trip
