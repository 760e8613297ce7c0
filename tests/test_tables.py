"""Any table in: the spreadsheets people keep, in their own column names, languages, date formats,
encodings, separators and file types, read with no hints; the ambiguous ones refused until told.
Every table here is of this project's own making."""

import base64
import io
import subprocess
import sys
from datetime import date, datetime

import pytest
from dash import no_update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.features import files
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import ItineraryError
from dashboard.sources import TableHints, parse_itinerary, table_columns
from dashboard.sources.table_dates import DateError, column_order, read_cell
from dashboard.store import SQLiteStore

DAYS = [date(2025, 8, 24), date(2025, 8, 25), date(2025, 8, 26), date(2025, 8, 27)]


def days(result, column="arrive"):
    return [d.date() for d in result.stops[column]]


def xlsx(rows, sheets=None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Trip"
    for row in rows:
        book.active.append(row)
    for name, more in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in more:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Reise")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


TABLES = {
    "english, day-first": ("trip list.csv", "utf-8",
                           "Date,City,Country,Notes\n24/08/2025,Kyiv,Ukraine,Independence Day\n25/08/2025,Warsaw,"
                           "Poland,\n26/08/2025,Berlin,Germany,Talks\n27/08/2025,Riga,Latvia,\n"),
    "french, cp1252, semicolons, month names": (
        "voyage.csv", "cp1252",
        "Date;Ville;Pays;Remarques\n24 août 2025;Kiev;Ukraine;Fête\n25 août 2025;Varsovie;Pologne;\n"
        "26 août 2025;Berlin;Allemagne;Entretiens\n27 août 2025;Riga;Lettonie;\n"),
    "german, UTF-16 tab-separated, dotted dates": (
        "reise.tsv", "utf-16",
        "Datum\tStadt\tLand\tAnmerkung\n24.08.2025\tKiew\tUkraine\tFeier\n25.08.2025\tWarschau\tPolen\t\n"
        "26.08.2025\tBerlin\tDeutschland\t\n27.08.2025\tRiga\tLettland\tBesuch\n"),
    "spanish, BOM, ISO codes, weekday names": (
        "viaje.csv", "utf-8-sig",
        "Fecha,Ciudad,País\ndomingo 24 de agosto de 2025,Kiev,UA\nlunes 25 de agosto de 2025,Varsovia,PL\n"
        "martes 26 de agosto de 2025,Berlín,DE\nmiércoles 27 de agosto de 2025,Riga,LV\n"),
    "portuguese, vertical bars, City, Country cells": (
        "viagem.csv", "utf-8",
        "Data|Local\n24/08/2025|Kiev, Ucrânia\n25/08/2025|Varsóvia, Polónia\n26/08/2025|Berlim, Alemanha\n"
        "27/08/2025|Riga, Letónia\n"),
    "month-first with times": (
        "us.csv", "utf-8",
        "When,Where\n08/24/2025 9:30 AM,\"Kyiv, Ukraine\"\n08/25/2025 2:15 PM,\"Warsaw, Poland\"\n"
        "08/26/2025,\"Berlin, Germany\"\n08/27/2025,\"Riga, Latvia\"\n"),
}


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    return PlaceResolver(store=SQLiteStore(tmp_path_factory.mktemp("store") / "store.sqlite"))


@pytest.mark.parametrize("kind", list(TABLES))
def test_tables_people_keep_load_right_with_no_hints(kind, resolver):
    name, encoding, text = TABLES[kind]
    result = parse_itinerary(text.encode(encoding), name)
    assert result.errors == [], [str(p) for p in result.errors]
    assert days(result) == DAYS and days(result, "depart") == DAYS
    placed = resolver.geocode_stops(result.stops)
    assert list(placed["country_code"]) == ["UA", "PL", "DE", "LV"]
    assert list(placed["matched_name"]) == ["Kyiv", "Warsaw", "Berlin", "Riga"]
    said = " ".join(result.understood)
    assert "place" in said and "date" in said and "one trip" in said and "leader is left empty" in said
    assert result.trips["leader"].tolist() == [""]


def test_the_reading_is_said_encoding_separator_roles_and_order():
    name, encoding, text = TABLES["german, UTF-16 tab-separated, dotted dates"]
    said = parse_itinerary(text.encode(encoding), name).understood[0]
    for words in ("UTF-16", "tab-separated", "'Datum' is date", "'Stadt' is place", "'Land' is country",
                  "'Anmerkung' is events", "day-first", "titled 'reise'"):
        assert words in said
    _, encoding, text = TABLES["french, cp1252, semicolons, month names"]
    assert "Windows-1252 text, semicolon-separated" in parse_itinerary(text.encode(encoding), "v.csv").understood[0]


def test_arrival_and_departure_columns_ranges_and_one_date_rows():
    text = ("Trip,Traveller,Location,Arrival date,Departure date\n"
            "Europe,A. Leader,Kyiv,\"Aug 24, 2025\",\"Aug 25, 2025\"\n"
            "Europe,A. Leader,Warsaw,\"Aug 25, 2025\",\n"
            "Europe,A. Leader,Berlin,26-27 Aug 2025,\n"
            "Europe,A. Leader,Riga,\"Dec 30, 2025–Jan 1, 2026\",\n")
    result = parse_itinerary(text, "t.csv")
    assert result.errors == [], [str(p) for p in result.errors]
    assert days(result) == [date(2025, 8, 24), date(2025, 8, 25), date(2025, 8, 26), date(2025, 12, 30)]
    assert days(result, "depart") == [date(2025, 8, 25), date(2025, 8, 25), date(2025, 8, 27), date(2026, 1, 1)]
    assert result.trips["leader"].tolist() == ["A. Leader"]


def test_a_list_of_flights_takes_the_destination_as_the_stop():
    text = "Date,From,To\n2025-08-24,Ottawa,Kyiv\n2025-08-25,Kyiv,Warsaw\n"
    result = parse_itinerary(text, "flights.csv")
    assert list(result.stops["place"]) == ["Kyiv", "Warsaw"]
    assert "where each leg left from" in result.understood[0]


def test_an_excel_workbook_with_date_cells_and_a_second_sheet():
    rows = [["Dates", "Location", "Purpose", "Met with"],
            [datetime(2025, 8, 24), "Kyiv, Ukraine", "Independence Day", "Volodymyr Zelenskyy"],
            [date(2025, 8, 25), "Warsaw, Poland", "Talks", "Donald Tusk"],
            ["Aug 26–27, 2025", "Berlin, Germany", "", ""],
            [datetime(2025, 8, 27, 10, 30), "Riga, Latvia", "", ""]]
    result = parse_itinerary(xlsx(rows, {"Notes": [["Anything"], ["not a trip"]]}), "tour.xlsx")
    assert result.errors == [], [str(p) for p in result.errors]
    assert list(result.stops["place"]) == ["Kyiv", "Warsaw", "Berlin", "Riga"]
    assert list(result.stops["country"]) == ["Ukraine", "Poland", "Germany", "Latvia"]
    assert days(result) == [date(2025, 8, 24), date(2025, 8, 25), date(2025, 8, 26), date(2025, 8, 27)]
    assert days(result, "depart")[2] == date(2025, 8, 27)
    assert bool(result.stops["arrive_has_time"].iloc[3]) and result.stops["arrive"].iloc[3].hour == 10
    assert result.events["people"].iloc[0] == "Volodymyr Zelenskyy"
    assert any("sheet 'Notes'" in str(p) and "skipped" in str(p) for p in result.warnings)
    only = parse_itinerary(xlsx(rows), "tour.xlsx", TableHints(sheet="Trip"))
    assert len(only.stops) == 4
    with pytest.raises(ItineraryError, match="no sheet named 'Elsewhere'"):
        parse_itinerary(xlsx(rows), "tour.xlsx", TableHints(sheet="Elsewhere"))


def test_an_opendocument_spreadsheet():
    rows = [["Datum", "Ort", "Land"], [date(2025, 8, 24), "Kiew", "Ukraine"], [date(2025, 8, 25), "Genève", "Schweiz"]]
    result = parse_itinerary(ods(rows), "reise.ods")
    assert result.errors == [] and days(result) == [date(2025, 8, 24), date(2025, 8, 25)]
    assert list(result.stops["place"]) == ["Kiew", "Genève"]


def test_an_ambiguous_date_column_is_refused_with_both_readings_until_told():
    text = "Date,City\n03/04/2025,Paris\n05/04/2025,Rome\n"
    with pytest.raises(ItineraryError) as info:
        parse_itinerary(text, "spring.csv")
    message = str(info.value)
    assert "column 'Date'" in message and "3 April 2025 day-first" in message and "4 March 2025 month-first" in message
    assert "--date-order" in message
    assert days(parse_itinerary(text, "spring.csv", TableHints(date_order="dmy"))) == [date(2025, 4, 3), date(2025, 4, 5)]
    assert days(parse_itinerary(text, "spring.csv", TableHints(date_order="mdy"))) == [date(2025, 3, 4), date(2025, 5, 4)]


def test_the_order_is_decided_by_the_whole_column():
    assert column_order(["03/04/2025", "13/04/2025"], None) == ("dmy", None)
    assert column_order(["03/04/2025", "04/13/2025"], None) == ("mdy", None)
    assert column_order(["03/04/2025", "13/04/2025", "04/13/2025"], None)[0] is None
    assert column_order(["24 August 2025", "2025-08-25"], None) == (None, None)
    with pytest.raises(DateError):
        read_cell("03/04/2025", None)


@pytest.mark.parametrize("cell, expected", [
    ("24. August 2025", (date(2025, 8, 24), date(2025, 8, 24))),
    ("1er septembre 2025", (date(2025, 9, 1), date(2025, 9, 1))),
    ("24–25 Aug 2025", (date(2025, 8, 24), date(2025, 8, 25))),
    ("Aug 24-25, 2025", (date(2025, 8, 24), date(2025, 8, 25))),
    ("24/08/2025 - 27/08/2025", (date(2025, 8, 24), date(2025, 8, 27))),
    ("Dec 30, 2024–Jan 1, 2025", (date(2024, 12, 30), date(2025, 1, 1))),
    ("30 Dec - 2 Jan 2025", (date(2024, 12, 30), date(2025, 1, 2))),
    ("Sunday, August 24, 2025", (date(2025, 8, 24), date(2025, 8, 24))),
    ("24 de agosto de 2025", (date(2025, 8, 24), date(2025, 8, 24))),
])
def test_values_people_write(cell, expected):
    start, end, _ = read_cell(cell, "dmy")
    assert (start.date(), end.date()) == expected


def test_columns_given_by_the_user_win():
    text = "Quand,Ou,Qui\n2025-08-24,Kyiv,Someone\n2025-08-25,Warsaw,Someone\n"
    with pytest.raises(ItineraryError):
        parse_itinerary(text, "t.csv", TableHints.from_text(columns="place=Nowhere"))
    result = parse_itinerary(text, "t.csv", TableHints.from_text(columns="date=Quand,place=Ou,leader=Qui"))
    assert list(result.stops["place"]) == ["Kyiv", "Warsaw"] and result.trips["leader"].tolist() == ["Someone"]
    with pytest.raises(ValueError, match="unknown role"):
        TableHints.from_text(columns="city=Ou")
    with pytest.raises(ValueError, match="not one of"):
        TableHints.from_text(date_order="ddmm")


def test_the_trip_title_and_traveller_given_for_a_table_without_them():
    text = "Date,City\n2025-08-24,Kyiv\n"
    result = parse_itinerary(text, "kyiv_visit.csv", TableHints(trip_title="Kyiv visit", leader="A. Leader"))
    assert result.trips[["trip", "leader"]].values.tolist() == [["Kyiv visit", "A. Leader"]]
    assert parse_itinerary(text, "kyiv_visit-2025.csv").trips["trip"].tolist() == ["kyiv visit 2025"]


@pytest.mark.parametrize("content, name, words", [
    (b"", "empty.csv", "empty"),
    ("Hotel,Rating\nHyatt,4\nRitz,5\n", "hotels.csv", "no column of dates"),
    ("Date,Rating\n2025-08-24,4\n", "ratings.csv", "no column of places"),
    (b"PK\x03\x04 this is no workbook", "broken.xlsx", "not a readable workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600,
     "locked.xlsx", "password"),
    (b"\x00\x01\x02binary\x00\xff" * 50, "blob.csv", "not a text table"),
])
def test_bad_tables_get_one_clear_message(content, name, words):
    with pytest.raises(ItineraryError) as info:
        parse_itinerary(content, name)
    assert words in str(info.value) and name in str(info.value)


def test_an_empty_sheet_and_a_huge_file_get_one_clear_message(tmp_path):
    with pytest.raises(ItineraryError, match="holds no cells"):
        parse_itinerary(xlsx([]), "empty.xlsx")
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(100_000_000)
    from dashboard.sources import load_itinerary

    with pytest.raises(ItineraryError, match="100 MB"):
        load_itinerary(huge)


def test_a_cell_not_understood_is_named_and_the_other_rows_load():
    text = "Date,City,Hotel\n24/08/2025,Kyiv,Hyatt\nsoon,Warsaw,Bristol\n26/08/2025,Berlin,Adlon\n"
    result = parse_itinerary(text, "t.csv")
    assert list(result.stops["place"]) == ["Kyiv", "Berlin"]
    error = result.errors[0]
    assert (error.location, error.column, error.value) == ("row 3", "Date", "soon")
    assert "24/08/2025" in error.message  # what would work
    assert any(p.column == "Hotel" and "--columns" in p.message for p in result.warnings)


def test_the_dashboard_loads_an_xlsx_and_asks_before_an_ambiguous_table(resolver):
    contents = "data:application/octet-stream;base64," + base64.b64encode(
        xlsx([["Datum", "Stadt"], [date(2025, 8, 24), "Kiew"], [date(2025, 8, 25), "Warschau"]])).decode()
    loaded = files.load_table_upload(contents, "reise.xlsx", None, None, resolver)
    assert [s["place"] for s in loaded["own"]["stops"]] == ["Kiew", "Warschau"]
    assert loaded["hidden"] is False and loaded["open"] is False  # 'Change columns' offered, closed
    assert "'Stadt' is place" in str(loaded["messages"])

    ambiguous = "data:text/csv;base64," + base64.b64encode(b"Date,City\n03/04/2025,Paris\n05/04/2025,Rome\n").decode()
    asked = files.load_table_upload(ambiguous, "spring.csv", None, None, resolver)
    assert asked["own"] is no_update and asked["open"] is True
    assert "day-first" in str(asked["messages"]) and "Nothing was loaded" in str(asked["messages"])
    assert [tuple(c) for c in asked["table"]["columns"]] == [("Date", "date"), ("City", "place")]
    hints = files.hints_from_form(asked["table"]["columns"], ["date", "place"], "mdy", "Spring", "")
    again = files.load_table_upload(asked["table"]["contents"], "spring.csv", None, None, resolver, hints,
                                    earlier=asked["table"])
    assert [s["arrive"][:10] for s in again["own"]["stops"]] == ["2025-03-04", "2025-05-04"]
    renamed = files.load_table_upload(asked["table"]["contents"], "spring.csv", None, again["own"], resolver,
                                      files.hints_from_form(again["table"]["columns"], ["date", "place"], "dmy",
                                                            "Spring, day-first", ""), earlier=again["table"])
    assert [t["trip"] for t in renamed["own"]["trips"]] == ["Spring, day-first"]  # the reload replaced the first


def test_table_columns_for_the_form():
    assert table_columns(b"Date,City,Hotel\n2025-08-24,Kyiv,Hyatt\n", "t.csv") == [
        ("Date", "date"), ("City", "place"), ("Hotel", None)]
    assert table_columns(b'{"trips": []}', "t.json") == []


def test_check_and_convert_say_what_was_understood(tmp_path):
    table = tmp_path / "spring.csv"
    table.write_text("Date,City\n03/04/2025,Paris\n05/04/2025,Rome\n")
    run = [sys.executable, "-m", "dashboard"]
    refused = subprocess.run([*run, "check", str(table)], capture_output=True, text=True)
    assert refused.returncode == 1 and "--date-order" in refused.stderr and "Traceback" not in refused.stderr
    out = tmp_path / "spring.json"
    done = subprocess.run([*run, "convert", str(table), "-o", str(out), "--date-order", "dmy", "--leader", "A. Leader",
                           "--trip-title", "Spring"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "read: " in done.stderr and "'City' is place" in done.stderr and "day-first (as you said)" in done.stderr
    reloaded = parse_itinerary(out.read_text(), "spring.json")
    assert days(reloaded) == [date(2025, 4, 3), date(2025, 4, 5)] and reloaded.trips["leader"].tolist() == ["A. Leader"]
    bad = subprocess.run([*run, "check", str(table), "--columns", "town=City"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown role" in bad.stderr and "Traceback" not in bad.stderr


# Generated tables: header words of each language, date forms, encodings and separators, with
# optional columns empty, partly filled or full; read back with no hints.
HEADERS = {
    "en": ("Date", "City", "Country", "Notes"), "fr": ("Date", "Ville", "Pays", "Remarques"),
    "de": ("Datum", "Stadt", "Land", "Anmerkung"), "es": ("Fecha", "Ciudad", "País", "Observaciones"),
    "pt": ("Data", "Cidade", "País", "Observações"),
}
MONTHS = {"en": "January February March April May June July August September October November December",
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
          "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
          "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
          "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"}
PLACES = [("Kyiv", "UA"), ("Warsaw", "PL"), ("Berlin", "DE"), ("Riga", "LV"), ("Paris", "FR"), ("Madrid", "ES")]


def written(day: date, form: str, language: str) -> str:
    month = MONTHS[language].split()[day.month - 1]
    return {"iso": day.isoformat(), "dmy": f"{day.day:02d}/{day.month:02d}/{day.year}",
            "dots": f"{day.day:02d}.{day.month:02d}.{day.year}", "mdy": f"{day.month:02d}/{day.day:02d}/{day.year}",
            "name": f"{day.day} {month} {day.year}"}[form]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(language=st.sampled_from(sorted(HEADERS)), form=st.sampled_from(["iso", "dmy", "dots", "mdy", "name"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), sep=st.sampled_from([",", ";", "\t", "|"]),
       stops=st.lists(st.tuples(st.integers(0, len(PLACES) - 1), st.booleans(),
                                st.sampled_from(["", "Talks", "Met <b>the</b> mayor", "Visite d'État", "a|b"])),
                      min_size=1, max_size=8),
       start=st.dates(min_value=date(1950, 1, 13), max_value=date(2040, 1, 1)))
def test_generated_tables_read_back_with_no_hints(language, form, encoding, sep, stops, start):
    from datetime import timedelta

    header = HEADERS[language]
    lines = [sep.join(header)]
    when = [start + timedelta(days=i) for i in range(len(stops))]
    if form in ("dmy", "dots", "mdy") and all(d.day <= 12 for d in when):
        when[0] = when[0].replace(day=13)  # one value past 12 decides the order, as in a real column
        when = [when[0] + timedelta(days=i) for i in range(len(stops))]
    for (place_index, with_country, note), day in zip(stops, when):
        place, code = PLACES[place_index]
        cells = [written(day, form, language), place, code if with_country else "", note.replace(sep, " ")]
        lines.append(sep.join(f'"{c}"' if sep in c or '"' in c else c for c in cells))
    result = parse_itinerary(("\n".join(lines) + "\n").encode(encoding), f"trip.{'tsv' if sep == chr(9) else 'csv'}")
    assert result.errors == [], [str(p) for p in result.errors]
    assert list(result.stops["place"]) == [PLACES[i][0] for i, _, _ in stops]
    assert days(result) == when and days(result, "depart") == when
    assert [c if isinstance(c, str) else "" for c in result.stops["country"]] == [
        PLACES[i][1] if with_country else "" for i, with_country, _ in stops]


# ---------------------------------------------------------------------------- in the browser

def map_labels(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .scattergeo text')).map(t => t.textContent)")


@pytest.mark.browser
def test_the_dashboard_draws_an_uploaded_workbook_and_a_table_told_its_date_order(live_server, browser, tmp_path):
    from tests.browser import wait_until
    from tests.test_dashboard import wait_for_map

    browser.get(live_server() + "/")
    wait_for_map(browser)
    book = tmp_path / "reise.xlsx"
    book.write_bytes(xlsx([["Datum", "Stadt", "Land", "Anmerkung"],
                           [datetime(2025, 8, 24), "Kiew", "Ukraine", "Unabhängigkeitstag"],
                           [datetime(2025, 8, 25), "Warschau", "Polen", None],
                           [datetime(2025, 8, 26), "Berlin", "Deutschland", "<b>Gespräch</b>"]]))
    browser.find_element("css selector", "#upload input[type=file]").send_keys(str(book))
    wait_until(browser, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                        ".map(t => t.textContent).includes('2 Warschau')", 30)
    assert {"1 Kiew", "2 Warschau", "3 Berlin"} <= set(map_labels(browser))
    messages = browser.find_element("id", "messages").text
    assert "'Stadt' is place" in messages and "'Datum'" in messages
    assert browser.find_element("id", "table-columns").is_displayed()

    # A table whose dates read both ways: refused, the form opens; told day-first, it loads.
    spring = tmp_path / "spring.csv"
    spring.write_text("Date;City\n03/04/2025;Paris\n05/04/2025;Rome\n", encoding="utf-8")
    browser.find_element("css selector", "#upload input[type=file]").send_keys(str(spring))
    wait_until(browser, "return document.getElementById('messages').innerText.includes('month-first')", 30)
    assert "2 Rome" not in map_labels(browser)
    wait_until(browser, "return document.getElementById('table-columns').open", 10)
    browser.find_element("css selector", "#table-date-order").click()
    wait_until(browser, "return !!document.querySelector('[role=option] input[value=\"dmy\"]')", 10)
    browser.execute_script("document.querySelector('[role=option] input[value=\"dmy\"]').closest('label').click()")
    browser.find_element("id", "table-columns-apply").click()
    wait_until(browser, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                        ".map(t => t.textContent).includes('2 Rome')", 30)
    arrivals = ("return Array.from(document.querySelectorAll('#stops-grid .ag-row [col-id=arrive]'))"
                ".map(c => c.innerText).join('|')")
    wait_until(browser, arrivals + " === 'Thu 03 Apr 2025|Sat 05 Apr 2025'", 20)  # day-first, as told
