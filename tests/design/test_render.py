"""Every template at every network size, with short and very long Spanish texts:
exact pixel size, every text block inside its frame, no word lost."""

import pytest

from pregon.design.render import SIZES, TEMPLATES, Brand, TextDoesNotFit, parse_size, render_piece
from tests.design.conftest import SHORT, make_photo

BRAND = Brand()


def assert_fits(rendered, data, spec, size) -> None:
    assert rendered.image.size == size
    names = {b.name for b in rendered.blocks}
    for block in rendered.blocks:
        assert block.frame.contains(block.bbox), (block.name, block.frame.box, block.bbox)
        x0, y0, x1, y1 = block.frame.box
        assert x0 >= 0 and y0 >= 0 and x1 <= size[0] and y1 <= size[1], block.name
        assert block.size >= 8
    for f in spec.fields:
        if data.get(f.name):  # every text the template takes is drawn, and whole
            assert f.name in names, f"«{f.label}» was given but not drawn"
            block = next(b for b in rendered.blocks if b.name == f.name)
            # Nothing cut: the drawn lines hold exactly the words that were given.
            assert " ".join(block.lines).split() == data[f.name].split()
    required = [f.name for f in spec.fields if f.required]
    assert set(required) <= names
    assert {"administracion", "lema", "domicilio", "leyenda"} <= names


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_short_texts_fit(template, size) -> None:
    dims = parse_size(size)
    rendered = render_piece(template, SHORT, dims, BRAND)
    assert_fits(rendered, SHORT, TEMPLATES[template], dims)
    assert rendered.warnings == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_very_long_texts_shrink_and_wrap(template, size, long_data) -> None:
    dims = parse_size(size)
    photo = make_photo() if TEMPLATES[template].photo else None
    rendered = render_piece(template, long_data, dims, BRAND, photo)
    assert_fits(rendered, long_data, TEMPLATES[template], dims)
    short = render_piece(template, SHORT, dims, BRAND)
    title = next(
        f.name for f in TEMPLATES[template].fields if f.required and " " in long_data[f.name]
    )
    size_of = {b.name: b.size for b in rendered.blocks}
    short_size_of = {b.name: b.size for b in short.blocks}
    assert size_of[title] <= short_size_of[title]
    stepped = [n for n in short_size_of if n in size_of and size_of[n] < short_size_of[n]]
    assert stepped, "long texts must step the size down somewhere"
    assert len(next(b for b in rendered.blocks if b.name == title).lines) > 1


def test_a_word_wider_than_the_box_steps_the_size_down_instead_of_breaking() -> None:
    data = {**SHORT, "titulo": "Electroencefalografistas"}
    rendered = render_piece("aviso", data, (1200, 630), BRAND)
    block = next(b for b in rendered.blocks if b.name == "titulo")
    assert block.lines == ["Electroencefalografistas"]
    assert block.frame.contains(block.bbox)


def test_text_that_cannot_fit_names_the_field() -> None:
    data = {**SHORT, "cifra": "9" * 400}
    with pytest.raises(TextDoesNotFit, match="«Cifra» no cabe en 1200×630"):
        render_piece("cifra", data, (1200, 630), BRAND)


def test_unknown_size_is_refused_in_spanish() -> None:
    with pytest.raises(ValueError, match="Tamaño «999x1» no válido"):
        parse_size("999x1")


@pytest.mark.parametrize("size", ["1080x1080", "1600x900"])
def test_photo_is_cropped_around_the_focal_point(size) -> None:
    """The red disc sits at 85 % across; with that focal point it lands inside the
    photo frame, centred as far as the edge allows; with focus 0.1 it is cropped away."""
    dims = parse_size(size)
    photo = make_photo(4000, 1000, dot=(0.85, 0.5))

    def red_pixels(focus_x: float) -> int:
        data = {**SHORT, "foco_x": focus_x, "foco_y": 0.5}
        image = render_piece("campana", data, dims, BRAND, photo).image
        small = image.resize((dims[0] // 8, dims[1] // 8))
        raw = small.tobytes()
        pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
        return sum(1 for r, g, b in pixels if r > 200 and g < 60 and b < 60)

    assert red_pixels(0.85) > 20
    assert red_pixels(0.1) == 0


def test_campaign_without_photo_still_renders() -> None:
    rendered = render_piece("campana", SHORT, (1080, 1920), BRAND)
    assert_fits(rendered, SHORT, TEMPLATES["campana"], (1080, 1920))
    assert rendered.warnings == []


def test_poor_palette_gives_a_contrast_warning_with_suggestion() -> None:
    pale = Brand(primary="#f0d0a0", text="#bbbbbb")
    rendered = render_piece("aviso", SHORT, (1080, 1080), pale)
    assert any("menor que 4.5:1" in w and "Sugerencia: use #" in w for w in rendered.warnings)
