"""Video subtitles in the archive: SRT and WebVTT read by content, broken files
refused with the line, kept as WebVTT; the public copy of a video carries no GPS."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.archive import captions
from pregon.archive.media import audiovisual, sniffing
from pregon.archive.public import asset_public_captions, asset_public_video
from pregon.archive.services import IngestError, asset_set_captions

SRT = (
    "1\r\n00:00:00,000 --> 00:00:01,500\r\nBuenos días, Chapultepec.\r\n\r\n"
    "2\r\n00:00:01,600 --> 00:00:03,000\r\nInauguramos la calle Hidalgo.\r\n"
)
VTT = (
    "WEBVTT - sesión de cabildo\n\nNOTE revisado por Comunicación Social\n\n"
    "intro\n00:01.000 --> 00:02.250 align:start\nSe abre la sesión.\n"
)


def test_srt_and_webvtt_give_the_same_cues_in_both_formats():
    cues = captions.parse(SRT.encode("utf-8"))
    assert [(c.start, c.end) for c in cues] == [(0.0, 1.5), (1.6, 3.0)]
    assert cues[1].text == "Inauguramos la calle Hidalgo."
    vtt = captions.to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nBuenos días")
    assert captions.parse(vtt.encode()) == cues
    assert captions.parse(captions.to_srt(cues).encode()) == cues
    webvtt = captions.parse(VTT.encode())
    assert webvtt == [captions.Cue(1.0, 2.25, "Se abre la sesión.")]
    # Windows-1252 files from old subtitle editors are read too.
    assert captions.parse(SRT.encode("cp1252"))[0].text == "Buenos días, Chapultepec."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "subs.srt: el archivo está vacío."),
        (b"1\nhola mundo\n", "subs.srt, línea 2: se esperaba una marca de tiempo"),
        (
            b"1\n00:00:05,000 --> 00:00:03,000\nAl rev\xc3\xa9s\n",
            "subs.srt, línea 2: el subtítulo termina (00:00:03,000) antes de empezar",
        ),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "un subtítulo sin texto"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "subs.srt"),
    ],
)
def test_broken_subtitles_are_refused_with_the_line(content, message):
    with pytest.raises(captions.CaptionsError) as refused:
        captions.parse(content, "subs.srt")
    assert message in str(refused.value)


def test_subtitles_attach_to_a_video_and_survive_replacement(ingest, data, mariana):
    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    upload = SimpleUploadedFile("cabildo.srt", SRT.encode(), content_type="text/plain")
    asset_set_captions(asset=video, upload=upload, user=mariana)
    first = video.captions.name
    assert video.captions.read().decode().startswith("WEBVTT")
    sent_first, _ = asset_public_captions(video)
    assert "Buenos días, Chapultepec." in sent_first.read_text()
    with pytest.raises(IngestError, match="línea 2"):
        bad = SimpleUploadedFile("malo.srt", b"1\nsin tiempos\n")
        asset_set_captions(asset=video, upload=bad, user=mariana)
    video.refresh_from_db()
    assert video.captions.name == first  # a refused file changes nothing
    asset_set_captions(
        asset=video, upload=SimpleUploadedFile("nuevo.vtt", VTT.encode()), user=mariana
    )
    assert video.captions.name != first
    assert video.captions.storage.exists(first)  # the earlier file is kept
    vtt, srt = asset_public_captions(video)
    assert "Se abre la sesión." in vtt.read_text() and srt.read_text().startswith("1\n00:00:01,000")
    # What goes to the networks follows the replacement, not the copy made before it.
    assert "Buenos días" not in vtt.read_text() and "Buenos días" not in srt.read_text()


def test_photo_takes_no_subtitles(ingest, data, mariana):
    photo = ingest(data / "exiftool" / "GPS.jpg")
    with pytest.raises(IngestError, match="Solo los videos"):
        asset_set_captions(asset=photo, upload=SimpleUploadedFile("a.srt", SRT.encode()), user=None)


def test_public_video_copy_has_no_gps_and_the_same_picture(ingest, data):
    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    assert video.has_gps
    public = asset_public_video(video)
    probe = audiovisual.probe_av(Path(public), sniffing.FORMATS["video/mp4"])
    assert probe.gps_lat is None and probe.gps_lon is None
    assert "h264" in probe.codecs and (probe.width, probe.height) == (1920, 1080)
    assert probe.duration == pytest.approx(video.duration, abs=0.05)
    assert b"+51.4" not in public.read_bytes()  # the ISO 6709 location string is gone


def test_public_video_refused_with_minors_and_no_consent(ingest, data):
    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    video.contains_minors = True
    with pytest.raises(IngestError, match="menores"):
        asset_public_video(video)


def test_detail_page_uploads_subtitles_and_reports_errors(client, ingest, data, mariana):
    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    client.force_login(mariana)
    page = client.get(f"/archivo/{video.pk}/").content.decode()
    assert "Sin subtítulos ni motivo registrado" in page
    bad = SimpleUploadedFile("malo.srt", b"1\n00:00:09,000 --> 00:00:01,000\nx\n")
    answer = client.post(f"/archivo/{video.pk}/subtitulos/", {"subtitulos": bad}, follow=True)
    assert "malo.srt, línea 2: el subtítulo termina" in answer.content.decode()
    good = SimpleUploadedFile("bien.srt", SRT.encode())
    answer = client.post(f"/archivo/{video.pk}/subtitulos/", {"subtitulos": good}, follow=True)
    assert "Tiene subtítulos en español" in answer.content.decode()
    vtt = client.get(f"/archivo/{video.pk}/subtitulos.vtt")
    assert vtt["Content-Type"].startswith("text/vtt")
    assert b"Inauguramos la calle Hidalgo." in b"".join(vtt.streaming_content)


def test_public_copy_converts_camera_pcm_sound_to_aac(ingest, tmp_path):
    """Many cameras record PCM sound in .MOV, which MP4 cannot carry: the public copy
    keeps the picture as it is and converts the sound."""
    import math
    import struct

    import av
    from PIL import Image

    path = tmp_path / "camara.mov"
    with av.open(str(path), "w", format="mov") as out:
        video = out.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        audio = out.add_stream("pcm_s16le", rate=48000, layout="stereo")
        for i in range(20):
            frame = av.VideoFrame.from_image(Image.new("RGB", (320, 240), (i * 10, 80, 120)))
            out.mux(video.encode(frame))
        tone = [int(math.sin(n / 10) * 8000) for n in range(4800)]
        pcm = struct.pack(f"<{2 * len(tone)}h", *(v for t in tone for v in (t, t)))
        for tenth in range(20):  # 2 s of a tone, packed s16 stereo
            sound = av.AudioFrame(format="s16", layout="stereo", samples=4800)
            sound.planes[0].update(pcm)
            sound.sample_rate, sound.pts = 48000, tenth * 4800
            out.mux(audio.encode(sound))
        out.mux(video.encode(None))
        out.mux(audio.encode(None))
    asset = ingest(path)
    assert "pcm_s16le" in asset.codecs
    public = asset_public_video(asset)
    with av.open(str(public)) as copy:
        codecs = {s.type: s.codec_context.name for s in copy.streams}
        seconds = float(copy.duration / 1_000_000)
    assert codecs == {"video": "mpeg4", "audio": "aac"}
    assert seconds == pytest.approx(2.0, abs=0.2)


def test_consulta_reads_subtitles_but_cannot_change_them(client, ingest, data, mariana, pedro):
    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    asset_set_captions(
        asset=video, upload=SimpleUploadedFile("cabildo.srt", SRT.encode()), user=mariana
    )
    first = video.captions.name
    client.force_login(pedro)  # Consulta
    page = client.get(f"/archivo/{video.pk}/").content.decode()
    assert "Tiene subtítulos en español" in page and "Subir subtítulos" not in page
    assert client.get(f"/archivo/{video.pk}/subtitulos.vtt").status_code == 200
    refused = client.post(
        f"/archivo/{video.pk}/subtitulos/",
        {"subtitulos": SimpleUploadedFile("otro.vtt", VTT.encode())},
    )
    assert refused.status_code == 403
    video.refresh_from_db()
    assert video.captions.name == first
