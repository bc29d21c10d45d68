"""Threads end to end: a publication approved by Coordinación and sent by the engine
goes out exactly once under the faults the other networks are tested with (a worker
killed right after Threads accepted, with 50 newer posts on the account; a 500; a
429; an answer that never came back), containers looked at later by the engine
instead of a sleeping thread, «Conectar con Threads», the day's figures through
analytics, and the 500-character limit in the composer's verdict."""

import json
import time
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from pregon.publishing import connectors, engine, services, verdict
from pregon.publishing.channels.threads import ThreadsChannel
from pregon.publishing.models import (
    ChannelAccount,
    DeliveryStatus,
    PublicationStatus,
)
from tests.publishing.conftest import E2E_TEXT
from tests.publishing.fakes.threads import ThreadsFake
from tests.publishing.faults_support import (
    approve_and_schedule,
    delivery_of,
    due_now,
    killed_after_accepted,
    photo_add,
    stale,
)
from tests.publishing.test_connect import back_to_pregon, consent

D = DeliveryStatus
DAYS = 86_400


@pytest.fixture
def threads(transactional_db, settings, live_server):
    settings.PREGON_CHANNEL_TIMEOUT = 1
    settings.PREGON_PUBLIC_URL = live_server.url  # Threads downloads the photos from here
    with ThreadsFake(app_id="th-app", app_secret="th-s3cret") as fake:
        settings.PREGON_THREADS_APP_ID, settings.PREGON_THREADS_APP_SECRET = "th-app", "th-s3cret"
        settings.PREGON_THREADS_API_URL = fake.host
        settings.PREGON_THREADS_OAUTH_URL = f"{fake.host}/oauth/authorize"
        fake.add_user("9001", "chapultepec.gob", token="th-token", age_days=2)
        yield fake


@pytest.fixture
def account(threads) -> ChannelAccount:
    credentials = {"access_token": "th-token", "expires_at": int(time.time()) + 58 * DAYS}
    return ChannelAccount.objects.create(
        name="Threads · @chapultepec.gob",
        kind="threads",
        external_id="9001",
        base_url=threads.host,
        credentials=json.dumps(credentials),
    )


@pytest.fixture
def publish(account, jorge, mariana):
    """A publication with a photo, approved and due a second ago on Threads."""

    def make(text: str = E2E_TEXT, image: bool = True, on=None):
        publication = services.publication_create(
            author=jorge, title="Feria de la salud", text=text, category="salud"
        )
        media = [photo_add(publication, jorge, "Módulos de salud").pk] if image else []
        variants = {(on or account).pk: {"text": "", "media": media}}
        approve_and_schedule(publication, variants, author=jorge, approver=mariana)
        return publication

    return make


def _copies(threads, text: str = E2E_TEXT) -> int:
    return sum(post["text"] == text for post in threads.posts.values())


def test_approved_publication_goes_out_once_with_the_photo_fetched_from_pregon(
    threads, publish, settings
):
    publication = publish()
    assert engine.publish_due()["publicada"] == 1
    delivery = delivery_of(publication)
    assert delivery.status == D.PUBLICADA and delivery.remote_id in threads.posts
    assert delivery.remote_url == threads.posts[delivery.remote_id]["permalink"]
    [(url, status, kind)] = threads.fetched  # Threads read the signed link, whole
    assert url.startswith(settings.PREGON_PUBLIC_URL) and (status, kind) == (200, "image/jpeg")
    [create] = [r for r in threads.requests if r.method == "POST" and r.path == "/9001/threads"]
    assert create.form["alt_text"] == "Módulos de salud"
    engine.publish_due()
    assert _copies(threads) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA


def test_the_engine_looks_at_containers_later_instead_of_sleeping(threads, publish):
    threads.container_polls = 1
    publication = publish()
    started = time.monotonic()
    assert engine.publish_due()["en_proceso"] == 1
    assert time.monotonic() - started < ThreadsChannel.poll_interval  # nobody slept
    delivery = delivery_of(publication)
    assert delivery.status == D.PENDIENTE and delivery.network_ref in threads.containers
    assert threads.posts == {}
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    assert _copies(threads) == 1 and len(threads.containers) == 1


