"""Place-name normalisation: how two spellings of a name are compared. Shared by the gazetteer's index
builder and lookups (they must agree) and by the store's keys for saved choices. Pure text, no I/O."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

# Letters that NFKD does not split into base letter + accent.
_FOLD = str.maketrans({
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "’": "'", "‘": "'", "`": "'",
})
_SAINT = re.compile(r"\b(st|ste|saint|sainte|san|santa|sankt|sao|santo)\b\.?\s*")
_SAINT_CANONICAL = {"st": "saint", "saint": "saint", "ste": "sainte", "sainte": "sainte"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_MOUNT = re.compile(r"\bmt\b\.?")
_FORT = re.compile(r"\bft\b\.?")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@functools.lru_cache(maxsize=65_536)  # bounded; a name is folded for its key and its variant key in turn
def fold(text: str) -> str:
    """Lower case, no accents, abbreviations expanded, words separated by single spaces."""
    text = text.translate(_FOLD)
    if not text.isascii():  # most names are: the index build folds millions of them
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.lower()
    if text.isascii() and "_" not in text:
        # Here a word in the regexes' sense (\b) is a run of letters and digits: split once and
        # look each word up, the same answer as the regexes below at a third of the time.
        words = [_ABBREVIATIONS.get(w, w) for w in _NON_WORD.split(text) if w]
    else:
        text = _SAINT.sub(lambda m: _SAINT_CANONICAL.get(m.group(1), m.group(1)) + " ", text)
        text = _MOUNT.sub("mount", text)
        text = _FORT.sub("fort", text)
        words = _NON_WORD.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def key(text: str) -> str:
    """The lookup key: the folded name with no spaces, so 'Heiligen-damm' meets 'Heiligendamm'."""
    return fold(text).replace(" ", "")


def words(text: str) -> list[str]:
    return fold(text).split()


# Transliteration: the same Arabic, Cyrillic or Hebrew name reaches English in several spellings
# ("Tobruk"/"Tubruq", "Jeddah"/"Jiddah", "Al-Qatif"/"Qatif"). The variant key folds together
# the alternations romanisations disagree on (o/u, e/i/y, k/q/c, kh/h, doubled letters) and sets
# Arabic articles and a leading "Bad" aside. Vowels are kept: a consonant skeleton alone was measured to
# match the wrong town more often than the right one.
# Arabic articles as romanised, wherever they stand ("Kasr el-Mukhtar", "Qasr al Mukhtar").
_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et", "en", "ez", "ul"}
_DIGRAPHS = (("tsch", "ch"), ("dsch", "j"), ("tch", "ch"), ("kh", "h"), ("gh", "g"), ("sh", "s"),
             ("zh", "j"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k"), ("dj", "j"), ("ou", "u"),
             ("oo", "u"), ("ee", "i"), ("aa", "a"))
_LETTERS = str.maketrans({"q": "k", "c": "k", "w": "v", "z": "s", "x": "s", "u": "o", "i": "e", "y": "e"})
# "Saint" as languages write it (after fold: St. is already saint, Ste. sainte).
_DOUBLED = re.compile(r"(.)\1")
_SAINT_WORDS = {"saint", "sainte", "san", "santa", "santo", "sao", "sankt", "sant", "sint", "sveti", "sv",
                "svaty", "svata", "szent", "sfantu", "sf"}


def variant_key(text: str) -> str:
    """The spelling-variant key, or "" when the name is too short to compare this loosely."""
    parts = words(text)
    if len(parts) > 1 and parts[0] == "bad":
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _SAINT_WORDS:
        parts = ["saint", *parts[1:]]  # San Sebastián, Saint-Sébastien, Sankt Sebastian
    name = "".join(p for p in parts if p not in _ARTICLES) if len(parts) > 1 else "".join(parts)
    if len(name) < 5 or not name.isascii():
        return ""
    name = name.replace("sankt", "saint")
    for pair in _DIGRAPHS:
        name = name.replace(*pair)
    name = name.translate(_LETTERS)
    if _DOUBLED.search(name):
        name = "".join(letter for letter, _ in itertools.groupby(name))  # no doubled letters
    if len(name) > 1 and name[-1] == "h" and name[-2] in "aeo":  # "Jeddah", "Jidda"
        name = name[:-1]
    return name


# A settlement's name with a qualifier that speech and reports drop: "Frankfurt am Main",
# "Halle (Saale)", "Stratford-upon-Avon", "Évian-les-Bains", "Bad Homburg vor der Höhe". Romance
# "de"/"do" qualifiers only after a saint's name ("San Cristóbal de las Casas"), since "Rio de
# Janeiro" or "Mar del Plata" are not "Rio" or "Mar".
_QUALIFIER = re.compile(
    r"^(?P<short>.+?)(?:\s*\(.+\)|\s*/\s*.+|[\s-]+(?:am|an der|an dem|bei|im|in der|ob der|vor der|auf der|"
    r"upon|on|on the|sur|sous|les|lès|en|nad|pod|na)[\s-]+.+)$", re.IGNORECASE)
_SAINT_QUALIFIER = re.compile(r"^(?P<short>.+?)[\s-]+(?:de|de la|de las|de los|del|di|da|do|dos|das)[\s-]+.+$",
                              re.IGNORECASE)
_SPA = re.compile(r"^(?:bad|baile|bagni di|terme di)\s+(?P<rest>.{3,})$", re.IGNORECASE)


def short_forms(name: str) -> list[str]:
    """The name as it is often written without its qualifier or spa prefix; empty when it has
    none. 'Bad Homburg vor der Höhe' -> ['Homburg vor der Höhe', 'Homburg', 'Bad Homburg']."""
    name = name.strip()
    spa = _SPA.match(name)
    found = []
    for text in ([spa.group("rest")] if spa else []) + [name]:
        found.append(text)
        first_word = next(iter(words(text)), "")
        saintly = first_word in _SAINT_WORDS
        qualified = _QUALIFIER.match(text) or (_SAINT_QUALIFIER.match(text) if saintly else None)
        if qualified:
            found.append(qualified.group("short").strip(" -"))
    own = key(name)
    return [f for f in dict.fromkeys(found) if key(f) != own and len(key(f)) >= 3]
