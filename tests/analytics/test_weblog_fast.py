"""The fast block parser agrees with the careful line parser on every sample line, and
the parallel import (worker processes) stores exactly what the serial one stores."""

import gzip
from collections import Counter
from datetime import date

import pytest

from pregon.analytics import weblog as weblog_mod
from pregon.analytics.models import DailyVisitor, PageVisitDay, WebLogImport
from pregon.analytics.services import import_weblog
from pregon.analytics.weblog import Block, LineParser, merge, open_log, read_chunks

SAMPLES = [
    "elastic-examples/apache_logs.gz",
    "elastic-beats/nginx_access.log",
    "elastic-beats/nginx_access_test.log",
    "elastic-beats/apache_access_test.log",
    "elastic-beats/apache_darwin-2.4.23.log",
    "lnav/logfile_bad_access_log.0",
]
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"
TRICKY = [
    # escaped quote in the request, "-" request, no bytes, comment, blank, bad date
    f'10.0.0.1 - - [15/Mar/2023:12:00:00 -0600] "GET /a\\"b HTTP/1.1" 200 5 "-" "{AGENT}"',
    '10.0.0.2 - - [15/Mar/2023:12:00:01 -0600] "-" 408 0 "-" "-"',
    '10.0.0.3 - - [15/Mar/2023:12:00:02 -0600] "GET /sin-bytes HTTP/1.1" 200',
    "# a comment",
    "",
    f'10.0.0.4 - - [31/Feb/2023:12:00:02 -0600] "GET /x HTTP/1.1" 200 5 "-" "{AGENT}"',
    "www.example.com 10.0.0.5 - - [15/Mar/2023:12:00:03 -0600] "
    f'"GET /v HTTP/1.1" 200 5 "-" "{AGENT}"',
    '"10.0.0.6, 10.0.0.1" - - [15/Mar/2023:12:00:04 -0600] '
    f'"GET /xff HTTP/1.1" 301 5 "-" "{AGENT}" "x"',
    f'10.0.0.7 - - [15/Mar/2023:12:00:05 -0600] "POST /form HTTP/1.1" 200 5 "-" "{AGENT}"\r',
    '10.0.0.8 - - [15/Mar/2023:12:00:06 -0600] "GET /bot HTTP/1.1" 200 5 "-" "curl/8.0"',
    # India: local midnight in Mexico City (06:00 UTC) is 11:30 +0530, inside the hour
    f'10.0.0.9 - - [16/Mar/2023:11:29:00 +0530] "GET /antes HTTP/1.1" 200 5 "-" "{AGENT}"',
    f'10.0.0.9 - - [16/Mar/2023:11:31:00 +0530] "GET /despues HTTP/1.1" 200 5 "-" "{AGENT}"',
]


def careful(lines: list[str]) -> Block:
    parser, block = LineParser(), Block()
    for number, line in enumerate(lines, 1):
        hit = parser.parse(line)
        block.tally[hit.kind] += 1
        if hit.kind == "visit":
            block.pages[hit.day, hit.path] += 1
            block.visitors.add((hit.day, hit.client, hit.agent))
        elif hit.kind == "malformed":
            block.malformed.append(number)
    return block


def fast(lines: list[str]) -> Block:
    block = Block()
    LineParser().parse_block("\n".join(lines), 1, block)
    return block


def sample_lines(path) -> list[str]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").removesuffix("\n").split("\n")


@pytest.mark.parametrize("name", SAMPLES)
def test_fast_parser_agrees_with_careful_parser(weblog, name):
    lines = sample_lines(weblog(name))
    one, other = fast(lines), careful(lines)
    assert (one.pages, one.visitors, one.malformed) == (
        other.pages,
        other.visitors,
        other.malformed,
    )
    assert +one.tally == +other.tally and sum(one.tally.values()) == len(lines)


def test_fast_parser_on_tricky_lines():
    block, other = fast(TRICKY), careful(TRICKY)
    assert (block.pages, block.visitors, block.tally) == (other.pages, other.visitors, other.tally)
    assert block.malformed == [6]  # 31 February
    assert block.tally == Counter(visit=6, skipped=4, malformed=1, bot=1)
    assert block.pages[date(2023, 3, 15), "/sin-bytes"] == 1  # Common without bytes
    assert block.pages[date(2023, 3, 15), "/v"] == 1  # vhost prefix
    assert (date(2023, 3, 15), "10.0.0.6", AGENT) in block.visitors  # first XFF address
    assert block.pages[date(2023, 3, 15), "/antes"] == 1
    assert block.pages[date(2023, 3, 16), "/despues"] == 1


