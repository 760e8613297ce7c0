"""Name normalisation shared by the index builder and the lookups (they must agree)."""

from __future__ import annotations

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


def fold(text: str) -> str:
    """Lower case, no accents, abbreviations expanded, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _SAINT.sub(lambda m: _SAINT_CANONICAL.get(m.group(1), m.group(1)) + " ", text)
    text = re.sub(r"\bmt\b\.?", "mount", text)
    text = re.sub(r"\bft\b\.?", "fort", text)
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def key(text: str) -> str:
    """The lookup key: the folded name with no spaces, so 'Heiligen-damm' meets 'Heiligendamm'."""
    return fold(text).replace(" ", "")


def words(text: str) -> list[str]:
    return fold(text).split()
