"""Which column of a table is what: its header read in English, French, German, Spanish or
Portuguese, then checked against its cells (a column of dates, of coordinates, of country names).
The user's ``--columns role=Header`` wins over both.

Each role takes one column; a second column of the same role fills the first one's empty cells
('Trip' then 'Title', 'City' then 'Location')."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dashboard.countries import country_code, fold
from dashboard.itinerary import GEOCODED_CSV_COLUMNS, OPTIONAL_CSV_COLUMNS, REQUIRED_CSV_COLUMNS, parse_when
from dashboard.sources.table_dates import DateError, read_cell

# Roles a column can have, with what each means to a user (README, --columns help).
ROLES = {
    "place": "where the stop is: a city, venue, region or country ('Kyiv', 'Kyiv, Ukraine')",
    "country": "the stop's country, a name in any of five languages or an ISO code",
    "date": "the day of a one-day stop, or a range in one cell ('24-25 Aug 2025')",
    "arrive": "the day (and time) the stop starts",
    "depart": "the day (and time) the stop ends",
    "trip": "the trip's title, when one table holds several trips",
    "leader": "who travelled",
    "role": "the traveller's office (Prime Minister)",
    "events": "what happened at the stop; several separated by '|'",
    "note": "a note on the stop",
    "people": "people met; several separated by ';'",
    "source": "a link or reference for the stop",
    "lat": "latitude in decimal degrees",
    "lon": "longitude in decimal degrees",
    "trip_id": "an identifier for the trip",
    "description": "a line describing the trip",
    "inferred": "which of the stop's fields were inferred (the project's own files)",
}
# Header words per role, folded (lower case, no accents). A whole header equal to a word is the
# strongest sign; a header holding a word among others ('Date of arrival') the next.
_WORDS = {
    "arrive": "arrive arrival arrivals arrived start starts begin begins beginning arrivee debut ankunft anreise "
              "beginn anfang ankunftsdatum startdatum llegada inicio chegada entrada",
    "depart": "depart departure departures departed end ends finish until fin abfahrt abreise ende enddatum "
              "abreisedatum salida partida saida fim ate termino",
    "date": "date dates day days when datum daten tag tage termin fecha fechas dia dias data datas jour jours "
            "period periode periodo zeitraum reisedatum",
    "place": "place places city cities town towns location locations locale locales destination destinations "
             "where stop stops venue venues site municipality ville villes lieu lieux localite ciudad ciudades "
             "lugar lugares localidad destino destinos sitio stadt stadte ort orte reiseziel reiseziele ziel "
             "cidade cidades local locais localidade",
    "country": "country countries nation nations pays land lander staat staaten pais paises nacion",
    "trip": "trip trips title tour tours journey journeys voyage voyages mission reise reisen viaje viajes "
            "viagem viagens gira giras titre titel titulo",
    "leader": "leader leaders traveller travellers traveler travelers who dignitary principal voyageur voyageuse "
              "reisende reisender viajero viajera viajante",
    "role": "role position office fonction poste amt funktion cargo puesto",
    "events": "events event notes remarks details activities activity agenda program programme purpose purposes "
              "summary comments comment highlights anmerkung anmerkungen bemerkung bemerkungen notizen "
              "notiz ereignisse programm zweck remarques commentaires observations evenements activites objet notas "
              "observaciones comentarios actividades eventos proposito observacoes atividades detalhes motivo",
    "note": "note",
    "people": "people met counterpart counterparts participants attendees hosts host interlocutors personnes "
              "interlocuteurs personen gesprachspartner teilnehmer personas participantes pessoas",
    "source": "source sources link links url urls reference references citation quelle quellen fuente fuentes "
              "enlace fonte fontes lien liens",
    "lat": "lat latitude breite breitengrad",
    "lon": "lon lng long longitude lange langengrad",
    "trip_id": "trip_id",
    "description": "description",
    "inferred": "inferred",
}
# Written by the project's own CSV download (how each stop was placed), and ignored on the way
# back in: lat and lon carry the placement.
_PROJECT_COLUMNS = {*REQUIRED_CSV_COLUMNS, *OPTIONAL_CSV_COLUMNS}
_PROJECT_WRITTEN = {*GEOCODED_CSV_COLUMNS, "stop_no"}
# 'From' and 'To' are days in a stop list and places in a list of flights.
_EITHER_WAY = {"from": ("arrive", None), "to": ("depart", "place"), "von": ("arrive", None), "bis": ("depart", None),
               "de": ("arrive", None), "a": ("depart", "place"), "desde": ("arrive", None), "hasta": ("depart", None)}
# Where a header holds words of several roles, the more specific wins: 'Arrival date' is an
# arrival, 'Country code' a country, 'Leader role' a role.
_PRECEDENCE = ("trip_id", "lat", "lon", "arrive", "depart", "role", "people", "country", "date",
               "place", "trip", "leader", "source", "events", "note", "description", "inferred")


def _vocabulary() -> tuple[dict[str, str], list[tuple[tuple[str, ...], str]]]:
    """(whole header -> role, [(words of a header word or phrase, role)])."""
    exact: dict[str, str] = {}
    contained: list[tuple[tuple[str, ...], str]] = []
    for role in _PRECEDENCE:
        for phrase in _PHRASES.get(role, ()) + tuple(_WORDS[role].split()):
            phrase = header_key(phrase)
            exact.setdefault(phrase, role)
            contained.append((tuple(phrase.split()), role))
    return exact, contained


_PHRASES = {
    "arrive": ("arrival date", "date of arrival", "start date", "date from", "from date", "first day",
               "date d arrivee", "date de debut", "fecha de llegada", "fecha de inicio", "data de chegada",
               "data de inicio"),
    "depart": ("departure date", "date of departure", "end date", "to date", "last day", "date de depart",
               "date de fin", "fecha de salida", "fecha de fin", "data de partida", "data de fim"),
    "date": ("travel dates", "dates of travel"),
    "place": ("place visited", "places visited", "city visited", "cities visited", "city country",
              "place country", "location country", "town country"),
    "country": ("country name", "iso code", "country code"),
    "trip": ("trip name", "tour name", "trip title", "visit name"),
    "leader": ("name of traveller", "head of delegation"),
    "role": ("leader role", "title of office"),
    "events": ("what happened", "description of visit"),
    "people": ("met with", "meetings with"),
    "trip_id": ("trip id",),
}



def header_key(header: str) -> str:
    """A header as the vocabulary holds it: folded, punctuation and underscores as spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(header)).split())


