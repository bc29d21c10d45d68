import datetime as dt
import struct
import zlib

import pytest
import pyvips
from PIL import Image

from pregon.archive.models import Asset
from pregon.archive.public import asset_public_derivative
from pregon.archive.services import IngestError, near_duplicates


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "archivo"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_photo_with_exif_gps_and_iptc(ingest, data, settings):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    assert asset.kind == "foto" and asset.mime_type == "image/jpeg"
    assert asset.camera == "FUJIFILM FinePixS1Pro"
    assert asset.gps_lat == pytest.approx(54.989667, abs=1e-5)
    assert asset.gps_lon == pytest.approx(-1.914167, abs=1e-5)  # West is negative
    assert asset.credit == "Ian Britton" and "Communications" in asset.keywords
    assert asset.captured_at.year == 2002
    assert len(asset.sha256) == 64 and asset.size == (data / "exiftool" / "GPS.jpg").stat().st_size
    # The original is stored byte for byte.
    assert asset.original.read() == (data / "exiftool" / "GPS.jpg").read_bytes()


def test_iptc_caption_credit_keywords_place(ingest, data):
    asset = ingest(data / "exiftool" / "IPTC.jpg")
    assert asset.title == "Test IPTC picture"
    assert asset.caption == "A witty caption"
    assert asset.credit == "My Credit"
    assert asset.keywords == ["ExifTool", "Test", "IPTC"]
    assert "Kingston" in asset.place


def test_heic_is_accepted_with_gps_and_offset_date(ingest, data):
    asset = ingest(data / "exif-samples" / "IMG_5195.HEIC")
    assert asset.mime_type == "image/heic"
    assert asset.camera == "Apple iPhone 11 Pro Max"
    assert asset.gps_lon < 0 and asset.gps_lat == pytest.approx(39.0513, abs=1e-3)
    assert asset.captured_at.utcoffset() == dt.timedelta(hours=-5)
    assert (asset.width, asset.height) == (2566, 3313)
    # Upright previews of the portrait photo: 1440 px and 400 px on the long side.
    assert Image.open(asset.preview.path).size == (1115, 1440)
    assert Image.open(asset.thumbnail.path).size == (310, 400)


def test_derivatives_carry_no_gps_and_are_small(ingest, data):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    for f in (asset.preview, asset.thumbnail):
        img = pyvips.Image.new_from_file(f.path)
        assert "exif-data" not in img.get_fields()
        assert max(img.width, img.height) <= 1440
    asset.caption, asset.credit = "Inauguración del pozo & <red>", "Foto: Lucía Pérez"
    asset.alt_text = "Tres personas cortan un listón frente al pozo"
    public = asset_public_derivative(asset)
    image = pyvips.Image.new_from_file(str(public))
    assert "exif-data" not in image.get_fields()
    # The edited caption, credit and alt text are read back from the exported copy's
    # XMP by Exiv2 (and by ExifTool where it is installed, see test_exiftool_oracle).
    from pregon.archive import metadata

    tags = metadata.read_photo_tags(public)
    assert tags.caption == "Inauguración del pozo & <red>"
    assert tags.credit == "Foto: Lucía Pérez" and tags.gps_lat is None
    assert tags.keywords == asset.keywords
    assert "Tres personas cortan un listón" in public.read_bytes().decode("utf-8", "ignore")


def test_public_derivative_blocked_for_minors_without_consent(ingest, data):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    asset.contains_minors = True
    with pytest.raises(IngestError, match="menores"):
        asset_public_derivative(asset)


def test_real_camera_files_date_camera_gps_orientation(ingest, shared):
    nikon = ingest(shared / "exif-samples/jpg/gps/DSCN0010.jpg")
    assert nikon.camera == "NIKON COOLPIX P6000"
    assert (nikon.gps_lat, nikon.gps_lon) == pytest.approx((43.467448, 11.885127), abs=1e-5)
    assert nikon.captured_at.replace(tzinfo=None) == dt.datetime(2008, 10, 22, 16, 28, 39)
    nokia = ingest(shared / "exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg")
    assert nokia.captured_at.utcoffset() == dt.timedelta(hours=3)
    # Orientation 6: stored 450×600 portrait pixels, shown landscape.
    rotated = ingest(shared / "exif-samples/jpg/orientation/landscape_6.jpg")
    assert rotated.orientation == 6 and (rotated.width, rotated.height) == (600, 450)
    preview = Image.open(rotated.preview.path)
    assert preview.width > preview.height
    heic = ingest(shared / "exif-samples/heic/mobile/iphone_13_pro_max.HEIC")
    assert (heic.width, heic.height) == (3024, 4032)


def test_video_gets_duration_codecs_and_poster(ingest, data):
    asset = ingest(data / "metadata-extractor" / "with-gps.mp4")
    assert asset.kind == "video" and asset.duration == pytest.approx(0.17, abs=0.05)
    assert "h264" in asset.codecs and (asset.width, asset.height) == (1920, 1080)
    assert asset.gps_lat == pytest.approx(51.4169, abs=1e-3)
    assert Image.open(asset.preview.path).size == (1440, 810)  # the poster frame


