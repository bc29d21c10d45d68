"""Video and audio (PyAV): duration, codecs, tags, a poster frame, and the public
MP4 copy without metadata."""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PIL import Image

from pregon.archive.media.images import image_to_derivatives
from pregon.archive.media.probe import MediaError, Probe
from pregon.archive.media.sniffing import Format

if TYPE_CHECKING:
    from av.container import InputContainer
    from av.stream import Stream
    from av.video.stream import VideoStream


def probe_av(path: Path, fmt: Format) -> Probe:
    import av  # noqa: PLC0415 - PyAV (~20 MB) loads for a video, not in every web worker

    probe = Probe()
    try:
        container = av.open(str(path))
    except Exception as exc:
        raise MediaError(
            f"No se pudo abrir el {fmt.label}: no contiene audio ni video reconocible."
        ) from exc
    with container:
        streams = [s for s in container.streams if s.type in ("video", "audio")]
        if not streams:
            raise MediaError(f"El {fmt.label} no contiene pistas de audio ni de video.")
        probe.codecs = ", ".join(
            dict.fromkeys(s.codec_context.name for s in streams if s.codec_context)
        )
        declared = container_duration(path, fmt)
        probe.duration = declared if declared is not None else _duration(container, streams)
        meta = {k.lower(): v for k, v in (container.metadata or {}).items()}
        probe.title = meta.get("title", "")
        probe.credit = meta.get("artist", "") or meta.get("author", "")
        probe.captured_at = _iso_or_none(meta.get("creation_time") or meta.get("date"))
        _iso6709(probe, meta.get("location") or meta.get("com.apple.quicktime.location.iso6709"))
        video = next((s for s in container.streams.video if not _is_cover(s)), None)
        if video is not None:
            probe.width, probe.height = video.codec_context.width, video.codec_context.height
        poster = _poster(container, video)
    if poster is not None:
        image_to_derivatives(poster, probe)
    elif fmt.kind == "video":
        probe.warnings.append("No se pudo extraer un cuadro del video para la portada.")
    return probe


BMFF_MIMES = ("video/mp4", "video/quicktime", "audio/mp4")


def container_duration(path: Path, fmt: Format) -> float | None:
    """The duration the container declares (what ExifTool reports): the movie header
    of MP4/MOV/M4A, the data size of WAV. Decoders' stream estimates can be far off
    (an M4A read as 10.33 s that lasts 29.05 s)."""
    try:
        if fmt.mime in BMFF_MIMES:
            return _mvhd_duration(path)
        if fmt.mime == "audio/wav":
            return _wav_duration(path)
    except (OSError, IndexError, struct.error):
        return None
    return None


def _wav_duration(path: Path) -> float | None:
    """Size of the data chunk over the format's byte rate, as the RIFF header says."""
    byte_rate = data_size = None
    with open(path, "rb") as fh:
        if fh.read(12)[8:12] != b"WAVE":
            return None
        while (header := fh.read(8)) and len(header) == 8:
            kind, size = header[:4], struct.unpack("<I", header[4:])[0]
            if kind == b"fmt ":
                byte_rate = struct.unpack("<I", fh.read(size)[8:12])[0]
                fh.seek(size % 2, 1)
            elif kind == b"data":
                data_size = size
                break
            else:
                fh.seek(size + size % 2, 1)
    return round(data_size / byte_rate, 3) if byte_rate and data_size is not None else None