_EXACT_HEADERS, _CONTAINED = _vocabulary()
_CONTAINED.sort(key=lambda item: (-len(item[0]), _PRECEDENCE.index(item[1])))


def role_from_header(header: str) -> tuple[str | None, int]:
    """(role, strength): 3 for a whole header that is a known word or phrase, 2 for one inside a
    longer header, 0 for none."""
    text = header_key(header)
    if not text:
        return None, 0
    if header.strip().lower() in _PROJECT_WRITTEN:
        return "ignored", 3
    if text in _EITHER_WAY:
        return _EITHER_WAY[text][0], 3
    if text in _EXACT_HEADERS:
        return _EXACT_HEADERS[text], 3
    words = text.split()
    found = []
    for phrase, role in _CONTAINED:
        n = len(phrase)
        if n > 1 or len(phrase[0]) > 2:
            if any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1)):
                found.append((len(phrase), -_PRECEDENCE.index(role), role))
    if not found:
        return None, 0
    return max(found)[2], 2


@dataclass
class Assignment:
    """The roles decided for one table: role -> column indexes (the first is the role's column,
    the rest fill its gaps), and what was decided and why, in words."""

    columns: dict[str, list[int]] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)
    unused: list[int] = field(default_factory=list)

    def first(self, role: str) -> int | None:
        found = self.columns.get(role)
        return found[0] if found else None


def _sample(rows: list[list[Any]], index: int, limit: int = 200) -> list[Any]:
    values = []
    for row in rows:
        if index < len(row):
            value = row[index]
            if value is not None and not (isinstance(value, str) and not value.strip()):
                values.append(value)
                if len(values) >= limit:
                    break
    return values


def _share(values: list[Any], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def is_date(value: Any) -> bool:
    if isinstance(value, str):
        try:
            parse_when(value)
            return True
        except ValueError:
            pass
    try:
        read_cell(value, None)
        return True
    except DateError as exc:
        return hasattr(exc, "parts")  # reads two ways: a date all the same


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value).replace(",", "."))
        return True
    except ValueError:
        return False


def is_country(value: Any) -> bool:
    return isinstance(value, str) and country_code(value) is not None


def _in_range(limit: float):
    def test(value: Any) -> bool:
        try:
            return abs(float(str(value).replace(",", "."))) <= limit
        except ValueError:
            return False
    return test


def _fits(role: str, values: list[Any]) -> bool:
    """Whether a column's cells can hold ``role``; an empty column fits anything."""
    if not values:
        return True
    if role in ("arrive", "depart", "date"):
        return _share(values, is_date) >= 0.5
    if role == "lat":
        return _share(values, _in_range(90)) >= 0.5
    if role == "lon":
        return _share(values, _in_range(180)) >= 0.5
    if role in ("place", "trip", "leader", "country"):
        return _share(values, lambda v: not is_date(v) and not is_number(v)) >= 0.5
    return True


