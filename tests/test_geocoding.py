import csv
import json
import subprocess
import sys

import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderUnavailable
from geopy.location import Location

from dashboard.geocoding import EmptyPlaceError, Gazetteer, GeocodingError, UnknownCountryError
from dashboard.geocoding.online import OnlineProvider
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.paths import DEFAULT_TRIP
from dashboard.placenames import fold, key, short_forms, variant_key
from dashboard.sources import load_itinerary
from dashboard.store import SQLiteStore
from tests.conftest import REPO


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(progress=False)


def test_normalisation_folds_case_accents_saints_and_punctuation():
    assert fold("  SÃO   Paulo ") == "sao paulo"
    assert fold("St. Petersburg") == fold("Saint Petersburg") == "saint petersburg"
    assert key("Heiligen-damm") == key("Heiligendamm")
    assert key("L’Aquila") == key("L'Aquila")
    assert key("Łódź") == "lodz" and key("Ādaži") == "adazi"
    assert fold("The Hague") == "hague"


@pytest.mark.parametrize(
    "query, country_code, name_part",
    [
        ("Berlin", "DE", "Berlin"),
        ("Rome", "IT", "Rome"),
        ("Dili", "TL", "Dili"),
        ("Islamabad", "PK", "Islamabad"),
        ("Kiev", "UA", "Kyiv"),
        ("Kyiv", "UA", "Kyiv"),
        ("Peking", "CN", "Beijing"),
        ("Leningrad", "RU", "Petersburg"),
        ("Tblisi", "GE", "Tbilisi"),
        ("Warsaw", "PL", "Warsaw"),
    ],
)
def test_ranking_traps_without_a_country_hint(gazetteer, query, country_code, name_part):
    found = gazetteer.geocode(query)
    assert isinstance(found, Location)
    assert found.raw["country_code"] == country_code
    assert name_part in found.raw["matched_name"]


def test_kiev_and_kyiv_are_one_city(gazetteer):
    assert gazetteer.geocode("Kiev").point == gazetteer.geocode("Kyiv").point


def test_misspelling_reports_how_it_was_found(gazetteer):
    found = gazetteer.geocode("Warsav")
    assert found.raw["matched_name"] == "Warsaw" and found.raw["match"].startswith("spelling")
    assert found.raw["close_call"] and found.raw["source"] == "gazetteer"


@pytest.mark.parametrize("hint", ["Canada", "CA", "CAN", "canada"])
def test_country_hint_in_any_form_filters(gazetteer, hint):
    found = gazetteer.geocode("Sydney", country=hint)
    assert found.raw["country_code"] == "CA" and found.latitude > 45


def test_unknown_country_hint_is_a_clear_error(gazetteer):
    with pytest.raises(UnknownCountryError, match="unknown country 'Narnia'.*ISO 3166-1"):
        gazetteer.geocode("Paris", country="Narnia")


def test_historical_country_hint_covers_successor_states(gazetteer):
    assert gazetteer.geocode("Yalta", country="U.S.S.R.").raw["country_code"] == "UA"


def test_empty_place_is_a_clear_error(gazetteer):
    with pytest.raises(EmptyPlaceError, match="place is empty"):
        gazetteer.geocode("   ")


@pytest.mark.parametrize(
    "query, code, precision",
    [("Germany", "DE", "country"), ("Latvia", "LV", "country"), ("Vatican City", "VA", "country"),
     ("Malta", "MT", "country")],
)
def test_country_level_stops_resolve_to_the_capital(gazetteer, query, code, precision):
    found = gazetteer.geocode(query)
    assert found.raw["precision"] == precision and found.raw["country_code"] == code
    capital = {"DE": "Berlin", "LV": "Riga", "VA": "Vatican", "MT": "Valletta"}[code]
    assert abs(found.latitude - gazetteer.geocode(capital, country=code).latitude) < 0.2


@pytest.mark.parametrize(
    "query, code", [("Normandy", "FR"), ("Crete", "GR"), ("Bali", "ID"), ("Apulia", "IT"), ("Puglia", "IT")]
)
def test_regions_and_islands(gazetteer, query, code):
    found = gazetteer.geocode(query)
    assert found.raw["precision"] == "region" and found.raw["country_code"] == code


