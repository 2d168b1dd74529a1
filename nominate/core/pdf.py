"""DOCX → PDF through LibreOffice, when it is installed (``apt-get install libreoffice-writer fonts-noto-cjk``)."""
from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from nominate.core.errors import DomainError

#: the files LibreOffice reads and writes here (documents.rendering names them for its downloads too)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"

TIMEOUT_SECONDS = 120


class PdfUnavailable(DomainError):
    """The server cannot make PDFs (LibreOffice missing or failing): the Word file still works."""

    status = 503

    def __init__(self, message: str = "服务器未安装 LibreOffice，暂不能生成 PDF；请下载 Word 版本后打印。"):
        super().__init__("pdf_unavailable", message)


@functools.lru_cache(maxsize=1)
def soffice() -> str | None:
    """Path of LibreOffice's ``soffice``, or None when it is not installed (the PATH is scanned once per
    process, not on every document link)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


#: the fresh profile's settings: macros never run (security level "very high", execution disabled)
_NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def _macros_off(profile: Path) -> None:
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_NO_MACROS, encoding="utf-8")


def to_pdf(data: bytes, name: str = "document.docx", timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert one DOCX/XLSX (bytes) to PDF bytes.

    Each conversion gets a fresh ``-env:UserInstallation`` profile: LibreOffice allows one process
    per profile, so concurrent requests sharing one would wait on each other or fail.
    """
    exe = soffice()
    if exe is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="nominate-pdf-") as tmp:
        work = Path(tmp)
        source = work / ("input" + Path(name).suffix)
        source.write_bytes(data)
        _macros_off(work / "profile")
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("PDF 转换超时，请稍后重试或下载 Word 版本。") from None
        except subprocess.CalledProcessError:
            raise PdfUnavailable("PDF 转换失败，请下载 Word 版本。") from None
        pdf = work / "input.pdf"
        if not pdf.exists():
            raise PdfUnavailable("PDF 转换失败，请下载 Word 版本。")
        return pdf.read_bytes()
