"""Photo uploads: content sniffed and decoded (never the file name), re-encoded, 二寸 proportions, size limits."""
import io
import struct
import zlib

import pytest
from PIL import Image

from nominate.nominations.models import NominationPhoto


def image_bytes(size=(350, 490), fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(buf, fmt)
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb is refused before decoding)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")


@pytest.fixture()
def upload(login, f):
    nom = f.individual()
    client = login(f.city())

    def send(raw: bytes, name="photo.jpg"):
        return client.post(f"/nominations/{nom.id}/photo", data={"photo": (io.BytesIO(raw), name)},
                           content_type="multipart/form-data", headers={"Referer": f"/nominations/{nom.id}"},
                           follow_redirects=True)
    send.nom = nom
    return send


def stored(db, nom):
    return db.session.scalar(db.select(NominationPhoto).filter_by(nomination_id=nom.id))


def test_png_named_jpg_is_decoded_and_stored_as_a_fresh_jpeg(upload, db):
    r = upload(image_bytes(fmt="PNG"), "../../etc/passwd.jpg")  # the name is never used as a path
    assert r.status_code == 200 and "证件照已上传" in r.get_data(as_text=True)
    photo = stored(db, upload.nom)
    assert photo.mime == "image/jpeg" and photo.content.startswith(b"\xff\xd8") and (photo.width, photo.height) == (350, 490)


@pytest.mark.parametrize("raw,message", [
    (b"GIF89a not really a photo" * 10, "无法识别的图片文件"),
    ("这不是图片，只是改了扩展名".encode() * 20, "无法识别的图片文件"),
    (png_claiming(12000, 12000), "照片像素过多"),
    (png_claiming(60000, 60000), "无法识别的图片文件"),  # beyond Pillow's own bomb limit
    (image_bytes((200, 280)), "照片分辨率过低"),
    (image_bytes((490, 490)), "二寸证件照比例"),
    (image_bytes((350, 490), "GIF"), "JPEG 或 PNG"),
], ids=["gif-junk", "text-named-jpg", "bomb-144mpx", "bomb-3600mpx", "too-small", "wrong-ratio", "real-gif"])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_hostile_or_unfit_files_are_refused_with_a_reason(upload, db, raw, message):
    r = upload(raw)
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert stored(db, upload.nom) is None


def test_upload_over_the_photo_limit_is_refused_clearly(app, upload, db):
    app.config["UPLOAD_MAX_BYTES"], saved = 100_000, app.config["UPLOAD_MAX_BYTES"]
    try:
        r = upload(image_bytes() + b"\0" * 120_000)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = saved
    assert "照片文件不能超过" in r.get_data(as_text=True) and stored(db, upload.nom) is None


def test_request_over_the_body_limit_is_413_never_500(app, login, f):
    nom = f.individual()
    client = login(f.city())
    app.config["MAX_CONTENT_LENGTH"], saved = 1024 * 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        r = client.post(f"/nominations/{nom.id}/photo", data={"photo": (io.BytesIO(b"\0" * (2 * 1024 * 1024)), "a.jpg")},
                        content_type="multipart/form-data")
        assert r.status_code == 413 and "上传内容过大" in r.get_data(as_text=True)
        r = client.post("/api/v1/nominations", data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                        headers={"Content-Type": "application/json", "Authorization": f"Bearer {f.token(f.city())}"})
        assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
