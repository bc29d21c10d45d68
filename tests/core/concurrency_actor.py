"""One actor of the concurrency test (tests/core/test_concurrency.py), run as its own
process against one SQLite file, like gunicorn and the task worker:

    python -m tests.core.concurrency_actor setup|photos|user DIR

`setup` creates the people and the account; `photos` takes 12 photos into the
archive the way the worker does; `user` uploads, saves publications and loads pages
until DIR/done exists. Each prints one JSON line with what it did and every error."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")


def jpeg(seed: int, width: int = 2400, height: int = 1600) -> bytes:
    import pyvips

    noise = pyvips.Image.gaussnoise(width, height, sigma=40 + seed % 7, mean=100 + seed % 50)
    return noise.cast("uchar").bandjoin([noise, noise]).jpegsave_buffer(Q=85)


def setup(folder: Path) -> dict:
    from pregon.accounts.models import ApiToken, Area, User
    from pregon.accounts.roles import group_for, sync_roles
    from pregon.publishing.models import ChannelAccount

    sync_roles()
    Area.objects.get_or_create(short_name="PRES", defaults={"name": "Presidencia Municipal"})
    people = {}
    for name, role in (("mariana", "coordinacion"), ("jorge", "redaccion"), ("luis", "fotografia")):
        user = User.objects.create_user(username=name, password=f"{name}-clave-segura-1")
        user.groups.add(group_for(role))
        people[name] = ApiToken.issue(user, "concurrencia")[1]
    account = ChannelAccount.objects.create(
        name="Municipio", kind="facebook_page", external_id="1002003004"
    )
    return {"tokens": people, "account": account.pk}


def photos(folder: Path) -> dict:
    from pregon.accounts.models import User
    from pregon.archive.services import asset_ingest

    luis, done, errors = User.objects.get(username="luis"), 0, []
    for seed in range(12):
        path = folder / f"evento-{seed}.jpg"
        path.write_bytes(jpeg(seed))
        try:
            asset_ingest(file_path_or_uploaded_file=path, original_name=path.name, user=luis)
            done += 1
        except Exception:
            errors.append(traceback.format_exc(limit=3))
    return {"photos": done, "errors": errors}


def user(folder: Path) -> dict:
    from django.test import Client

    from pregon.accounts.models import User

    info = json.loads((folder / "setup.json").read_text())
    auth = {"Authorization": f"Bearer {info['tokens']['jorge']}"}
    client = Client(headers=auth, raise_request_exception=True, SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="jorge"))  # pages as a person sees them
    counts, errors, rounds = {"uploads": 0, "publications": 0, "pages": 0}, [], 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and (rounds < 3 or not (folder / "done").exists()):
        rounds += 1
        steps = [
            ("uploads", lambda r=rounds: _upload(client, r)),
            ("publications", lambda r=rounds: _publication(client, r, info["account"])),
            ("pages", lambda: _pages(client)),
        ]
        for key, step in steps:
            try:
                step()
                counts[key] += 1
            except Exception:
                errors.append(traceback.format_exc(limit=4))
        time.sleep(0.2)
    return {**counts, "rounds": rounds, "errors": errors}


def _upload(client, seed: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"foto-{seed}.jpg", jpeg(1000 + seed, 1200, 800))
    response = client.post("/api/v1/archive/uploads", {"archivo": upload})
    assert response.status_code == 202, response.content[:300]
    status = client.get(f"/api/v1/archive/uploads/{response.json()['id']}").json()
    assert status["archivo"], status


def _publication(client, seed: int, account: int) -> None:
    payload = {
        "title": f"Aviso {seed}",
        "text": f"Jornada de limpieza número {seed} en la cabecera municipal.",
        "variants": [{"account": account}],
    }
    response = client.post("/api/v1/publications", payload, content_type="application/json")
    assert response.status_code == 201, response.content[:300]


def _pages(client) -> None:
    pages = ("/", "/publicaciones/", "/archivo/", "/api/v1/publications", "/healthz")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)


if __name__ == "__main__":
    import django

    django.setup()
    mode, folder = sys.argv[1], Path(sys.argv[2])
    result = {"setup": setup, "photos": photos, "user": user}[mode](folder)
    print(json.dumps(result))
