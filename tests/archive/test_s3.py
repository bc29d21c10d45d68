"""The archive on an S3-compatible object store (django-storages), against a local
S3 server (moto) on 127.0.0.1: originals and derivatives land in the bucket, the
public copies are made from there, and verify-archive reads the bucket back."""

import pytest

BUCKET = "pregon-archivo"


@pytest.fixture
def s3(s3_bucket, settings, tmp_path):
    client = s3_bucket(BUCKET, querystring_auth=True)
    settings.MEDIA_ROOT = tmp_path / "media"  # only the local cache of public copies
    return client


def _keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_ingest_stores_original_and_derivatives_in_the_bucket(s3, ingest, data):
    from pregon.archive.preservation import verify_archive
    from pregon.archive.public import asset_public_derivative

    photo = ingest(data / "exiftool" / "GPS.jpg")
    keys = _keys(s3)
    original = s3.get_object(Bucket=BUCKET, Key=photo.original.name)["Body"].read()
    assert original == (data / "exiftool" / "GPS.jpg").read_bytes()
    assert photo.thumbnail.name in keys and photo.preview.name in keys

    public = asset_public_derivative(photo)  # read from the bucket, written locally
    assert public.read_bytes()[:3] == b"\xff\xd8\xff"
    assert verify_archive()["verificados"] == 1

    # A flipped byte in the bucket is caught.
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0xFF
    s3.put_object(Bucket=BUCKET, Key=photo.original.name, Body=bytes(damaged))
    report = verify_archive()
    assert report["alterados"] == [{"id": photo.pk, "name": photo.original_name}]


def test_public_video_copy_from_the_bucket_has_no_gps(s3, ingest, data):
    from pregon.archive.media import audiovisual, sniffing
    from pregon.archive.public import asset_public_video

    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    assert video.original.name in _keys(s3)
    public = asset_public_video(video)
    probe = audiovisual.probe_av(public, sniffing.FORMATS["video/mp4"])
    assert probe.gps_lat is None and probe.gps_lon is None
    assert probe.duration == pytest.approx(video.duration, abs=0.05)
    assert (probe.width, probe.height) == (1920, 1080)


def test_public_copies_are_stored_in_the_bucket_once_and_shared(s3, ingest, data, settings):
    """A public copy is made once, kept in the bucket under its content-addressed
    name, and another server (an empty local cache) takes it from there instead of
    making it again."""
    import shutil

    from pregon.archive.public import asset_public_derivative

    photo = ingest(data / "exiftool" / "GPS.jpg")
    first = asset_public_derivative(photo)
    key = f"archivo/publico/{first.name}"
    assert key in _keys(s3)
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == first.read_bytes()

    assert asset_public_derivative(photo) == first  # same inputs, same name
    shutil.rmtree(settings.MEDIA_ROOT)  # another server: nothing cached locally
    # The preview it was made from is gone: only the stored copy can answer.
    s3.delete_object(Bucket=BUCKET, Key=photo.preview.name)
    again = asset_public_derivative(photo)
    assert again.name == first.name and again.read_bytes() == stored_bytes(s3, key)
    assert s3.head_object(Bucket=BUCKET, Key=key)["LastModified"] == stored["LastModified"]
    assert not [p for p in again.parent.iterdir() if p.name.startswith(".")]


def test_public_video_and_subtitles_land_in_the_bucket(s3, ingest, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pregon.archive.public import asset_public_captions, asset_public_video
    from pregon.archive.services import asset_set_captions

    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    srt = "1\n00:00:00,000 --> 00:00:01,000\nHola, Chapultepec.\n"
    upload = SimpleUploadedFile("es.srt", srt.encode())
    asset_set_captions(asset=video, upload=upload, user=None)
    copy = asset_public_video(video)
    vtt, sub = asset_public_captions(video)
    keys = _keys(s3)
    for local in (copy, vtt, sub):
        assert f"archivo/publico/{local.name}" in keys
        assert stored_bytes(s3, f"archivo/publico/{local.name}") == local.read_bytes()
    assert b"Hola, Chapultepec." in sub.read_bytes()


def stored_bytes(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
