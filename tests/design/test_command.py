"""`pregon render` for scripting."""

import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from tests.design.conftest import make_photo


def test_render_command_writes_png_of_the_size(tmp_path, db, capsys) -> None:
    (tmp_path / "plaza.jpg").write_bytes(make_photo())
    data = tmp_path / "pieza.json"
    data.write_text(
        json.dumps(
            {
                "titulo": "Reforestación",
                "texto": "Sábado 9:00 h",
                "foto": "plaza.jpg",
                "foco_x": 0.8,
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.png"
    call_command(
        "render", "campana", "--data", str(data), "--size", "1600x900", "-o", str(out), "--json"
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["size"] == "1600x900" and summary["warnings"] == []
    assert Image.open(out).size == (1600, 900)


def test_render_command_errors_name_file_line_and_field(tmp_path, db) -> None:
    broken = tmp_path / "roto.json"
    broken.write_text('{\n "titulo": }', encoding="utf-8")
    with pytest.raises(CommandError, match=r"roto.json, línea 2: JSON no válido"):
        call_command("render", "aviso", "--data", str(broken), "-o", str(tmp_path / "x.png"))
    empty = tmp_path / "vacio.json"
    empty.write_text('{"texto": "solo texto"}', encoding="utf-8")
    with pytest.raises(CommandError, match="campo «titulo»: Este campo es obligatorio"):
        call_command("render", "aviso", "--data", str(empty), "-o", str(tmp_path / "x.png"))
    assert not (tmp_path / "x.png").exists()