def test_worker_killed_after_threads_accepted_with_50_newer_posts(threads, publish, monkeypatch):
    publication = publish()
    with killed_after_accepted(monkeypatch):
        engine.publish_due()
    delivery = delivery_of(publication)
    assert delivery.status == D.ENVIANDO and _copies(threads) == 1
    threads.add_posts("9001", 50)
    stale(delivery)
    connectors._channels.clear()
    engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert delivery.attempt_log.filter(outcome="encontrada").exists()
    assert _copies(threads) == 1


def test_a_500_is_retried_on_the_schedule_and_sent_once(threads, publish):
    publication = publish(image=False)
    threads.server_error(times=1, method="POST")  # the container was not made
    assert engine.publish_due()["reintentar"] == 1
    delivery = delivery_of(publication)
    assert delivery.status == D.PENDIENTE and "falla temporal" in delivery.last_error
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    assert _copies(threads) == 1


def test_a_429_waits_as_long_as_meta_says(threads, publish):
    publication = publish(image=False)
    threads.rate_limit(minutes=7)
    before = timezone.now()
    assert engine.publish_due()["limite"] == 1
    delivery = delivery_of(publication)
    assert delivery.status == D.PENDIENTE
    assert delivery.scheduled_at >= before + timedelta(minutes=7) - timedelta(seconds=1)
    assert "Threads pidió esperar" in delivery.last_error and threads.posts == {}
    due_now(delivery)
    engine.publish_due()
    assert _copies(threads) == 1


