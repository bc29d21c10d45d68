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
    from pregon.archive.services import asset_public_derivative, verify_archive

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
    from pregon.archive import media
    from pregon.archive.services import asset_public_video

    video = ingest(data / "metadata-extractor" / "with-gps.mp4")
    assert video.original.name in _keys(s3)
    public = asset_public_video(video)
    probe = media.probe_av(public, media.FORMATS["video/mp4"])
    assert probe.gps_lat is None and probe.gps_lon is None
    assert probe.duration == pytest.approx(video.duration, abs=0.05)
    assert (probe.width, probe.height) == (1920, 1080)
