"""Press directory pages: edit and delete contacts and lists, search and pages, CSV
export that the import reads back."""

import csv
import io

import pytest
from django.test import Client

from pregon.bulletins import directory
from pregon.bulletins.models import DistributionRecipient, MediaContact, MediaList
from pregon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(mariana):
    client = Client()
    client.force_login(mariana)
    return client


def test_edit_contact_and_lists_with_audit(boss, press_list):
    local = press_list("Medios locales", 2)
    toluca = MediaList.objects.create(name="Corresponsales Toluca")
    contact = local.contacts.first()
    form = boss.get(f"/boletines/directorio/contactos/{contact.pk}/").content.decode()
    assert f'value="{contact.outlet}"' in form and f'value="{contact.email}"' in form
    response = boss.post(
        f"/boletines/directorio/contactos/{contact.pk}/",
        {
            "outlet": "El Sol de Toluca",
            "person": "Ana Pérez",
            "role": "Reportera",
            "email": "ANA@sol.example",
            "phone": "",
            "media_type": "prensa",
            "coverage_area": "Valle de Toluca",
            "lists": [toluca.pk],
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.outlet, contact.email) == ("El Sol de Toluca", "ana@sol.example")
    assert list(contact.lists.values_list("name", flat=True)) == ["Corresponsales Toluca"]
    bad = boss.post(f"/boletines/directorio/contactos/{contact.pk}/", {"outlet": "X"})
    assert bad.status_code == 200 and "Nombre: Este campo es obligatorio" in bad.content.decode()
    contact.refresh_from_db()
    assert contact.outlet == "El Sol de Toluca"  # nothing changed

    boss.post(f"/boletines/directorio/listas/{toluca.pk}/", {"name": "Toluca y Metepec"})
    toluca.refresh_from_db()
    assert toluca.name == "Toluca y Metepec"
    boss.post(f"/boletines/directorio/listas/{toluca.pk}/borrar/")
    assert not MediaList.objects.filter(pk=toluca.pk).exists()
    assert MediaContact.objects.filter(pk=contact.pk).exists()  # contacts stay
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {
        "bulletins.contact_changed",
        "bulletins.list_changed",
        "bulletins.list_deleted",
    } <= verbs


def test_delete_contact_keeps_delivery_log(boss, press_list, approved_bulletin, mariana):
    from pregon.bulletins.models import Distribution

    local = press_list("Medios locales", 2)
    plain, received = local.contacts.order_by("pk")
    sent = Distribution.objects.create(bulletin=approved_bulletin(), created_by=mariana)
    DistributionRecipient.objects.create(
        distribution=sent, contact=received, email=received.email, status="enviado"
    )
    page = boss.post(f"/boletines/directorio/contactos/{received.pk}/borrar/", follow=True)
    assert "ya recibió boletines" in page.content.decode(), page.content.decode()[:3000]
    assert MediaContact.objects.filter(pk=received.pk).exists()
    boss.post(f"/boletines/directorio/contactos/{plain.pk}/borrar/")
    assert not MediaContact.objects.filter(pk=plain.pk).exists()


def test_search_filter_and_pages(boss, press_list):
    press_list("Medios locales", 60)
    press_list("Corresponsales Toluca", 3)
    first = boss.get("/boletines/directorio/").content.decode()
    assert "Contactos: 63" in first and "Página 1 de 2" in first
    second = boss.get("/boletines/directorio/?pagina=2").content.decode()
    assert "Página 2 de 2" in second
    found = boss.get("/boletines/directorio/?q=corresponsales.example").content.decode()
    assert "Contactos: 3" in found and "periodista2@corresponsales.example" in found
    toluca = MediaList.objects.get(name="Corresponsales Toluca")
    only = boss.get(f"/boletines/directorio/?lista={toluca.pk}&q=periodista1@").content.decode()
    assert "Contactos: 1" in only and "periodista1@corresponsales.example" in only


def test_export_list_as_csv_round_trips(boss, press_list, mariana):
    local = press_list("Medios locales", 3)
    MediaContact.objects.filter(email="periodista0@medios.example").update(outlet="=HYPERLINK()")
    response = boss.get(f"/boletines/directorio/listas/{local.pk}/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="medios-locales.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["correo"] for r in rows][1:] == [
        "periodista1@medios.example",
        "periodista2@medios.example",
    ]
    assert rows[0]["medio"] == "'=HYPERLINK()"  # not a formula in a spreadsheet
    assert {r["listas"] for r in rows} == {"Medios locales"}
    MediaContact.objects.all().delete()
    result = directory.import_contacts(data=response.content, user=mariana)
    assert result.created == 3


def test_consulta_reads_and_exports_but_does_not_edit(pedro, press_list):
    local = press_list("Medios locales", 1)
    client = Client()
    client.force_login(pedro)
    page = client.get("/boletines/directorio/").content.decode()
    assert "Descargar CSV" in page and "Nuevo contacto" not in page
    contact = local.contacts.get()
    exported = client.get(f"/boletines/directorio/listas/{local.pk}/csv/")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["medio"], r["correo"]) for r in rows] == [(contact.outlet, contact.email)]
    assert client.get(f"/boletines/directorio/contactos/{contact.pk}/").status_code == 403
    assert client.post(f"/boletines/directorio/contactos/{contact.pk}/borrar/").status_code == 403
