"""Press directory CSV import: all or nothing, Spanish errors with line and field."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pregon.bulletins import directory
from pregon.bulletins.models import MediaContact, MediaList

pytestmark = pytest.mark.django_db

GOOD = (
    "medio,nombre,cargo,correo,telefono,tipo,cobertura,listas\n"
    "El Sol de Toluca,Ana Pérez,Reportera,ana@sol.example,7221234567,Prensa escrita,"
    "Valle de Toluca,Medios locales;Corresponsales Toluca\n"
    "Radio Mexiquense,Luis Gómez,Conductor,LUIS@radio.example,,radio,Estado de México,"
    "Medios locales\n"
)


def test_import_creates_contacts_and_lists(mariana):
    result = directory.import_contacts(data=GOOD.encode(), user=mariana)
    assert (result.created, result.updated) == (2, 0)
    assert sorted(result.lists_created) == ["Corresponsales Toluca", "Medios locales"]
    ana = MediaContact.objects.get(email="ana@sol.example")
    assert ana.media_type == "prensa" and ana.coverage_area == "Valle de Toluca"
    assert sorted(ana.lists.values_list("name", flat=True)) == [
        "Corresponsales Toluca",
        "Medios locales",
    ]
    assert MediaContact.objects.get(email="luis@radio.example").media_type == "radio"
    again = directory.import_contacts(data=GOOD.encode(), user=mariana)
    assert (again.created, again.updated) == (0, 2)


def test_semicolon_and_windows_1252_from_excel(mariana):
    text = "medio;nombre;correo;tipo\nTelevisión Mexiquense;José Núñez;jose@tv.example;Televisión\n"
    directory.import_contacts(data=text.encode("cp1252"), user=mariana)
    contact = MediaContact.objects.get()
    assert (contact.outlet, contact.person) == ("Televisión Mexiquense", "José Núñez")
    assert (contact.email, contact.media_type) == ("jose@tv.example", "television")


def test_bad_lines_are_named_and_nothing_is_saved(mariana):
    bad = GOOD + (
        "Diario Amanecer,,Editor,no-es-correo,,periódico,,\nOtro,Juan,,ana@sol.example,,digital,,\n"
    )
    with pytest.raises(ValidationError) as exc:
        directory.import_contacts(data=bad.encode(), user=mariana)
    messages = exc.value.messages
    assert "Línea 4, campo «nombre»: es obligatorio." in messages
    assert any(
        m.startswith("Línea 4, campo «correo»: «no-es-correo» no es un correo") for m in messages
    )
    assert any(m.startswith("Línea 4, campo «tipo»: «periódico» no es válido") for m in messages)
    assert "Línea 5, campo «correo»: repetido (ya está en la línea 2)." in messages
    assert MediaContact.objects.count() == 0 and MediaList.objects.count() == 0


def test_missing_columns(mariana):
    with pytest.raises(ValidationError) as exc:
        directory.import_contacts(data=b"medio,persona\nX,Y\n", user=mariana)
    assert "Línea 1: faltan las columnas nombre, correo" in exc.value.messages[0]


def test_import_page_shows_errors_and_needs_permission(mariana, pedro):
    client = Client()
    client.force_login(pedro)
    assert client.get("/boletines/directorio/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("medios.csv", GOOD.encode(), "text/csv")
    assert client.post("/boletines/directorio/", {"file": upload}).status_code == 403
    client.force_login(mariana)
    bad = SimpleUploadedFile("medios.csv", b"medio,nombre,correo\nX,,x@y.example\n")
    page = client.post("/boletines/directorio/", {"file": bad}).content.decode()
    assert "Línea 2, campo «nombre»: es obligatorio." in page
    good = SimpleUploadedFile("medios.csv", GOOD.encode())
    assert client.post("/boletines/directorio/", {"file": good}).status_code == 302
    assert MediaContact.objects.count() == 2