def test_cornwall_with_hint_is_the_county(gazetteer):
    assert gazetteer.geocode("Cornwall", country="GB").raw["precision"] == "region"


@pytest.mark.parametrize(
    "query, code", [("Camp David", "US"), ("Chevening", "GB"), ("Bagram Air Base", "AF"),
                    ("Ādaži Military Base", "LV"), ("Adazi Military Base", None)]
)
def test_venues_from_the_curated_file(gazetteer, query, code):
    found = gazetteer.geocode(query, country=code)
    assert found.raw["precision"] == "venue"
    assert found.raw["country_code"] == (code or "LV")


def test_region_named_like_its_capital_prefers_the_city(gazetteer):
    found = gazetteer.geocode("Salzburg", country="AT")
    assert found.raw["kind"] == "city"
    assert any(c["kind"] == "region" for c in found.raw["candidates"])


def test_exactly_one_false_returns_ranked_candidates(gazetteer):
    results = gazetteer.geocode("Newcastle", country="GB", exactly_one=False)
    assert len(results) > 1 and "Tyne" in results[0].raw["matched_name"]


def test_unknown_place_in_a_country_falls_back_to_the_country_and_says_so(gazetteer):
    found = gazetteer.geocode("Xqzzyville", country="IE")
    assert found.raw["precision"] == "country" and found.raw["match"].startswith("not found")
    assert gazetteer.geocode("Xqzzyville") is None


def test_resolver_order_itinerary_then_override_then_gazetteer(gazetteer, tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite")
    resolver = PlaceResolver(gazetteer, store)
    pinned = resolver.resolve("Warsaw", "PL", 52.0, 21.0)
    assert (pinned.lat, pinned.source) == (52.0, "override")
    assert resolver.resolve("Warsaw", "PL").source == "gazetteer"
    store.save_override("Warsaw", "PL", 52.5, 21.5, "My Warsaw pin", "PL")
    saved = resolver.resolve("warsaw", "PL")
    assert (saved.lat, saved.source, saved.matched_name) == (52.5, "override", "My Warsaw pin")


def test_unknown_country_in_a_stop_is_noted_and_the_stop_still_placed(gazetteer):
    found = PlaceResolver(gazetteer).resolve("Warsaw", "Narnia")
    assert found.resolved and "unknown country 'Narnia'" in found.note


def test_overrides_persist_across_processes(tmp_path):
    path = tmp_path / "store.sqlite"
    code = ("import sys; from dashboard.store import SQLiteStore; "
            "SQLiteStore(sys.argv[1]).save_override('Kyiv', 'UA', 50.0, 30.0, 'Pinned', 'UA')")
    subprocess.run([sys.executable, "-c", code, str(path)], cwd=REPO, check=True)
    assert SQLiteStore(path).override("KYIV", "UA")["name"] == "Pinned"


def test_geocode_stops_fills_every_column_for_the_first_trip(gazetteer, tmp_path):
    stops = load_itinerary(DEFAULT_TRIP).stops
    placed = PlaceResolver(gazetteer, SQLiteStore(tmp_path / "s.sqlite")).geocode_stops(stops)
    assert placed["lat"].notna().all()
    assert list(placed["country_code"]) == ["UA", "PL", "DE", "LV"]
    assert list(placed["precision"]) == ["city", "city", "city", "venue"]
    assert json.loads(placed["candidates"].iloc[0]) is not None


class FakeNominatim(BaseSyncAdapter):
    calls: list[str] = []
    reachable = True

    def get_json(self, url, *, timeout, headers):
        FakeNominatim.calls.append(url)
        if not FakeNominatim.reachable:
            raise GeocoderUnavailable("service not reachable (fake)")
        # A made-up answer: the test checks the plumbing, not a place.
        return [{"lat": "53.1000", "lon": "-7.2000", "display_name": "Xqzzy Hall, County Nowhere, Ireland"}]

    def get_text(self, url, *, timeout, headers):
        raise NotImplementedError


def test_online_provider_is_used_for_weak_matches_and_cached(gazetteer, tmp_path):
    FakeNominatim.calls, FakeNominatim.reachable = [], True
    store = SQLiteStore(tmp_path / "s.sqlite")
    provider = OnlineProvider("nominatim", "tripviz-tests", adapter_factory=FakeNominatim, min_delay_seconds=0)
    resolver = PlaceResolver(gazetteer, store, provider)
    first = resolver.resolve("Xqzzy Hall", "IE")
    assert first.source == "online" and first.lat == pytest.approx(53.1)
    assert "countrycodes=ie" in FakeNominatim.calls[0]
    again = PlaceResolver(gazetteer, store, provider).resolve("Xqzzy Hall", "IE")
    assert again.source == "cache" and len(FakeNominatim.calls) == 1
    assert resolver.resolve("Warsaw", "PL").source == "gazetteer"  # confident offline answers stay offline


def test_online_provider_unreachable_falls_back_with_a_warning(gazetteer, tmp_path):
    FakeNominatim.calls, FakeNominatim.reachable = [], False
    provider = OnlineProvider("nominatim", "tripviz-tests", adapter_factory=FakeNominatim, min_delay_seconds=0)
    resolver = PlaceResolver(gazetteer, SQLiteStore(tmp_path / "s.sqlite"), provider)
    found = resolver.resolve("Xqzzy Hall", "IE")
    assert found.source == "gazetteer" and found.precision == "country"
    assert resolver.warnings and "unreachable" in resolver.warnings[0]
    resolver.resolve("Another Unknown Place", "IE")
    assert len(FakeNominatim.calls) <= 2  # gave up after the failure instead of waiting per stop


class FakePhoton(BaseSyncAdapter):
    calls: list[str] = []

    def get_json(self, url, *, timeout, headers):
        FakePhoton.calls.append(url)
        # Made-up answers in Photon's GeoJSON: the first is in the wrong country.
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-71.0, 42.0]},
             "properties": {"name": "Xqzzy Hall", "countrycode": "US", "country": "United States"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-7.2, 53.1]},
             "properties": {"name": "Xqzzy Hall", "countrycode": "IE", "country": "Ireland"}},
        ]}

    def get_text(self, url, *, timeout, headers):
        raise NotImplementedError


