"""Per-network rules: what each variant may carry, in Spanish."""

import pytest

from pregon.publishing.rules import MediaInfo, alt_text_messages, hashtags, validate_variant

MIB = 1024 * 1024


def jpeg(width: int = 1080, height: int = 1080, size: int = MIB, alt: str = "Foto") -> MediaInfo:
    return MediaInfo("image/jpeg", width, height, size, alt)


def test_x_counts_weighted_characters() -> None:
    assert validate_variant("x", "a" * 280, []) == []
    # 140 CJK characters weigh 280; one more is over.
    assert validate_variant("x", "の" * 140, []) == []
    [message] = validate_variant("x", "の" * 141, [])
    assert "282 caracteres ponderados" in message


def test_x_refuses_invalid_characters() -> None:
    assert validate_variant("x", "Hola\ufffe", []) == [
        "X: el texto contiene caracteres no permitidos (U+FFFE, U+FEFF o U+FFFF)."
    ]


def test_x_counts_a_link_as_23() -> None:
    text = "a" * 256 + " https://chapultepec.gob.mx/" + "x" * 100
    assert validate_variant("x", text, []) == []


def test_x_image_limits() -> None:
    messages = validate_variant("x", "Hola", [jpeg()] * 5)
    assert messages == ["X: admite hasta 4 imágenes; hay 5."]
    assert "pesa 6.0 MiB" in validate_variant("x", "Hola", [jpeg(size=6 * MIB)])[0]


def test_instagram_needs_an_image() -> None:
    assert validate_variant("instagram", "Hola", []) == [
        "Instagram: necesita al menos una imagen o un video."
    ]


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [(1080, 1350, True), (1080, 1351, False), (1910, 1000, True), (1920, 1000, False)],
)
def test_instagram_aspect_ratio(width: int, height: int, ok: bool) -> None:
    messages = validate_variant("instagram", "Hola", [jpeg(width, height)])
    assert (messages == []) is ok
    if not ok:
        assert f"la imagen 1 mide {width}×{height} px" in messages[0]


def test_instagram_format_size_caption_and_carousel() -> None:
    png = MediaInfo("image/png", 1080, 1080, MIB, "Foto")
    assert validate_variant("instagram", "Hola", [png]) == [
        "Instagram: la imagen 1 es image/png; debe ser JPEG."
    ]
    assert "8 MiB" in validate_variant("instagram", "Hola", [jpeg(size=8 * MIB + 1)])[0]
    assert validate_variant("instagram", "Hola", [jpeg(size=8 * MIB)]) == []
    assert "2201 caracteres" in validate_variant("instagram", "a" * 2201, [jpeg()])[0]
    assert validate_variant("instagram", "Hola", [jpeg()] * 10) == []
    assert validate_variant("instagram", "Hola", [jpeg()] * 11) == [
        "Instagram: un carrusel lleva de 2 a 10 imágenes; hay 11."
    ]


def test_instagram_hashtag_limit_is_configurable(settings) -> None:
    text = "Feria #Chapultepec #Edomex #Salud #Vacunación #Niñez #Familias #2026"
    assert hashtags(text) == [
        "#Chapultepec",
        "#Edomex",
        "#Salud",
        "#Vacunación",
        "#Niñez",
        "#Familias",
    ]
    assert (
        "6 hashtags; el máximo configurado es 5" in validate_variant("instagram", text, [jpeg()])[0]
    )
    assert validate_variant("instagram", text, [jpeg()], hashtag_limit=6) == []
    settings.PREGON_INSTAGRAM_HASHTAG_LIMIT = 10
    assert validate_variant("instagram", text, [jpeg()]) == []


def test_facebook_limits() -> None:
    assert validate_variant("facebook_page", "a" * 63_206, []) == []
    assert "63,206" in validate_variant("facebook_page", "a" * 63_207, [])[0]
    assert validate_variant("facebook_page", "Hola", [jpeg()] * 11) == [
        "Facebook: admite hasta 10 fotos; hay 11."
    ]
    assert validate_variant("facebook_page", " ", []) == [
        "Facebook: el texto está vacío y no hay imágenes."
    ]


def test_wordpress_takes_the_first_line_as_title() -> None:
    assert validate_variant("wordpress", "Nueva clínica\nTexto", []) == []
    assert validate_variant("wordpress", "", [], title=" ") == [
        "El portal: la nota necesita un título.",
        "El portal: el texto de la nota está vacío.",
    ]


def test_alt_text_is_required_for_images() -> None:
    media = [jpeg(), jpeg(alt=" ")]
    assert alt_text_messages(media) == [
        "La imagen 2 no tiene texto alternativo (descripción para lectores de pantalla)."
    ]
    assert validate_variant("facebook_page", "Hola", media) == [
        "Facebook: La imagen 2 no tiene texto alternativo (descripción para lectores de pantalla)."
    ]
    assert validate_variant("facebook_page", "Hola", media, require_alt_text=False) == []


def test_manual_accepts_anything_and_unknown_kinds_are_named() -> None:
    assert validate_variant("manual", "", [jpeg(alt="")]) == []
    assert validate_variant("myspace", "Hola", []) == ["Canal desconocido: myspace."]


def video(seconds: float = 30.0, size: int = 20 * MIB) -> MediaInfo:
    return MediaInfo("video/mp4", 1080, 1920, size, "", seconds)


def test_a_video_goes_alone_on_facebook_and_x() -> None:
    assert validate_variant("facebook_page", "Cabildo", [video()]) == []
    assert validate_variant("x", "Cabildo", [video()]) == []
    for kind, network in (("facebook_page", "Facebook"), ("x", "X")):
        assert validate_variant(kind, "Cabildo", [video(), jpeg()]) == [
            f"{network}: un video va solo, sin otras imágenes ni videos; hay 2."
        ]


def test_x_video_length_and_weight() -> None:
    assert validate_variant("x", "Cabildo", [video(seconds=141)]) == [
        "X: el video 1 dura 2 min 21 s; debe durar de 0.5 a 140 segundos."
    ]
    assert validate_variant("x", "Cabildo", [video(size=600 * MIB)]) == [
        "X: el video 1 pesa 600.0 MiB; el máximo es 512 MiB."
    ]


def test_instagram_reel_and_carousel_video_lengths() -> None:
    assert validate_variant("instagram", "Reel", [video(seconds=14 * 60)]) == []
    assert validate_variant("instagram", "Reel", [video(seconds=2)]) == [
        "Instagram: el video 1 dura 2.0 s; como reel debe durar de 3 s a 15 min."
    ]
    # In a carousel a video may last up to a minute; images still follow their rules.
    assert validate_variant("instagram", "Carrusel", [jpeg(), video(seconds=45)]) == []
    assert validate_variant("instagram", "Carrusel", [jpeg(), video(seconds=90)]) == [
        "Instagram: el video 2 dura 1 min 30 s; en un carrusel debe durar de 3 s a 1 min."
    ]


def test_videos_need_no_alt_text_but_images_do() -> None:
    assert alt_text_messages([video(), jpeg(alt="")]) == [
        "La imagen 2 no tiene texto alternativo (descripción para lectores de pantalla)."
    ]
