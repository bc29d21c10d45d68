"""Access-log import: totals equal an independent count, re-import and resume are exact,
malformed lines are counted, no IP is stored."""

import gzip
import json
import re
import shutil
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum

from pregon.analytics import selectors
from pregon.analytics.models import DailyVisitor, PageVisitDay, Purpose, PurposeRule, WebLogImport
from pregon.analytics.services import import_weblog
from pregon.analytics.weblog import ASSET_RE, BOT_RE

from .conftest import SHARED

ZONE = ZoneInfo("America/Mexico_City")
APACHE = "elastic-examples/apache_logs.gz"


def independent_count(path) -> tuple[Counter, dict]:
    """Count visits per local day and distinct (IP, agent) per day by splitting on quotes,
    not with the importer's regular expression. Robot and static-file rules are policy and
    are taken from the importer."""
    visits, people = Counter(), {}
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            quoted = line.split('"')
            head = quoted[0].split()
            request = quoted[1].split()
            status = quoted[2].split()[0]
            agent = quoted[5] if len(quoted) > 5 else ""
            stamp = datetime.strptime(head[3][1:] + " " + head[4][:-1], "%d/%b/%Y:%H:%M:%S %z")
            day = stamp.astimezone(ZONE).date()
            if BOT_RE.search(agent) or len(request) < 2 or request[0] != "GET":
                continue
            page = request[1].split("?")[0]
            if status[0] not in "23" or ASSET_RE.search(page):
                continue
            visits[(day, page)] += 1
            people.setdefault(day, set()).add((head[0], agent))
    return visits, {day: len(who) for day, who in people.items()}


def stored_visits() -> Counter:
    return Counter({(r.date, r.path): r.visits for r in PageVisitDay.objects.all()})


def stored_visitors() -> dict:
    return dict(Counter(DailyVisitor.objects.values_list("date", flat=True)))


def test_apache_log_totals_match_independent_count(db, weblog):
    expected_visits, expected_people = independent_count(weblog(APACHE))
    report = import_weblog(str(weblog(APACHE)), chunk_lines=2500)
    assert report.lines == 10000
    assert report.visits == sum(expected_visits.values())
    assert report.visits + report.bots + report.skipped + report.malformed == report.lines
    assert stored_visits() == expected_visits
    assert stored_visitors() == expected_people


def test_same_log_twice_counts_once(db, weblog):
    import_weblog(str(weblog(APACHE)))
    before = (stored_visits(), stored_visitors())
    again = import_weblog(str(weblog(APACHE)))
    assert again.lines == 0 and again.resumed_from == 10000
    assert (stored_visits(), stored_visitors()) == before
    assert WebLogImport.objects.count() == 1


def test_interrupted_import_resumes_exactly(db, weblog):
    expected_visits, expected_people = independent_count(weblog(APACHE))
    calls = []

    def crash_after_three_chunks(n: int) -> None:
        calls.append(n)
        if len(calls) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_weblog(str(weblog(APACHE)), advance=crash_after_three_chunks, chunk_lines=1000)
    assert WebLogImport.objects.get().lines_done == 3000
    report = import_weblog(str(weblog(APACHE)), chunk_lines=1000)
    assert report.resumed_from == 3000 and report.lines == 7000
    assert stored_visits() == expected_visits
    assert stored_visitors() == expected_people


def test_grown_log_continues_where_it_stopped(db, weblog, tmp_path):
    lines = gzip.decompress(weblog(APACHE).read_bytes()).splitlines(keepends=True)
    live = tmp_path / "access.log"
    live.write_bytes(b"".join(lines[:4000]))
    import_weblog(str(live))
    with live.open("ab") as handle:
        handle.write(b"".join(lines[4000:]))
    report = import_weblog(str(live))
    assert report.resumed_from == 4000 and report.lines == 6000
    assert stored_visits() == independent_count(weblog(APACHE))[0]


