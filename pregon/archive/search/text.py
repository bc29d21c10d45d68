"""Spanish text as both backends index it: folded, stemmed; queries parsed the same
way and written for FTS5 (SQLite) or tsquery (PostgreSQL)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_VOWELS = str.maketrans("áéíóúàèìòùäëïöüâêîôû", "aeiouaeiouaeiouaeiou")
WORD = re.compile(r"[a-z0-9ñ]+")


def fold(text: str) -> str:
    """Lowercase and drop vowel accents but keep ñ (año ≠ ano)."""
    text = unicodedata.normalize("NFC", text.lower()).translate(_VOWELS)
    return text


def stem(word: str) -> str:
    """Fold Spanish plural and singular (and final gender vowel) onto one key."""
    w = word
    if len(w) > 5 and w.endswith("iones"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("ces"):
        w = w[:-3] + "z"
    elif len(w) > 4 and w.endswith("es") and w[-3] in "lrndjyz":
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and w[-2] in "aeiou":
        w = w[:-1]
    if len(w) > 4 and w[-1] in "aeo":
        w = w[:-1]
    return w


def normalize(text: str) -> str:
    return " ".join(stem(w) for w in WORD.findall(fold(text or "")))


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)  # stemmed words
    prefixes: list[str] = field(default_factory=list)  # folded, unstemmed
    phrases: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.terms or self.prefixes or self.phrases)


def parse(q: str) -> Query:
    """`"obra pública"` is a phrase, `inaug*` a prefix, other words must all appear."""
    query = Query()
    for phrase in re.findall(r'"([^"]+)"', q or ""):
        words = normalize(phrase).split()
        if words:
            query.phrases.append(words)
    rest = re.sub(r'"[^"]*"', " ", q or "")
    for raw in rest.split():
        if raw.endswith("*"):
            query.prefixes += WORD.findall(fold(raw[:-1]))[:1]
        else:
            query.terms += normalize(raw).split()
    return query


def fts5_expression(query: Query) -> str:
    parts = [f'"{t}"' for t in query.terms] + [f'"{p}"*' for p in query.prefixes]
    parts += ['"' + " ".join(ph) + '"' for ph in query.phrases]
    return " AND ".join(parts)


def tsquery(query: Query) -> str:
    parts = [f"'{t}'" for t in query.terms] + [f"'{p}':*" for p in query.prefixes]
    parts += ["(" + " <-> ".join(f"'{w}'" for w in ph) + ")" for ph in query.phrases]
    return " & ".join(parts)
