"""X's weighted character count, as the official twitter-text library computes it.

A port of twitter-text's `parseTweet` and `extractUrlsWithIndices` (Apache-2.0),
checked against the project's conformance cases (tests/publishing/data/validate.yml).
X counts in UTF-16 code units after NFC normalisation: every URL weighs 23, emoji
sequences weigh 2 (v3), characters in the light ranges weigh 1 and the rest 2.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TLD_FILE = Path(__file__).with_name("tld_lib.yml")

CONFIG_V2 = {
    "maxWeightedTweetLength": 280,
    "scale": 100,
    "defaultWeight": 200,
    "emojiParsingEnabled": False,
    "transformedURLLength": 23,
    "ranges": [
        {"start": 0, "end": 4351, "weight": 100},
        {"start": 8192, "end": 8205, "weight": 100},
        {"start": 8208, "end": 8223, "weight": 100},
        {"start": 8242, "end": 8247, "weight": 100},
    ],
}
CONFIG_V3 = {**CONFIG_V2, "emojiParsingEnabled": True}

MAX_URL_LENGTH = 4096
MAX_TCO_SLUG_LENGTH = 40
MAX_DOMAIN_LABEL_LENGTH = 63
DEFAULT_PROTOCOL = "https://"

INVALID_CHARS = "\ufffe\ufeff\uffff"
DIRECTIONAL_MARKERS = "\u202a-\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
PUNCT = r"\!'#%&\(\)*\+,\\\-\./:;<=>\?@\[\]\^_{|}~\$"
LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC = "\u0400-\u04ff"


@dataclass
class ParsedTweet:
    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]


@dataclass
class UrlEntity:
    url: str
    start: int  # code point offsets into the text given
    end: int


@cache
def _tlds() -> tuple[str, str]:
    data = yaml.safe_load(TLD_FILE.read_text(encoding="utf-8"))
    # Longest first so an alternation never settles on a prefix of a longer TLD.
    generic = "|".join(sorted(map(re.escape, data["generic"]), key=len, reverse=True))
    country = "|".join(sorted(map(re.escape, data["country"]), key=len, reverse=True))
    return generic, country


@cache
def _url_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    generic, country = _tlds()
    tld_end = r"(?=[^0-9a-zA-Z@+-]|$)"
    tld = rf"(?:(?:{generic}){tld_end}|(?:{country}){tld_end}|(?:xn--[\-0-9a-z]+))"
    domain_char = f"[^{PUNCT}{SPACES}{INVALID_CHARS}{DIRECTIONAL_MARKERS}]"
    subdomain = rf"(?:(?:{domain_char}(?:[_-]|{domain_char})*)?{domain_char}\.)"
    domain_name = rf"(?:(?:{domain_char}(?:-|{domain_char})*)?{domain_char}\.)"
    domain = rf"(?:{subdomain}*{domain_name}{tld})"
    path_char = rf"[a-z{CYRILLIC}0-9!\*';:=\+\,\.\$/%#\[\]\-\u2013_~&\|@{LATIN_ACCENTS}]"
    parens = rf"\((?:{path_char}+|(?:{path_char}*\({path_char}+\){path_char}*))\)"
    path_end = rf"(?:[\+\-a-z{CYRILLIC}0-9=_#/{LATIN_ACCENTS}]|(?:{parens}))"
    path = rf"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query_chars = r"[a-z0-9!?\*'@\(\);:&=\+\$/%#\[\]\-_\.,~|]"
    query_end = r"[a-z0-9\-_&=#/]"
    preceding = rf"(?:[^A-Za-z0-9@＠$#＃{INVALID_CHARS}]|[{DIRECTIONAL_MARKERS}]|^)"
    extract = re.compile(
        rf"({preceding})((https?://)?({domain})(?::([0-9]+))?(/{path}*)?"
        rf"(?:\?{query_chars}*{query_end})?)",
        re.IGNORECASE,
    )
    ascii_domain = re.compile(rf"(?:(?:[\-a-z0-9{LATIN_ACCENTS}]+)\.)+{tld}", re.IGNORECASE)
    tco = re.compile(rf"^https?://t\.co/([a-z0-9]+)(?:\?{query_chars}*{query_end})?", re.IGNORECASE)
    return extract, ascii_domain, tco


def load() -> None:
    """Build the URL patterns now (the TLD list's YAML and a large regex), once per
    process: the delivery worker does it before its senders race to build their own."""
    _url_patterns()


def _label_length(label: str) -> int:
    if label.isascii():
        return len(label)
    return len("xn--") + len(label.encode("punycode"))


def _valid_domain(domain: str) -> bool:
    _, ascii_domain, _ = _url_patterns()
    if domain[:4].lower() == "xn--" and not ascii_domain.fullmatch(domain):
        return False
    return all(0 < _label_length(label) <= MAX_DOMAIN_LABEL_LENGTH for label in domain.split("."))


def _url_without_protocol(match: re.Match) -> UrlEntity | None:
    """Only ASCII domains count without a protocol ("example.com", not "ああ.com")."""
    _, ascii_domain, _ = _url_patterns()
    before, url, domain, path = match.group(1), match.group(2), match.group(4), match.group(6)
    if re.search(r"[-_./]$", before):
        return None
    start = match.start(2)
    found = None
    for ascii_match in ascii_domain.finditer(domain):
        found = UrlEntity(
            ascii_match.group(0), start + ascii_match.start(), start + ascii_match.end()
        )
    if found and path:
        found.url = url.replace(domain, found.url, 1)
        found.end = match.end(2)
    return found


def _entities_for(match: re.Match) -> list[UrlEntity]:
    _, _, tco = _url_patterns()
    url, protocol, domain = match.group(2), match.group(3), match.group(4)
    if len(protocol or DEFAULT_PROTOCOL) + len(url) > MAX_URL_LENGTH or not _valid_domain(domain):
        return []
    if not protocol:
        return _all_ascii_domains(match)
    start = match.start(2)
    tco_match = tco.match(url)
    if tco_match:
        if len(tco_match.group(1)) > MAX_TCO_SLUG_LENGTH:
            return []
        url = tco_match.group(0)
    return [UrlEntity(url, start, start + len(url))]


def _all_ascii_domains(match: re.Match) -> list[UrlEntity]:
    # "a.com b.com" has one regex match per domain; a path only follows the last one.
    _, ascii_domain, _ = _url_patterns()
    last = _url_without_protocol(match)
    if last is None:
        return []
    start = match.start(2)
    domain = match.group(4)
    earlier = [
        UrlEntity(m.group(0), start + m.start(), start + m.end())
        for m in list(ascii_domain.finditer(domain))[:-1]
    ]
    return [*earlier, last]


def extract_urls_with_indices(text: str) -> list[UrlEntity]:
    """Every URL X would shorten to t.co, with code point offsets."""
    if not text or "." not in text:
        return []
    extract, _, _ = _url_patterns()
    urls: list[UrlEntity] = []
    for match in extract.finditer(text):
        urls.extend(_entities_for(match))
    return urls


def extract_urls(text: str) -> list[str]:
    return [entity.url for entity in extract_urls_with_indices(text)]


# Emoji sequences count as one weight-2 unit (twemoji's grammar, reduced to its shape).
_PICTO = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328"
    "\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
_ELEMENT = (
    rf"(?:[\u00a9\u00ae\u203c\u2049\u2122]\ufe0f"
    rf"|[{_PICTO}]\ufe0f?[\U0001f3fb-\U0001f3ff]?)"
)
EMOJI = re.compile(
    r"[0-9#*]\ufe0f?\u20e3"
    r"|[\U0001f1e6-\U0001f1ff]{2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_ELEMENT}(?:\u200d{_ELEMENT})*"
)


def _utf16_offsets(text: str) -> list[int]:
    """offsets[i] is the UTF-16 index of code point i (with one past the end)."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def _weight(unit: int, config: dict) -> int:
    for weighted_range in config["ranges"]:
        if weighted_range["start"] <= unit <= weighted_range["end"]:
            return weighted_range["weight"]
    return config["defaultWeight"]


def _entity_starts(text: str, config: dict) -> tuple[dict[int, int], dict[int, int]]:
    """UTF-16 start -> UTF-16 length, for URLs and (when enabled) emoji."""
    offsets = _utf16_offsets(text)
    urls = {
        offsets[e.start]: offsets[e.end] - offsets[e.start] for e in extract_urls_with_indices(text)
    }
    emoji: dict[int, int] = {}
    if config.get("emojiParsingEnabled"):
        for match in EMOJI.finditer(text):
            emoji[offsets[match.start()]] = offsets[match.end()] - offsets[match.start()]
    return urls, emoji


def parse_tweet(text: str, config: dict = CONFIG_V3) -> ParsedTweet:
    """twitter-text's parseTweet: weighted length, validity and the valid range."""
    normalized = unicodedata.normalize("NFC", text)
    units = normalized.encode("utf-16-le")
    codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
    urls, emoji = _entity_starts(normalized, config)
    scale, limit = config["scale"], config["maxWeightedTweetLength"]
    weighted, valid, valid_index, index = 0, True, 0, 0
    while index < len(codes):
        if index in urls:
            weighted += config["transformedURLLength"] * scale
            index += urls[index] - 1
        elif index in emoji:
            weighted += config["defaultWeight"]
            index += emoji[index] - 1
        else:
            if 0xD800 <= codes[index] <= 0xDBFF and index + 1 < len(codes):
                index += 1  # a surrogate pair weighs what its low half weighs
            weighted += _weight(codes[index], config)
        valid = valid and chr(codes[index]) not in INVALID_CHARS
        if valid and weighted <= limit * scale:
            valid_index = index
        index += 1
    return _result(text, normalized, weighted / scale, valid, valid_index, limit)


def _result(
    text: str, normalized: str, weighted: float, valid: bool, valid_index: int, limit: int
) -> ParsedTweet:
    text_length = _utf16_offsets(text)[-1]
    offset = text_length - _utf16_offsets(normalized)[-1]
    return ParsedTweet(
        weighted_length=int(weighted),
        valid=valid and 0 < weighted <= limit,
        permillage=int(weighted / limit * 1000),
        display_range=(0, max(text_length - 1, 0)),
        valid_range=(0, valid_index + offset),
    )


def weighted_length(text: str) -> int:
    return parse_tweet(text).weighted_length
