"""The semiannual report's permanent-campaign section and its baseline note, against
counts made here from the stored rows."""

from django.utils import timezone

from pregon.goals import periods
from pregon.publishing.models import Delivery, Publication
from pregon.reports import figures, render

H1 = periods.parse("2023-H1")


def published_on(theme: str, channel: str) -> int:
    """Publications of `theme` with a delivery published on `channel` in H1 (local days)."""
    return len(
        {
            d.variant.publication_id
            for d in Delivery.objects.select_related("variant__publication__theme", "account")
            if d.status == "publicada"
            and d.variant.publication.theme is not None
            and d.variant.publication.theme.name == theme
            and d.account.get_kind_display() == channel
            and H1.start <= timezone.localtime(d.published_at).date() <= H1.last_day
        }
    )


def test_semiannual_report_has_the_cadence_section(year2023, plan_themes):
    salud = plan_themes["Salud"]
    h1 = Publication.objects.filter(status="publicada", published_at__month__lte=6)
    chosen = list(h1.order_by("published_at").values_list("pk", flat=True)[:7])
    chosen += list(h1.order_by("-published_at").values_list("pk", flat=True)[:2])  # edges
    Publication.objects.filter(pk__in=chosen).update(theme=salud)
    data = figures.compute(H1)
    section = data["tables"]["cadencia"]
    rows = {(r[0], r[1]): r for r in section["rows"]}
    wanted = {(t.theme.name, t.get_channel_display()) for t in salud.targets.all()}
    assert wanted <= set(rows)
    for (theme, channel), row in rows.items():
        assert row[4] == published_on(theme, channel), (theme, channel)
    facebook = rows[("Salud", "Página de Facebook")]
    assert facebook[4] > 0
    assert facebook[2] == "2 por semana" and facebook[3] == round(2 * 181 / 7, 1)
    assert facebook[6] == "rezagada"
    html = render.to_html(data)
    assert "Campaña permanente: cadencia por tema y red" in html
    assert "Línea base: 6,900 seguidores al 1 de enero de 2023" in html
