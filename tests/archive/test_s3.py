"""The archive on an S3-compatible object store (django-storages), against a local
S3 server (moto) on 127.0.0.1: originals and derivatives land in the bucket, the
public copies are made from there, and verify-archive reads the bucket back."""

import pytest

moto_server = pytest.importorskip("moto.server", reason="moto[server] (dev) no está instalado")
boto3 = pytest.importorskip("boto3")

BUCKET = "pregon-archivo"


@pytest.fixture
def s3(settings, tmp_path):
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="pregon",
        aws_secret_access_key="pregon-secreto",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "pregon",
                "secret_key": "pregon-secreto",
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"  # only the local cache of public copies
    yield client
    server.stop()


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