def test_timeout_after_threads_published_is_found_not_resent(threads, publish):
    publication = publish(image=False)
    threads.slow(2.5, method="POST", path="/threads_publish")  # done, answered too late
    engine.publish_due()
    engine.publish_due()
    delivery = delivery_of(publication)
    assert delivery.status == D.PUBLICADA, delivery.last_error
    outcomes = list(delivery.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["incierto", "encontrada"]
    assert _copies(threads) == 1


def test_expired_token_holds_the_delivery_for_reconnection(threads, account, publish):
    threads.add_user("9001", "chapultepec.gob", token="dead-token", age_days=61)
    dead = {"access_token": "dead-token", "expires_at": int(time.time()) - DAYS}
    ChannelAccount.objects.filter(pk=account.pk).update(credentials=json.dumps(dead))
    publication = publish(image=False)
    engine.publish_due()
    account.refresh_from_db()
    assert account.state == "reconexion" and threads.posts == {}
    assert delivery_of(publication).status != D.FALLIDA


def test_connect_with_threads_then_publish(client, mariana, jorge, threads, publish):
    client.force_login(jorge)
    assert client.get("/publicaciones/canales/conectar/threads/").status_code == 403
    client.force_login(mariana)
    start = client.get("/publicaciones/canales/conectar/threads/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_id"] == ["th-app"] and query["state"]
    assert query["scope"] == ["threads_basic,threads_content_publish,threads_manage_insights"]
    threads.login_as("9002", "gobiernochapultepec")
    done = back_to_pregon(client, consent(start["Location"]))
    assert done.status_code == 302
    connected = ChannelAccount.objects.get(kind="threads", external_id="9002")
    assert connected.handle == "@gobiernochapultepec"
    stored = json.loads(connected.credentials)
    grant = threads.tokens[stored["access_token"]]
    assert grant["long"] and grant["user"] == "9002"  # the 60-day token, not the 1-hour one
    assert stored["expires_at"] > time.time() + 59 * DAYS
    publication = publish(text="Aviso a la población de Chapultepec", image=False, on=connected)
    assert engine.publish_due()["publicada"] == 1
    assert delivery_of(publication).remote_id in threads.posts


def test_an_unticked_publishing_permission_is_named_and_adds_nothing(client, mariana, threads):
    client.force_login(mariana)
    threads.login_as("9002", "gobiernochapultepec")
    threads.declined_scopes = {"threads_content_publish"}  # unticked in Threads' window
    start = client.get("/publicaciones/canales/conectar/threads/")
    page = back_to_pregon(client, consent(start["Location"]))
    assert page.status_code == 302
    shown = client.get(page["Location"]).content.decode()
    assert "falta threads_content_publish (publicar)" in shown
    assert not ChannelAccount.objects.filter(kind="threads").exists()


def test_a_forged_state_or_a_cancelled_consent_adds_nothing(client, mariana, threads):
    client.force_login(mariana)
    start = client.get("/publicaciones/canales/conectar/threads/")
    location = consent(start["Location"])
    forged = location.replace("state=", "state=x")
    page = back_to_pregon(client, forged)
    assert page.status_code == 302 and not ChannelAccount.objects.filter(external_id="9002")
    start = client.get("/publicaciones/canales/conectar/threads/")
    cancelled = back_to_pregon(client, consent(start["Location"], allow=False))
    assert cancelled.status_code == 302
    assert ChannelAccount.objects.filter(kind="threads").count() == 0


def test_daily_figures_reach_analytics(threads, account, publish):
    from pregon.analytics.insights import fetch_all
    from pregon.analytics.models import AccountMetric, PostMetric

    publication = publish(image=False)
    engine.publish_due()
    remote_id = delivery_of(publication).remote_id
    PostMetric.objects.create(
        account=account,
        remote_id=remote_id,
        published_at=timezone.now(),
        snapshot_at=timezone.now(),
    )
    day = date.today() - timedelta(days=1)
    for metric, value in {"views": 340, "likes": 51, "replies": 7, "reposts": 3}.items():
        threads.insights_day[("9001", metric)] = value
    threads.insights_day[("9001", "followers_count")] = 6950
    threads.post_insights[(remote_id, "likes")] = 80
    threads.post_insights[(remote_id, "views")] = 1200
    [report] = fetch_all(day)
    assert report.errors == {} and report.posts == 1
    metric = AccountMetric.objects.get(account=account, date=day)
    assert (metric.followers, metric.views, metric.engagements) == (6950, 340, 61)
    post = PostMetric.objects.get(account=account, remote_id=remote_id)
    assert (post.views, post.reactions) == (1200, 80)


def test_composer_verdict_counts_500_as_threads_does(db, settings):
    settings.PREGON_PUBLIC_URL = "https://comunicacion.chapultepec.gob.mx"
    link = "https://www.chapultepec.gob.mx/feria"
    fits = "a" * (500 - len(link) - 1 - 4) + "🎉"  # + a space and the link inside
    facts = verdict.Facts("threads", fits, link=link)
    assert verdict.network_problems(verdict.check(facts, timezone.now(), compliance=False)) == []
    over = verdict.Facts("threads", fits + "a", link=link)
    found = verdict.check(over, timezone.now(), compliance=False)
    assert found.blocked
    assert verdict.network_problems(found)[0].startswith("Threads: el texto mide 501 caracteres")


def test_submit_refuses_over_500(threads, account, jorge):
    from django.core.exceptions import ValidationError

    publication = services.publication_create(
        author=jorge, title="Aviso largo", text="Aviso " * 90, category="salud"
    )
    services.variants_set(publication=publication, variants={account.pk: {"text": ""}}, user=jorge)
    with pytest.raises(services.SubmitRefused) as refused:
        services.publication_submit(publication=publication, user=jorge)
    assert "Threads: el texto mide 540 caracteres" in " ".join(refused.value.messages)
    assert isinstance(refused.value, ValidationError)  # forms and the API show it as such
    publication.refresh_from_db()
    assert publication.status == "borrador"  # never reached review


def test_a_token_near_its_end_is_renewed_and_stored_by_the_engine_and_the_daily_check(
    threads, account, publish
):
    from pregon.publishing import token_health

    threads.add_user("9001", "chapultepec.gob", token="old-token", age_days=40)
    old = {"access_token": "old-token", "expires_at": int(time.time()) + 20 * DAYS}
    ChannelAccount.objects.filter(pk=account.pk).update(credentials=json.dumps(old))
    publication = publish(image=False)
    assert engine.publish_due()["publicada"] == 1
    stored = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
    assert stored["access_token"] != "old-token" and threads.refreshes == 1
    assert stored["expires_at"] > time.time() + 59 * DAYS
    assert delivery_of(publication).status == D.PUBLICADA
    # Weeks later, with nothing published, the daily check renews it again.
    threads.advance(days=35)
    soon = {**stored, "expires_at": int(time.time()) + 25 * DAYS}
    ChannelAccount.objects.filter(pk=account.pk).update(credentials=json.dumps(soon))
    connectors._channels.clear()
    counts = token_health.check_all()
    assert counts["con_problema"] == 0 and threads.refreshes == 2
    account.refresh_from_db()
    assert account.check_ok and "Threads @chapultepec.gob" in account.check_message
    assert json.loads(account.credentials)["access_token"] != stored["access_token"]
