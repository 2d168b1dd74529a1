"""The preview of a template: rendered with the form's sample data, converted by LibreOffice (macros
off, see ``core.pdf``) and cut into PNG pages (poppler's ``pdftoppm``) the browser shows."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import OrderedDict
from pathlib import Path

from form_templates import TEMPLATE_FILES, render_docx, sample_contexts
from nominate.core.pdf import PdfUnavailable, to_pdf

_CACHE: OrderedDict[tuple[str, str], list[bytes]] = OrderedDict()
_CACHE_SIZE = 16
RESOLUTION_DPI = 72


def sample_document(form: str, data: bytes) -> bytes:
    """The template filled with the form's sample data (sandboxed, as every rendering)."""
    return render_docx(data, sample_contexts.SAMPLES[form]())


def pdf_pages(pdf: bytes) -> list[bytes]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfUnavailable("服务器未安装 poppler-utils（pdftoppm），无法显示预览页面。")
    with tempfile.TemporaryDirectory(prefix="nominate-preview-") as tmp:
        source = Path(tmp) / "preview.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run([exe, "-png", "-r", str(RESOLUTION_DPI), str(source), str(Path(tmp) / "page")],
                           check=True, capture_output=True, timeout=120)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise PdfUnavailable("预览页面生成失败，请下载 Word 版本查看。") from None
        return [p.read_bytes() for p in sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))]


def preview_pages(form: str, data: bytes, sha256: str) -> list[bytes]:
    """PNG pages of the template's sample document, kept for the last few templates (by content hash)."""
    if form not in TEMPLATE_FILES:
        raise KeyError(form)
    key = (form, sha256)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    pages = pdf_pages(to_pdf(sample_document(form, data), "preview.docx"))
    _CACHE[key] = pages
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return pages
