"""Meta Business Suite and X exports: right totals, re-import updates, bad files refused."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from pregon.analytics.importers import MetricsFileError
from pregon.analytics.models import PostMetric
from pregon.analytics.services import import_metrics_file

FB = "facebook_posts_es.csv"
IG = "instagram_posts_en.csv"
X_NEW = "account_analytics_content_2023-01-01_2023-01-07.csv"
X_OLD = "tweet_activity_metrics_Lauramaliagm_20221201_20230101_es.csv"


def column_sum(path, column: str) -> int:
    """Independent reading: the standard csv module with the BOM stripped by utf-8-sig."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(int(row[column]) for row in csv.DictReader(handle))


def rows_in(path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_facebook_spanish_export_totals(accounts, export):
    report = import_metrics_file(export(FB))
    assert report.account == accounts["fb"].name  # found by the page id in the file
    posts = PostMetric.objects.filter(account=accounts["fb"])
    assert posts.count() == rows_in(export(FB)) == report.created
    assert sum(p.reactions for p in posts) == column_sum(export(FB), "Reacciones")
    assert sum(p.comments for p in posts) == column_sum(export(FB), "Comentarios")
    assert sum(p.reach for p in posts) == column_sum(export(FB), "Alcance")
    assert sum(p.shares for p in posts) == column_sum(export(FB), "Veces que se compartió")
    engagements = column_sum(export(FB), "Reacciones, comentarios y veces que se compartió")
    assert sum(p.extra["engagements"] for p in posts) == engagements


def test_publish_time_is_month_first_local_time(accounts, export):
    import_metrics_file(export(FB))
    with open(export(FB), encoding="utf-8-sig", newline="") as handle:
        first = next(csv.DictReader(handle))
    post = PostMetric.objects.get(remote_id=first["Identificador de la publicación"])
    month, day, rest = first["Hora de publicación"].split("/")
    local = post.published_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Mexico_City"))
    assert (local.month, local.day, local.strftime("%H:%M")) == (
        int(month),
        int(day),
        rest.split(" ")[1],
    )


def test_instagram_english_export(accounts, export):
    report = import_metrics_file(export(IG))
    assert report.account == accounts["ig"].name  # matched by the username
    posts = PostMetric.objects.filter(account=accounts["ig"])
    assert sum(p.reactions for p in posts) == column_sum(export(IG), "Likes")
    assert sum(p.saves for p in posts) == column_sum(export(IG), "Saves")
    assert sum(p.views for p in posts) == column_sum(export(IG), "Views")


@pytest.mark.parametrize(
    ("name", "likes", "replies", "shared"),
    [
        # The new export also counts posts shared by direct message ("Shares").
        (X_NEW, "Likes", "Replies", ("Reposts", "Shares")),
        (X_OLD, "likes", "replies", ("retweets",)),
    ],
)
def test_x_exports_old_and_new(accounts, export, name, likes, replies, shared):
    report = import_metrics_file(export(name))
    assert report.account == accounts["x"].name  # matched by the handle in the post links
    posts = PostMetric.objects.filter(account=accounts["x"])
    assert posts.count() == rows_in(export(name))
    assert sum(p.reactions for p in posts) == column_sum(export(name), likes)
    assert sum(p.comments for p in posts) == column_sum(export(name), replies)
    assert sum(p.shares for p in posts) == sum(column_sum(export(name), c) for c in shared)


def test_reimport_updates_never_duplicates(accounts, export, tmp_path):
    import_metrics_file(export(FB))
    again = import_metrics_file(export(FB))
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == rows_in(export(FB))
    # A later export of the same posts with more likes updates them in place.
    text = export(FB).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("Reacciones")
    rows[1][column] = str(int(rows[1][column]) + 25)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    later = tmp_path / "later.csv"
    later.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode())
    report = import_metrics_file(later)
    assert (report.created, report.updated) == (0, 1)
    assert PostMetric.objects.count() == rows_in(export(FB))
    assert PostMetric.objects.get(remote_id=rows[1][0]).reactions == int(rows[1][column])


def test_unknown_layout_lists_missing_columns(accounts, tmp_path):
    bad = tmp_path / "raro.csv"
    bad.write_text("Post ID,Page ID,Likes\n1,2,3\n", encoding="utf-8")
    with pytest.raises(MetricsFileError) as caught:
        import_metrics_file(bad)
    message = caught.value.messages[0]
    assert "faltan las columnas" in message
    assert "«Publish time»" in message and "«Reach»" in message
    assert PostMetric.objects.count() == 0


def test_bad_value_names_line_and_column_and_changes_nothing(accounts, export, tmp_path):
    lines = export(FB).read_bytes().decode("utf-8-sig").splitlines()
    rows = list(csv.reader(lines))
    rows[3][rows[0].index("Alcance")] = "mucho"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    bad = tmp_path / "malo.csv"
    bad.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(MetricsFileError) as caught:
        import_metrics_file(bad)
    assert "línea 4" in caught.value.messages[0]
    assert "«Alcance»" in caught.value.messages[0]
    assert PostMetric.objects.count() == 0  # the good rows were not stored either


def test_command_json_and_account_option(accounts, export, capsys):
    call_command("import-metrics", str(export(X_NEW)), "--account", accounts["x"].name, "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] and summary["created"] == rows_in(export(X_NEW))
    with pytest.raises(CommandError, match="es de tipo"):
        call_command("import-metrics", str(export(X_NEW)), "--account", accounts["fb"].name)


def test_unknown_account_is_refused(db, export):
    with pytest.raises(MetricsFileError, match="--account"):
        import_metrics_file(export(FB))


def test_post_linked_to_our_delivery_by_remote_id(accounts, export, jorge):
    from django.utils import timezone

    from pregon.publishing.models import Delivery, Publication, Variant

    publication = Publication.objects.create(title="Salud", text="Jornada", author=jorge)
    variant = Variant.objects.create(publication=publication, account=accounts["fb"])
    delivery = Delivery.objects.create(
        variant=variant,
        account=accounts["fb"],
        scheduled_at=timezone.now(),
        remote_id="1002003004_5003",
    )
    import_metrics_file(export(FB))
    assert PostMetric.objects.get(remote_id="1002003004_5003").delivery == delivery
    assert PostMetric.objects.filter(delivery__isnull=True).count() == rows_in(export(FB)) - 1


def test_a_negative_or_huge_figure_is_refused_before_anything_is_stored(accounts, tmp_path):
    """Rows are stored in batches, so every value the database would refuse is caught
    while validating: a batch can never fail halfway through a file."""
    from tests import hostile

    lines = hostile.metrics_csv(3000).decode().splitlines()
    lines[2999] = lines[2999].rsplit(",", 1)[0] + ",-4"
    lines[2500] = lines[2500].replace("1002003004_702499", "9" * 101)
    bad = tmp_path / "negativo.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MetricsFileError) as caught:
        import_metrics_file(bad)
    assert "línea 2501: la columna «Post ID» pasa de 100 caracteres" in caught.value.messages[0]
    assert "línea 3000: columna «Shares»: «-4» no es una cifra válida" in caught.value.messages[1]
    assert PostMetric.objects.count() == 0