def test_self_hosted_photon_on_its_own_domain_keeps_the_country(gazetteer, tmp_path):
    FakePhoton.calls = []
    provider = OnlineProvider("photon", "tripviz-tests", domain="photon.desk.internal:2322", scheme="http",
                              adapter_factory=FakePhoton)
    found = PlaceResolver(gazetteer, SQLiteStore(tmp_path / "s.sqlite"), provider).resolve("Xqzzy Hall", "IE")
    assert found.source == "online" and found.lat == pytest.approx(53.1) and found.confidence == "check"
    assert FakePhoton.calls[0].startswith("http://photon.desk.internal:2322/api")


def test_online_provider_needs_a_user_agent_and_a_known_name():
    with pytest.raises(GeocodingError, match="user agent"):
        OnlineProvider("nominatim", None)
    with pytest.raises(GeocodingError, match="unknown online provider"):
        OnlineProvider("no-such-service", "ua")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_geocode_cli_round_trip(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("place,country,note\nKyiv,UA,first\nBerlin,,second\n,PL,empty\nXqzzy,,nowhere\n")
    target = tmp_path / "out.csv"
    result = run_cli("geocode", str(source), "-o", str(target))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(target.open()))
    assert [r["note"] for r in rows] == ["first", "second", "empty", "nowhere"]
    assert rows[0]["country_code"] == "UA" and rows[0]["source"] == "gazetteer"
    assert rows[1]["country_code"] == "DE" and float(rows[1]["lat"]) == pytest.approx(52.52, abs=0.1)
    assert rows[2]["lat"] == "" and rows[2]["reason"] == "empty place"
    assert rows[3]["lat"] == "" and "not found" in rows[3]["reason"]
    assert "2 of 4 place(s) geocoded" in result.stderr