@pytest.mark.parametrize("name", SAMPLES[:2])
def test_full_caches_are_emptied_without_changing_the_counts(weblog, monkeypatch, name):
    lines = sample_lines(weblog(name))
    expected = fast(lines)
    monkeypatch.setattr(weblog_module(), "MAX_CACHED", 3)
    parser, block = LineParser(), Block()
    parser.parse_block("\n".join(lines), 1, block)
    assert (block.pages, block.visitors, block.tally) == (
        expected.pages,
        expected.visitors,
        expected.tally,
    )
    assert len(parser._paths) <= 3 and len(parser._agents) <= 3


def chunk_lines_log(path) -> list[str]:
    """95 lines: visits, robots, two malformed lines, one line far longer than a slice
    of the smaller sizes tried, and no newline after the last line."""
    lines = [
        f"10.0.{n // 250}.{n % 250} - - [15/Mar/2023:12:{n % 60:02d}:00 -0600] "
        f'"GET /pagina/{n % 7}/ HTTP/1.1" 200 5 "-" "{"curl/8.0" if n % 5 == 0 else AGENT}"'
        for n in range(95)
    ]
    lines[12] = "esto no es una línea de acceso"
    lines[47] = lines[47].replace("Firefox", "Firefox" + "x" * 3000)
    lines[60] = lines[60].replace("15/Mar", "31/Feb")
    path.write_bytes("\n".join(lines).encode())
    return lines


@pytest.mark.parametrize("slice_bytes", [64, 1000, 1 << 20])
@pytest.mark.parametrize("workers", [0, 2])
def test_chunks_hold_exact_line_counts_whatever_the_slice_size(
    tmp_path, monkeypatch, slice_bytes, workers
):
    path = tmp_path / "access.log"
    lines = chunk_lines_log(path)
    monkeypatch.setattr(weblog_module(), "SLICE_BYTES", slice_bytes)
    handle, raw = open_log(str(path))
    with raw, handle:
        chunks = list(read_chunks(handle, raw, 1, 10, workers))
    assert [chunk.lines for chunk, _ in chunks] == [10] * 9 + [5]  # resumable by lines
    whole = Block()
    for chunk, _ in chunks:
        merge(whole, chunk)
    expected = fast(lines)
    assert (whole.pages, whole.visitors, whole.tally) == (
        expected.pages,
        expected.visitors,
        expected.tally,
    )
    assert whole.malformed == [13, 61]  # line numbers count across slices and chunks
    assert whole.tally["visit"] == 75 and whole.tally["bot"] == 18  # one is malformed
    positions = [position for _, position in chunks]
    assert positions == sorted(positions) and positions[-1] == path.stat().st_size


def stored() -> tuple:
    return (
        Counter({(r.date, r.path): r.visits for r in PageVisitDay.objects.all()}),
        sorted(DailyVisitor.objects.values_list("date", "visitor")),
    )


def test_parallel_import_equals_serial(db, weblog, monkeypatch):
    path = str(weblog("elastic-examples/apache_logs.gz"))
    serial = import_weblog(path, chunk_lines=2500, workers=0)
    expected = stored()
    PageVisitDay.objects.all().delete()
    DailyVisitor.objects.all().delete()
    WebLogImport.objects.all().delete()
    monkeypatch.setattr(weblog_module(), "SLICE_BYTES", 70_000)  # many slices per chunk
    parallel = import_weblog(path, chunk_lines=2500, workers=2)
    assert parallel.as_dict() == serial.as_dict()
    assert stored() == expected  # same daily salts: the hashes are equal too
    assert WebLogImport.objects.get().lines_done == 10000


def test_parallel_import_resumes_exactly(db, weblog, monkeypatch):
    path = str(weblog("elastic-examples/apache_logs.gz"))
    import_weblog(path, workers=0)
    expected = stored()
    PageVisitDay.objects.all().delete()
    DailyVisitor.objects.all().delete()
    WebLogImport.objects.all().delete()
    monkeypatch.setattr(weblog_module(), "SLICE_BYTES", 30_000)
    calls = []

    def stop_after_two(n: int) -> None:
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_weblog(path, advance=stop_after_two, chunk_lines=1000, workers=2)
    assert WebLogImport.objects.get().lines_done == 2000
    report = import_weblog(path, chunk_lines=1000, workers=2)
    assert report.resumed_from == 2000 and report.lines == 8000
    assert stored() == expected


def test_progress_is_reported_in_bytes_of_the_file(db, weblog):
    path = weblog("elastic-examples/apache_logs.gz")
    seen = []
    import_weblog(
        str(path), position=lambda done, size: seen.append((done, size)), chunk_lines=3000
    )
    size = path.stat().st_size
    assert len(seen) == 4 and all(s == size for _, s in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][0] == size


def weblog_module():
    return weblog_mod
