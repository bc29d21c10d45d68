"""How each network shows a post: where Facebook folds the text, the ratio
Instagram crops to, what X counts over 280, the portal's title and lead."""

from pregon.publishing import previews
from pregon.publishing.channels import preview as shared
from pregon.publishing.channels.facebook import preview as facebook
from pregon.publishing.channels.instagram import preview as instagram
from pregon.publishing.channels.manual import preview as manual
from pregon.publishing.channels.x import preview as x


def test_facebook_folds_after_five_lines_or_480_characters():
    six_lines = "\n".join(f"Línea {n}" for n in range(1, 7))
    shown, folded = facebook.fold(six_lines)
    assert folded and shown.endswith("Línea 5") and "Línea 6" not in shown
    long_line = "palabra " * 100
    shown, folded = facebook.fold(long_line)
    assert folded and len(shown) <= 480 and shown.endswith("palabra")
    assert facebook.fold("Corto.") == ("Corto.", False)


def test_instagram_crops_outside_4_5_to_1_91():
    assert instagram.ratio(1080, 1350) == 0.8
    assert instagram.ratio(1080, 1920) == 0.8  # a phone's 9:16 is cut to 4:5
    assert instagram.ratio(3000, 1000) == 1.91  # a panorama is cut to 1.91:1
    assert instagram.ratio(1600, 1200) == 1600 / 1200
    assert shared.ratio_label(0.8) == "4:5" and shared.ratio_label(4 / 3) == "1.33:1"


def test_instagram_shows_the_first_line_then_mas():
    assert instagram.fold("Feria de la salud\n#Chapultepec") == ("Feria de la salud", True)
    assert instagram.fold("Una línea.") == ("Una línea.", False)


def test_x_splits_at_280_weighted_characters():
    within, over, weighted = x.split("🩺" * 150)  # each emoji weighs 2
    assert weighted == 300 and within == "🩺" * 140 and over == "🩺" * 10
    within, over, weighted = x.split("Hola https://chapultepec.gob.mx/" + "x" * 40)
    assert over == "" and weighted == 5 + 23
    assert x.short_url("https://www.chapultepec.gob.mx/avisos/feria") == ("www.chapultepec.gob.mx…")


def test_portal_title_and_lead():
    preview = previews.build(
        "wordpress",
        text="Arranca la feria\n\nEste sábado, en el jardín.\n\nMás datos.",
        link="",
        title="",
        first_size=(0, 0),
        media_count=0,
        has_media=False,
    )
    assert preview.title == "Arranca la feria" and preview.lead == "Este sábado, en el jardín."


def test_manual_text_is_what_the_package_copies():
    assert manual.package_text("Texto", "https://a.mx") == "Texto\n\nhttps://a.mx"