def _boxes(fh: BinaryIO, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the ISO-BMFF boxes between here and end."""
    while fh.tell() + 8 <= end:
        start = fh.tell()
        size, kind = struct.unpack(">I4s", fh.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", fh.read(8))[0], 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, start + header, start + size
        fh.seek(start + size)


def _mvhd_duration(path: Path) -> float | None:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        total = fh.tell()
        fh.seek(0)
        for kind, start, end in list(_boxes(fh, total)):
            if kind != b"moov":
                continue
            fh.seek(start)
            for inner, body, _ in _boxes(fh, end):
                if inner == b"mvhd":
                    fh.seek(body)
                    return _read_mvhd(fh.read(32))
    return None


def _read_mvhd(head: bytes) -> float | None:
    if head[0] == 1:  # version 1: 64-bit times
        scale, length = struct.unpack(">IQ", head[20:32])
    else:
        scale, length = struct.unpack(">II", head[12:20])
    if not scale or length in (0, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
        return None
    return round(length / scale, 3)


def _is_cover(stream: Stream) -> bool:
    return bool(stream.disposition & 0x400) if hasattr(stream, "disposition") else False


def _duration(container: InputContainer, streams: Sequence[Stream]) -> float | None:
    if container.duration:
        return round(container.duration / 1_000_000, 3)
    best = [float(s.duration * s.time_base) for s in streams if s.duration and s.time_base]
    return round(max(best), 3) if best else None


def _poster(container: InputContainer, video: VideoStream | None) -> Image.Image | None:
    """First decodable frame (one second in when the clip is long enough)."""
    if video is None:
        return None
    try:
        if container.duration and container.duration > 2_000_000:
            container.seek(1_000_000)
        for frame in container.decode(video):
            return frame.to_image()
    except Exception:
        return None
    return None


def _iso_or_none(value: object) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.year < 1990:  # QuickTime "zero" dates (1904/1970) mean "unknown"
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _iso6709(probe: Probe, value: object) -> None:
    match = re.match(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)", str(value or ""))
    if match:
        probe.gps_lat, probe.gps_lon = float(match.group(1)), float(match.group(2))


MP4_AUDIO = {"aac", "mp3", "ac3", "eac3", "alac", "opus", "flac"}


def remux_public_video(source: Path, target: Path) -> None:
    """Copy the audio and video streams into a fresh MP4 without any metadata
    (no GPS, camera or author tags), moov atom first so it plays while it loads.
    The picture is never re-encoded; sound that MP4 cannot carry (the PCM many
    cameras record) is converted to AAC. MediaError (Spanish) if the video's codec
    does not fit in MP4."""
    import av  # noqa: PLC0415 - PyAV (~20 MB) loads for a video, not in every web worker
    from av.audio.frame import AudioFrame  # noqa: PLC0415 - as above
    from av.audio.stream import AudioStream  # noqa: PLC0415 - as above

    try:
        with (
            av.open(str(source)) as inp,
            av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out,
        ):
            copied, encoded = {}, {}
            for stream in inp.streams:
                if stream.type not in ("video", "audio") or _is_cover(stream):
                    continue
                if isinstance(stream, AudioStream) and stream.codec_context.name not in MP4_AUDIO:
                    encoded[stream.index] = out.add_stream("aac", rate=stream.rate or 48000)
                else:
                    copied[stream.index] = out.add_stream_from_template(stream)
                    copied[stream.index].metadata.clear()
            if not copied and not encoded:
                raise MediaError("El video no tiene pistas de audio ni de video.")
            wanted = [inp.streams[i] for i in (*copied, *encoded)]
            for packet in inp.demux(wanted):
                index = packet.stream.index
                if index in encoded:
                    for frame in packet.decode():  # an empty flush packet decodes nothing
                        if isinstance(frame, AudioFrame):  # always: an audio stream's packet
                            out.mux(encoded[index].encode(frame))
                    continue
                if packet.dts is None:
                    continue
                packet.stream = copied[index]
                out.mux(packet)
            for stream in encoded.values():
                out.mux(stream.encode(None))
    except MediaError:
        target.unlink(missing_ok=True)
        raise
    except Exception as exc:
        target.unlink(missing_ok=True)
        raise MediaError(
            "No se pudo preparar la copia pública del video (sus códecs no caben en MP4); "
            "conviértalo a H.264/AAC y vuelva a subirlo."
        ) from exc