def test_no_raw_ip_is_stored(db, weblog):
    import_weblog(str(weblog(APACHE)))
    hashes = list(DailyVisitor.objects.values_list("visitor", flat=True))
    assert len(hashes) == sum(independent_count(weblog(APACHE))[1].values())
    assert all(re.fullmatch("[0-9a-f]{32}", h) for h in hashes)
    assert not PageVisitDay.objects.filter(path__contains="83.149.9.216").exists()
    assert "83.149.9.216" not in "".join(hashes)


def test_malformed_line_is_counted_and_reported(db, weblog):
    report = import_weblog(str(weblog("lnav/logfile_bad_access_log.0")))
    assert report.lines == 3 and report.malformed == 1
    assert report.malformed_examples == ["línea 2: formato no reconocido"]


@pytest.mark.parametrize(
    ("name", "visits"),
    [
        # 13 nginx lines: 4 page GETs with 2xx/3xx and a browser agent
        ("elastic-beats/nginx_access.log", 4),
        # X-Forwarded-For chains, IPv6, an empty request line (400), one robot
        ("elastic-beats/nginx_access_test.log", 4),
        # Common format (no agent) mixed with combined, '-' request with 408
        ("elastic-beats/apache_access_test.log", 2),
        ("elastic-beats/apache_darwin-2.4.23.log", 2),
    ],
)
def test_nginx_and_apache_variants(db, weblog, name, visits):
    report = import_weblog(str(weblog(name)))
    assert report.malformed == 0
    assert report.visits == visits == PageVisitDay.objects.aggregate(n=Sum("visits"))["n"]


def test_forwarded_for_chain_counts_the_first_address():
    from pregon.analytics.weblog import client_address

    assert client_address("10.0.0.2, 10.0.0.1, 127.0.0.1") == "10.0.0.2"
    assert client_address("www.example.com 192.168.0.5") == "192.168.0.5"


def test_purposes_from_coordinacion_rules(db, tmp_path):
    PurposeRule.objects.create(prefix="/tramites/", purpose=Purpose.PROCEDURES)
    PurposeRule.objects.create(prefix="/programas/", purpose=Purpose.PROGRAMS)
    PurposeRule.objects.create(prefix="/noticias/", purpose=Purpose.TOPICS)
    PurposeRule.objects.create(prefix="/tramites/catastro/faq", purpose=Purpose.TOPICS)
    agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"
    paths = ["/tramites/licencia", "/tramites/catastro/faq", "/programas/becas", "/", "/x"]
    log = tmp_path / "portal.log"
    log.write_text(
        "".join(
            f'10.1.1.{i} - - [15/Mar/2023:12:00:00 -0600] "GET {p} HTTP/1.1" 200 10 "-" "{agent}"\n'
            for i, p in enumerate(paths)
        )
    )
    import_weblog(str(log))
    day = datetime(2023, 3, 15).date()
    assert dict(selectors.visits_by_purpose(day, day)) == {
        "Programas de atención": 1,
        "Trámites": 1,
        "Temas informativos": 1,  # the longer prefix wins
        "Otros": 2,
    }


def test_command_json_and_gzip(db, weblog, capsys):
    call_command("import-weblog", str(weblog(APACHE)), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"][0]["lines"] == 10000
    visits = sum(independent_count(weblog(APACHE))[0].values())
    assert summary["files"][0]["visits"] == visits
    assert PageVisitDay.objects.aggregate(n=Sum("visits"))["n"] == visits


@pytest.mark.skipif(
    not (SHARED / "weblogs/matomo-log-analytics").exists(), reason="sin /work/shared"
)
def test_matomo_logs_do_not_break_the_import(db, tmp_path):
    # GPL files: read in place, never copied into the repository.
    for name in ("common_encoding_big5.log", "logs_to_tests.log", "iis.log"):
        source = SHARED / "weblogs/matomo-log-analytics" / name
        shutil.copy(source, tmp_path / name)
        report = import_weblog(str(tmp_path / name))
        assert report.lines == report.visits + report.bots + report.skipped + report.malformed
    assert WebLogImport.objects.get(name__endswith="iis.log").malformed == 1  # one data line
