"""Subtitles for videos: read SubRip (.srt) or WebVTT (.vtt) by content, refuse a
broken file with the line that is wrong, and write both formats (the web portal
plays WebVTT; Facebook and X take SubRip)."""

import re
from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})(?:\s+.*)?$"
)


class CaptionsError(ValueError):
    """A Spanish message naming the file and the line."""


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    if len(parts) == 2:
        parts.insert(0, "0")
    hours, minutes, seconds = parts
    if int(minutes) > 59 or float(seconds) >= 60:
        raise ValueError(stamp)
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def parse(data: bytes, name: str = "subtítulos") -> list[Cue]:
    """The cues of an SRT or WebVTT file; CaptionsError (in Spanish, with the line)
    if it is neither, is empty or has a timing that goes backwards."""
    if not data.strip():
        raise CaptionsError(f"{name}: el archivo está vacío.")
    if len(data) > MAX_BYTES:
        raise CaptionsError(f"{name}: pesa más de 2 MB; no parece un archivo de subtítulos.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # SRT files from Windows tools
        except UnicodeDecodeError as exc:
            raise CaptionsError(f"{name}: no es texto (UTF-8 o Windows-1252).") from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    webvtt = lines[0].startswith("WEBVTT")
    cues: list[Cue] = []
    number, total = (1 if webvtt else 0), len(lines)
    if webvtt:  # skip the header block
        while number < total and lines[number].strip():
            number += 1
    while number < total:
        line = lines[number]
        if not line.strip():
            number += 1
            continue
        if webvtt and line.startswith(("NOTE", "STYLE", "REGION")):
            while number < total and lines[number].strip():
                number += 1
            continue
        timing = _TIMING.match(line)
        if timing is None and number + 1 < total:  # a cue number or identifier first
            number += 1
            timing = _TIMING.match(lines[number])
        if timing is None:
            raise CaptionsError(
                f"{name}, línea {number + 1}: se esperaba una marca de tiempo como "
                f"«00:00:01,000 --> 00:00:04,000» y dice «{lines[number].strip()[:60]}»."
            )
        try:
            start, end = _seconds(timing["start"]), _seconds(timing["end"])
        except ValueError:
            raise CaptionsError(
                f"{name}, línea {number + 1}: la marca de tiempo «{line.strip()}» no es válida."
            ) from None
        if end <= start:
            raise CaptionsError(
                f"{name}, línea {number + 1}: el subtítulo termina ({timing['end']}) antes de "
                f"empezar ({timing['start']})."
            )
        body = []
        number += 1
        while number < total and lines[number].strip():
            body.append(lines[number].strip())
            number += 1
        if not body:
            raise CaptionsError(f"{name}, línea {number}: un subtítulo sin texto.")
        cues.append(Cue(start, end, "\n".join(body)))
    if not cues:
        raise CaptionsError(f"{name}: no contiene ningún subtítulo.")
    return cues


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_vtt(cues: list[Cue]) -> str:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def to_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"
