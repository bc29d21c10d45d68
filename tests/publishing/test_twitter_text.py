"""The official twitter-text conformance cases (tests/publishing/data, Apache-2.0)."""

import json
from functools import cache
from pathlib import Path

import pytest
import yaml

from pregon.publishing import twitter_text

DATA = Path(__file__).parent / "data"


@cache
def _cases(file_name: str) -> dict:
    return yaml.safe_load((DATA / file_name).read_text(encoding="utf-8"))["tests"]


def _params(file_name: str, section: str) -> list:
    return [pytest.param(case, id=case["description"][:60]) for case in _cases(file_name)[section]]


def _check(parsed: twitter_text.ParsedTweet, expected: dict) -> None:
    assert parsed.weighted_length == expected["weightedLength"]
    assert parsed.valid == expected["valid"]
    assert parsed.permillage == expected["permillage"]
    assert parsed.display_range == (expected["displayRangeStart"], expected["displayRangeEnd"])
    assert parsed.valid_range == (expected["validRangeStart"], expected["validRangeEnd"])


# twitter-text's own runners use config v2 for the first section, v3 for the others.
@pytest.mark.parametrize("case", _params("validate.yml", "WeightedTweetsCounterTest"))
def test_weighted_v2(case: dict) -> None:
    _check(twitter_text.parse_tweet(case["text"], twitter_text.CONFIG_V2), case["expected"])


@pytest.mark.parametrize(
    "case", _params("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest")
)
def test_weighted_with_discounted_emoji(case: dict) -> None:
    _check(twitter_text.parse_tweet(case["text"]), case["expected"])


@pytest.mark.parametrize("case", _params("validate.yml", "UnicodeDirectionalMarkerCounterTest"))
def test_directional_markers(case: dict) -> None:
    _check(twitter_text.parse_tweet(case["text"]), case["expected"])


@pytest.mark.parametrize("case", _params("extract.yml", "urls"))
def test_extract_urls(case: dict) -> None:
    assert twitter_text.extract_urls(case["text"]) == case["expected"]


@pytest.mark.parametrize(
    "case",
    _params("extract.yml", "urls_with_indices")
    + _params("extract.yml", "urls_with_directional_markers"),
)
def test_extract_urls_with_indices(case: dict) -> None:
    found = twitter_text.extract_urls_with_indices(case["text"])
    assert [{"url": e.url, "indices": [e.start, e.end]} for e in found] == case["expected"]


@pytest.mark.parametrize("case", _params("extract.yml", "tco_urls_with_params"))
def test_extract_tco_urls(case: dict) -> None:
    assert twitter_text.extract_urls(case["text"]) == case["expected"]


def test_the_package_tld_list_matches_the_conformance_copy() -> None:
    packaged = yaml.safe_load(twitter_text.TLD_FILE.read_text(encoding="utf-8"))
    assert packaged == yaml.safe_load((DATA / "tld_lib.yml").read_text(encoding="utf-8"))


def test_spanish_text_with_a_link_counts_the_link_as_23() -> None:
    text = "Inauguramos la clínica en San Mateo 🎉 https://chapultepec.gob.mx/noticias/123"
    assert (
        twitter_text.weighted_length(text)
        == len("Inauguramos la clínica en San Mateo ") + 2 + 1 + 23
    )


@pytest.mark.parametrize(
    ("file_name", "config"),
    [("v2.json", twitter_text.CONFIG_V2), ("v3.json", twitter_text.CONFIG_V3)],
)
def test_configs_match_the_official_files(file_name: str, config: dict) -> None:
    official = json.loads((DATA / file_name).read_text(encoding="utf-8"))
    official.pop("version")
    assert {"emojiParsingEnabled": False, **official} == config