def test_geocode_cli_rejects_bad_input_clearly(tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = run_cli("geocode", str(binary), "-o", str(tmp_path / "o.csv"))
    assert result.returncode == 2 and "not a CSV" in result.stderr and "Traceback" not in result.stderr
    no_place = tmp_path / "cities.csv"
    no_place.write_text("city,country\nKyiv,UA\n")
    result = run_cli("geocode", str(no_place), "-o", str(tmp_path / "o.csv"))
    assert result.returncode == 2 and "no 'place' column" in result.stderr and "city" in result.stderr


def test_index_rebuilds_when_a_curated_file_changes(tmp_path, monkeypatch):
    import shutil

    from dashboard.geocoding import index

    monkeypatch.setenv("TRIPVIZ_CACHE_DIR", str(tmp_path / "cache"))
    curated = tmp_path / "gazetteer"
    shutil.copytree(index.GAZETTEER_DIR, curated)
    monkeypatch.setattr(index, "GAZETTEER_DIR", curated)
    before = index.index_path()
    assert Gazetteer(progress=False).geocode("Zzyzx Test Lodge") is None
    with open(curated / "venues.csv", "a", encoding="utf-8") as handle:
        handle.write("Zzyzx Test Lodge,,US,35.143,-116.104,venue,Wikipedia: Zzyzx (a row added by this test)\n")
    assert index.index_path() != before
    found = Gazetteer(progress=False).geocode("Zzyzx Test Lodge")
    assert found is not None and found.raw["kind"] == "venue" and found.latitude == pytest.approx(35.143)
    assert [p.name for p in (tmp_path / "cache").glob("gazetteer-*.sqlite")] == [index.index_path().name]


@pytest.mark.parametrize("name, short", [
    ("Frankfurt am Main", ["Frankfurt"]),
    ("Halle (Saale)", ["Halle"]),
    ("Stratford-upon-Avon", ["Stratford"]),
    ("Évian-les-Bains", ["Évian"]),
    ("San Cristóbal de las Casas", ["San Cristóbal"]),
    ("Bad Homburg vor der Höhe", ["Homburg vor der Höhe", "Homburg", "Bad Homburg"]),
    ("Rio de Janeiro", []),  # not 'Rio': a Romance 'de' is a qualifier only after a saint's name
    ("Mar del Plata", []),
    ("Paris", []),
])
def test_short_forms_of_a_settlement_name(name, short):
    assert short_forms(name) == short


def test_saint_in_any_language_is_one_spelling_variant():
    assert variant_key("San Sebastián") == variant_key("Saint Sebastian") == variant_key("Sankt Sebastian")
    assert variant_key("Sveti Stefan") == variant_key("St. Stefan")


def test_a_short_form_alone_is_found_but_not_confident(gazetteer):
    found = gazetteer.geocode("Kissingen", country="DE")
    assert found.raw["matched_name"] == "Bad Kissingen" and found.raw["confidence"] == "check"
    assert "without a qualifier" in found.raw["reason"]


def test_a_town_named_exactly_so_is_doubtful_beside_a_spa_town_of_its_size(gazetteer):
    found = gazetteer.geocode("Homburg", country="Germany")
    assert found.raw["confidence"] == "check"
    assert any(c["name"] == "Bad Homburg vor der Höhe" and c["namesake"] for c in found.raw["candidates"])


@pytest.mark.parametrize("query, matched, smaller", [
    ("Aix", "Aix-en-Provence", "Aix-les-Bains"),
    ("Ústí", "Ústí nad Labem", "Ústí nad Orlicí"),
])
def test_weight_decides_between_places_called_so_for_short(gazetteer, query, matched, smaller):
    found = gazetteer.geocode(query)
    assert found.raw["matched_name"] == matched and found.raw["confidence"] == "high"
    assert smaller in [c["name"] for c in found.raw["candidates"]]


def test_another_name_is_doubtful_when_a_place_is_called_so_for_short(gazetteer):
    found = gazetteer.geocode("Santa Maria", country="Spain")
    assert found.raw["confidence"] == "check"
    assert "Santa Maria del Camí" in found.raw["reason"] and "for short" in found.raw["reason"]