def assign(header: list[str], rows: list[list[Any]], given: dict[str, str], detect: bool = True) -> Assignment:
    """Decide every column's role. ``given`` (role -> header text or 1-based column number) wins;
    with ``detect`` False it is the whole answer. Raises ValueError naming the columns when a
    given header is not in the table."""
    out = Assignment()
    taken: set[int] = set()
    for role, wanted in given.items():
        index = _find_column(header, wanted)
        if index is None:
            found = ", ".join(repr(h) for h in header if h) or "none"
            raise ValueError(f"--columns {role}={wanted}: no such column; the columns are {found}")
        out.columns[role] = [index]
        taken.add(index)
        out.said.append(f"'{header[index]}' is {role} (as you said)")

    candidates = []
    for index, name in enumerate(header):
        if index in taken or not detect:
            continue
        role, strength = role_from_header(name)
        candidates.append((index, name, role, strength))

    rejected: list[tuple[int, str, str]] = []
    for index, name, role, strength in candidates:
        if role is None:
            continue
        values = _sample(rows, index)
        key = header_key(name)
        if role in ("arrive", "depart") and key in _EITHER_WAY and not _fits(role, values):
            other = _EITHER_WAY[key][1]
            if other is None:  # the flight's origin: not a stop of its own
                out.said.append(f"'{name}' holds places, not dates: read as where each leg left from, not used")
                taken.add(index)
                continue
            role = other
        if role in given:
            continue
        own_name = name.strip().lower() in _PROJECT_COLUMNS  # the project's own files say what they hold
        if not own_name and not _fits(role, values):
            rejected.append((index, name, role))
            continue
        out.columns.setdefault(role, []).append(index)
        taken.add(index)
        if role != "ignored":
            extra = "" if len(out.columns[role]) == 1 else f", filling the empty cells of '{header[out.columns[role][0]]}'"
            out.said.append(f"'{name}' is {role}{extra}")

    for index, name, role in rejected:
        out.said.append(f"'{name}' looked like {role} by its name, but its cells do not fit; not used")

    # Columns no header word names: their cells may still say what they are.
    for index, name, role, _ in candidates:
        if index in taken:
            continue
        values = _sample(rows, index)
        for guess, test, share in (("date", is_date, 0.8), ("country", is_country, 0.8)):
            if guess == "date" and any(r in out.columns for r in ("date", "arrive")):
                continue
            if guess not in out.columns and values and _share(values, test) >= share:
                out.columns[guess] = [index]
                taken.add(index)
                out.said.append(f"'{name or f'column {index + 1}'}' is {guess} (its cells are {guess} values)")
                break
    if "place" not in out.columns:
        for index, name, _, _ in candidates:
            values = _sample(rows, index)
            if index not in taken and values and _fits("place", values) and _share(values, is_country) < 0.8:
                out.columns["place"] = [index]
                taken.add(index)
                out.said.append(f"'{name or f'column {index + 1}'}' is place (the first column of names; "
                                "say otherwise with --columns place=HEADER)")
                break
    if "place" not in out.columns and "country" in out.columns:
        out.columns["place"] = [out.columns["country"][0]]
        out.said.append(f"no column of places: each stop is the country in '{header[out.columns['country'][0]]}'")
    out.unused = [i for i, name in enumerate(header) if i not in taken and name and i not in
                  {c for cols in out.columns.values() for c in cols}]
    return out


def _find_column(header: list[str], wanted: str) -> int | None:
    wanted = wanted.strip()
    for index, name in enumerate(header):
        if name.strip() == wanted:
            return index
    for index, name in enumerate(header):
        if header_key(name) == header_key(wanted) and header_key(wanted):
            return index
    if wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    return None


def parse_column_hints(text: str | None) -> dict[str, str]:
    """'place=Ville,arrive=Date' -> {'place': 'Ville', 'arrive': 'Date'}; ValueError names what is wrong."""
    hints: dict[str, str] = {}
    if not text:
        return hints
    for part in text.split(","):
        if not part.strip():
            continue
        role, sep, header = part.partition("=")
        role = role.strip().lower()
        if not sep or not header.strip():
            raise ValueError(f"--columns: {part.strip()!r} is not ROLE=HEADER (e.g. place=Ville)")
        if role not in ROLES:
            raise ValueError(f"--columns: unknown role {role!r}; the roles are {', '.join(ROLES)}")
        hints[role] = header.strip()
    return hints
