"""The recording of an ended broadcast (`Channel.live_recording`): where the network
offers the file (Recording.download_url), it is downloaded — size-limited as any video
upload, checked complete against Content-Length — and taken into the archive through
its ingest service (content-checked), as a video of the session's activity with the
acta's data (session type and number, date, area, title) in its searchable text.
Elsewhere the watch link and duration are kept.
"""

import tempfile
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pregon.archive import search
from pregon.archive import services as archive
from pregon.archive.models import Asset
from pregon.bulletins.broadcasts import as_broadcast
from pregon.bulletins.models import BroadcastState, LiveTransmission, ScheduledBroadcast
from pregon.core import uploads
from pregon.core.audit import log_action
from pregon.publishing import connectors
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.channels.live import Recording

CHUNK = 1024 * 1024


class RecordingError(Exception):
    """The recording could not be kept (Spanish); permanent ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def record(broadcast_id: int) -> str:
    """Keep the recording of an ended broadcast; "" while the network has none yet.
    Safe to run twice: a broadcast with its recording is left alone."""
    broadcast = ScheduledBroadcast.objects.select_related("activity__area", "account").get(
        pk=broadcast_id
    )
    if broadcast.recorded_at or broadcast.state != BroadcastState.TERMINADA:
        return broadcast.recording_url or str(broadcast.recording_asset_id or "")
    channel, _ = connectors.connect(broadcast.account)
    try:
        recording = channel.live_recording(as_broadcast(broadcast))
        if recording is None:
            return ""  # still processing: the periodic job asks again
        asset = _archived(broadcast, recording) if recording.download_url else None
    except (ChannelError, RecordingError) as exc:
        ScheduledBroadcast.objects.filter(pk=broadcast.pk).update(error=exc.message[:1000])
        return ""
    _keep(broadcast, recording, asset)
    return recording.watch_url or str(getattr(asset, "pk", ""))


def _keep(broadcast: ScheduledBroadcast, recording: Recording, asset: Asset | None) -> None:
    with transaction.atomic():
        broadcast.recording_asset = asset
        broadcast.recording_url = recording.watch_url[:500]
        broadcast.duration_seconds = recording.duration_seconds or getattr(asset, "duration", None)
        broadcast.recorded_at, broadcast.error = timezone.now(), ""
        broadcast.save()
        _offer_to_transmission(broadcast)
        log_action(
            broadcast,
            "bulletins.broadcast_recorded",
            data={"asset": getattr(asset, "pk", None), "url": broadcast.recording_url},
        )


def _offer_to_transmission(broadcast: ScheduledBroadcast) -> None:
    """The announcements' record (and the press room's list of recordings) gets the
    recording too, unless someone already gave it one."""
    transmission = LiveTransmission.objects.filter(activity=broadcast.activity).first()
    if transmission is None or transmission.recording_asset_id or transmission.recording_url:
        return
    transmission.session_name = transmission.session_name or broadcast.title[:300]
    transmission.recording_asset = broadcast.recording_asset
    transmission.recording_url = broadcast.recording_url
    transmission.save()


def _archived(broadcast: ScheduledBroadcast, recording: Recording) -> Asset:
    activity = broadcast.activity
    name = f"transmision-{activity.starts_at:%Y-%m-%d}-{broadcast.pk}.mp4"
    with tempfile.TemporaryDirectory(prefix="pregon-grabacion-") as folder:
        path = Path(folder) / name
        _download(recording.download_url, path, name)
        try:
            asset = archive.asset_ingest(
                file_path_or_uploaded_file=path,
                original_name=name,
                activity=activity,
                area=activity.area,
            )
        except archive.IngestError as exc:
            if exc.existing is None:
                raise RecordingError(f"El archivo no aceptó la grabación: {exc.message}") from exc
            asset = exc.existing  # downloaded before (a rerun): the same file
    return _describe(asset, broadcast)


def _download(url: str, path: Path, name: str) -> None:
    """Stream the file to `path`: refused past the video limit (by Content-Length
    before reading, and by the bytes received), and refused when cut short."""
    limit = uploads.max_bytes("video")
    timeout = httpx.Timeout(float(settings.PREGON_CHANNEL_TIMEOUT), connect=5.0)
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise RecordingError(
                    f"La red no entregó la grabación (HTTP {response.status_code}); "
                    "se intentará de nuevo."
                )
            declared = int(response.headers.get("content-length") or 0)
            if declared > limit:
                raise RecordingError(uploads.too_large_message("video", name), permanent=True)
            received = _write(response, path, limit, name)
    except httpx.HTTPError as exc:
        raise RecordingError(
            f"No se pudo descargar la grabación ({type(exc).__name__}); se intentará de nuevo."
        ) from exc
    if declared and received != declared:
        raise RecordingError(
            f"La grabación llegó incompleta ({received} de {declared} bytes); "
            "se intentará de nuevo."
        )


def _write(response: httpx.Response, path: Path, limit: int, name: str) -> int:
    received = 0
    with open(path, "wb") as out:
        for chunk in response.iter_bytes(CHUNK):
            received += len(chunk)
            if received > limit:
                raise RecordingError(uploads.too_large_message("video", name), permanent=True)
            out.write(chunk)
    return received


def _describe(asset: Asset, broadcast: ScheduledBroadcast) -> Asset:
    """The acta's data on the video, in the fields the archive search reads."""
    activity = broadcast.activity
    when = timezone.localtime(activity.starts_at)
    asset.title = broadcast.title[:300]
    asset.caption = (
        f"{broadcast.session_label}. {activity.title}. {activity.area.name}, "
        f"{when:%d/%m/%Y %H:%M} h. Grabación de la transmisión en vivo ({broadcast.account.name})."
    )
    words = [broadcast.session_label, "transmisión en vivo", activity.get_type_display()]
    if broadcast.session_number:
        words.append(f"sesión {broadcast.session_number}")
    asset.keywords = list(dict.fromkeys([*asset.keywords, *words]))
    asset.captured_at = activity.starts_at  # the session's date, not the file's
    asset.credit = asset.credit or broadcast.account.name[:200]
    with transaction.atomic():
        asset.save()
        search.index_asset(asset)
    return asset