def test_video_generated_with_pyav_has_poster(ingest, tmp_path):
    import av

    path = tmp_path / "clip.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(30):
            frame = av.VideoFrame.from_image(Image.new("RGB", (320, 240), (i * 8, 60, 200)))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    asset = ingest(path)
    assert asset.duration == pytest.approx(3.0, abs=0.2)
    # The poster is the first frame, not upscaled: blue with almost no red.
    with Image.open(asset.preview.path) as poster:
        assert poster.size == (320, 240)
        red, green, blue = poster.getpixel((160, 120))
        assert red < 40 and blue > 180
    assert len(asset.phash) == 16


def test_audio_and_quicktime_read_duration(ingest, data, tmp_path):
    import wave

    mov = ingest(data / "exiftool" / "QuickTime.mov")
    assert mov.kind == "video" and mov.captured_at.year == 2005
    # The movie header says 4.97 s (as ExifTool reports); the stripped sample keeps
    # only 0.43 s of frames, which is what a decoder would have guessed.
    assert mov.duration == pytest.approx(4.967, abs=0.01) and "mjpeg" in mov.codecs
    wav = ingest(data / "exiftool" / "RIFF.wav")  # metadata sample: no sound to time
    assert wav.kind == "audio" and wav.mime_type == "audio/wav"
    # A real recording: 1.5 s of silence at 8 kHz, written with the standard library.
    path = tmp_path / "entrevista.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 12000)
    recording = ingest(path)
    assert recording.kind == "audio" and recording.duration == pytest.approx(1.5, abs=0.01)


def _truncated_jpeg(tmp_path):
    full = pyvips.Image.gaussnoise(800, 600).cast("uchar").jpegsave_buffer()
    path = tmp_path / "cortada.jpg"
    path.write_bytes(full[: len(full) // 2])
    return path


def _png_bomb(tmp_path):
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" * 60001 * 4)
    path = tmp_path / "bomba.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda t: (t / "vacio.jpg", b""), "vacío"),
        (lambda t: (t / "nota.jpg", b"%PDF-1.4 hola"), "PDF pero el nombre termina en .jpg"),
        (lambda t: (t / "raro.jpg", b"esto no es una imagen"), "Formato no reconocido"),
    ],
)
def test_bad_bytes_rejected_with_reason(ingest, tmp_path, settings, make, reason):
    path, content = make(tmp_path)
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        ingest(path)
    assert Asset.objects.count() == 0 and stored_files(settings) == []


def test_truncated_and_bomb_rejected_nothing_stored(ingest, tmp_path, data, settings):
    with pytest.raises(IngestError, match="truncada"):
        ingest(_truncated_jpeg(tmp_path))
    with pytest.raises(IngestError, match="bomba de descompresión"):
        ingest(_png_bomb(tmp_path))
    with pytest.raises(IngestError, match="HEIC"):
        ingest(data / "exiftool" / "QuickTime.heic")  # a container with no image data
    assert Asset.objects.count() == 0 and stored_files(settings) == []


def test_real_broken_jpeg_rejected(ingest, shared):
    with pytest.raises(IngestError, match="truncada"):
        ingest(shared / "exif-samples/jpg/corrupted.jpg")


def test_exact_duplicate_refused_pointing_at_existing(ingest, data, tmp_path):
    first = ingest(data / "exiftool" / "GPS.jpg")
    copy = tmp_path / "otra-copia.jpg"
    copy.write_bytes((data / "exiftool" / "GPS.jpg").read_bytes())
    with pytest.raises(IngestError, match="Duplicado exacto") as exc:
        ingest(copy)
    assert exc.value.existing == first


def test_near_duplicates_by_perceptual_hash(ingest, tmp_path):
    base = pyvips.Image.xyz(640, 480)[0].cast("uchar")
    a, b, c = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"
    base.jpegsave(str(a), Q=90)
    base.jpegsave(str(b), Q=40)  # same picture, other bytes
    base.flip("horizontal").jpegsave(str(c), Q=90)
    one, two, three = ingest(a), ingest(b), ingest(c)
    assert two in near_duplicates(one)
    assert three not in near_duplicates(one)


def test_uploaded_file_object_is_accepted(db, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pregon.archive.services import asset_ingest

    upload = SimpleUploadedFile("foto.jpg", (data / "exiftool" / "IPTC.jpg").read_bytes())
    asset = asset_ingest(file_path_or_uploaded_file=upload, original_name="foto.jpg")
    assert asset.original_name == "foto.jpg" and asset.keywords


def test_large_rotated_jpeg_uses_shrink_on_load_preview(tmp_path):
    """24-MP photo on its side: one shrink-on-load decode, upright ≈1440-px preview."""
    import pyvips

    from pregon.archive.media import images, sniffing

    xyz = pyvips.Image.xyz(6000, 4000)
    grey = (xyz[0] % 256).cast("uchar")
    img = grey.bandjoin([(xyz[1] % 256).cast("uchar"), grey]).copy(interpretation="srgb")
    img.set_type(pyvips.GValue.gint_type, "orientation", 6)
    path = tmp_path / "lado.jpg"
    img.jpegsave(str(path))
    probe = images.probe_image(path, sniffing.sniff(path.read_bytes()[:64]), 100_000_000)
    preview = pyvips.Image.new_from_buffer(probe.preview_jpeg, "")
    thumb = pyvips.Image.new_from_buffer(probe.thumb_jpeg, "")
    assert (probe.width, probe.height) == (4000, 6000)
    assert (preview.width, preview.height) == (1000, 1500)  # 6000 / 4, upright
    assert (thumb.width, thumb.height) == (267, 400)
    assert "exif-data" not in preview.get_fields() and len(probe.phash) == 16
