"""Uploaded scans (a publicity notice, a certificate): what the file really is, read from its bytes, not its name."""
from __future__ import annotations

import io
from dataclasses import dataclass

from flask import current_app, has_app_context
from PIL import Image, UnidentifiedImageError

from nominate.core.errors import ValidationFailed

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
SCAN_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


@dataclass(frozen=True)
class Upload:
    """A file as received (page form or API), before it is checked; printed as its name and size (audit rows)."""

    filename: str
    content: bytes

    def __str__(self) -> str:
        return f"{self.filename}（{len(self.content)} 字节）"


def max_upload_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
    return DEFAULT_MAX_BYTES


def scan_type(upload: Upload | None, field: str, label: str) -> str:
    """The MIME type of a scan that is a real PDF, JPEG or PNG within the size limit; otherwise a refusal naming
    ``field``. Images are decoded by Pillow (a renamed or truncated file is refused); a PDF must begin with its
    header and end with its end-of-file marker."""
    if upload is None or not upload.content:
        raise ValidationFailed(f"{field}_missing", f"请上传{label}（PDF、JPG 或 PNG 文件）", field)
    raw, limit = upload.content, max_upload_bytes()
    if len(raw) > limit:
        raise ValidationFailed(f"{field}_too_large", f"{label}不能超过 {limit // 1024 // 1024} MB"
                                                     f"（当前 {len(raw) / 1024 / 1024:.1f} MB）", field)
    if raw.startswith(b"%PDF-"):
        if b"%%EOF" not in raw[-2048:]:
            raise ValidationFailed(f"{field}_unreadable", f"{label}不是完整的 PDF 文件", field)
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(raw)) as img:
            kind = img.format
            if img.width * img.height > 80_000_000:
                raise ValidationFailed(f"{field}_too_many_pixels", f"{label}像素过多（{img.width}×{img.height}）", field)
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        kind = None
    if kind == "JPEG":
        return "image/jpeg"
    if kind == "PNG":
        return "image/png"
    raise ValidationFailed(f"{field}_format", f"{label}须为 PDF、JPG 或 PNG 文件", field)
