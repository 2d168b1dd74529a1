"""Official Word templates of the 优质服务窗口/先进个人 campaign and the helpers that fill them.

The ``.docx`` files beside this module are the docxtpl templates themselves: officials edit them in
Word or WPS (``build_templates.py`` only drafted them; it is a tool, not their source).  ``checks``
says whether a template may be used; ``README.md`` lists the context each one expects.  ``render_docx`` is the one way to fill them: it
turns on autoescaping (a ``&`` or ``<`` in a name would otherwise corrupt the document) and turns a
``photo`` given as a path or bytes into the docxtpl ``InlineImage`` the 附件3 template needs.
"""

from __future__ import annotations

import datetime as _dt
import io
import threading
import time
from functools import lru_cache
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent

#: stable key -> file name of the committed template (the names officials see in the bundle)
TEMPLATE_FILES: dict[str, str] = {
    "window_approval": "附件2 优质服务窗口推荐审批表.docx",
    "individual_approval": "附件3 优质服务先进个人推荐审批表.docx",
    "opinion_form": "附件4 优质服务先进个人征求意见表.docx",
    "window_summary": "附件5 优质服务窗口推荐对象汇总表.docx",
    "individual_summary": "附件6 优质服务先进个人推荐对象汇总表.docx",
    "contact_form": "附件7 评选工作联系表.docx",
    "publicity_notice": "公示报样.docx",
    "preliminary_report": "初审推荐工作报告.docx",
    "formal_report": "正式推荐工作报告.docx",
    "main_deeds": "推荐对象基本情况和主要事迹.docx",
    "brief_deeds": "简要事迹.docx",
}

#: the printed ID photo (二寸 35 mm x 49 mm) is scaled to fit this box in the 附件3 photo cell
PHOTO_BOX_MM = (32, 45)

_CN_DIGITS = "〇一二三四五六七八九"


def template_path(key: str) -> Path:
    """Path of the committed template for a key of ``TEMPLATE_FILES``."""
    return TEMPLATE_DIR / TEMPLATE_FILES[key]


def format_date(value: _dt.date | None, year: int | None = None) -> str:
    """``2021年8月20日``; without a date, the blank an official fills by hand: ``2021年  月  日``."""
    if value is not None:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{year if year else '    '}年    月    日"


def _cn_number(n: int) -> str:
    """Month/day in Chinese numerals as written on covers: 八, 十, 十二, 二十, 二十一, 三十一."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[units]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[units] if units else "")


def title_lines(title: str) -> list[str]:
    """A long 公文 title in lines that break between words, not inside them (二号 holds about 20 字 a line
    of the portrait page): after …系统 and after …先进个人, when more than a few 字 follow."""
    import re

    if len(title) <= 20:
        return [title]
    return [part for part in re.split(r"(?<=系统)(?=.{4,})|(?<=先进个人)(?=.{4,})", title) if part]


def format_cn_date(value: _dt.date | None, year: int | None = None) -> str:
    """Cover-page date in Chinese numerals: ``二〇二一年八月二十日`` or blank ``二〇二一年  月  日``."""
    if value is not None:
        y = "".join(_CN_DIGITS[int(c)] for c in str(value.year))
        return f"{y}年{_cn_number(value.month)}月{_cn_number(value.day)}日"
    y = "".join(_CN_DIGITS[int(c)] for c in str(year)) if year else "    "
    return f"{y}年    月    日"


def format_period(start: _dt.date, end: _dt.date) -> str:
    """A publicity period as written on the notice: ``2021年9月1日至9月7日``."""
    if start.year == end.year:
        return f"{format_date(start)}至{end.month}月{end.day}日"
    return f"{format_date(start)}至{format_date(end)}"


def _photo_image(tpl, photo):
    """Wrap a path, bytes or file object in an InlineImage that fits ``PHOTO_BOX_MM``."""
    from docx.shared import Mm
    from docxtpl import InlineImage
    from PIL import Image

    if isinstance(photo, (bytes, bytearray)):
        photo = io.BytesIO(photo)
    if hasattr(photo, "seek"):
        photo.seek(0)
    with Image.open(photo) as img:
        width_px, height_px = img.size
    if hasattr(photo, "seek"):
        photo.seek(0)
    box_w, box_h = PHOTO_BOX_MM
    if width_px * box_h > height_px * box_w:  # wider than the box: width is the limit
        return InlineImage(tpl, photo, width=Mm(box_w))
    return InlineImage(tpl, photo, height=Mm(box_h))


_JINJA_ENV = None


def _jinja_env():
    """One autoescaping, sandboxed Jinja environment whose ``from_string`` keeps the compiled templates.

    Sandboxed (``jinja2.sandbox``) because officials and admins edit the templates: a template reads
    the context it is given and nothing else (``{{ x.__class__ }}`` raises ``SecurityError``).

    docxtpl compiles each XML part of a form on every render, about half of a form's time; the
    prepared XML of a form is the same every time, so its compiled template can be reused."""
    global _JINJA_ENV
    if _JINJA_ENV is None:
        from functools import lru_cache

        from jinja2.sandbox import SandboxedEnvironment

        class CachingEnvironment(SandboxedEnvironment):
            @lru_cache(maxsize=128)
            def _compiled(self, source: str):
                return super().from_string(source)

            def from_string(self, source, globals=None, template_class=None):
                if globals is None and template_class is None and isinstance(source, str):
                    return self._compiled(source)
                return super().from_string(source, globals, template_class)

        _JINJA_ENV = CachingEnvironment(autoescape=True)
    return _JINJA_ENV


def render_docx(key_or_path, context: dict, output=None):
    """Fill a template and return the document as bytes (and write it to ``output`` if given).

    ``key_or_path`` is a key of ``TEMPLATE_FILES``, a path to a template file or the template's bytes
    (a campaign's own version).  The context is not modified; ``photo`` may be None, a path, bytes, a
    file object or an InlineImage.
    """
    from docxtpl import DocxTemplate, InlineImage

    if isinstance(key_or_path, (bytes, bytearray)):
        tpl = _prepared_class()(io.BytesIO(key_or_path))
    else:
        path = template_path(key_or_path) if key_or_path in TEMPLATE_FILES else Path(key_or_path)
        tpl = _prepared_class()(str(path))
    ctx = dict(context)
    photo = ctx.get("photo")
    if photo is not None and not isinstance(photo, InlineImage):
        ctx["photo"] = _photo_image(tpl, photo)
    tpl.render(ctx, _jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    data = buffer.getvalue()
    if output is not None:
        Path(output).write_bytes(data)
    return data


#: docxtpl's preprocessing of a template's XML parts (``patch_xml``: the regular expressions that join the
#: Jinja tags Word splits across runs), kept per process: source XML -> prepared XML.  The key is the
#: part's XML itself, so a changed template (another version, an edited file) is prepared afresh.
PREPARED_CACHE_SIZE = 256
_PREPARED_CLASS = None


def _prepared_class():
    """``DocxTemplate`` whose ``patch_xml`` runs once per distinct XML part in the process.

    ``patch_xml`` is a pure function of its input (a string in, a string out), about a fifth of a
    form's render time; the body of the same template is the same string every time, so its result is
    reused.  ``PREPARE_ONCE = False`` turns the cache off (the tests compare both)."""
    global _PREPARED_CLASS
    if _PREPARED_CLASS is None:
        from docxtpl import DocxTemplate

        @lru_cache(maxsize=PREPARED_CACHE_SIZE)
        def _patched(src_xml: str) -> str:
            return DocxTemplate.patch_xml(None, src_xml)

        class PreparedDocxTemplate(DocxTemplate):
            def patch_xml(self, src_xml):
                if PREPARE_ONCE and isinstance(src_xml, str):
                    return _patched(src_xml)
                return super().patch_xml(src_xml)

            def init_docx(self, reload=True):
                _KEEP.on = PREPARE_ONCE
                try:
                    super().init_docx(reload)
                finally:
                    _KEEP.on = False

            def save(self, filename, *args, **kwargs):
                _KEEP.on = PREPARE_ONCE
                try:
                    super().save(filename, *args, **kwargs)
                finally:
                    _KEEP.on = False

        PreparedDocxTemplate.cache = _patched
        _keep_styles_on_load()
        _keep_deflated_on_save()
        _PREPARED_CLASS = PreparedDocxTemplate
    return _PREPARED_CLASS


#: set (in this thread) while a ``PreparedDocxTemplate`` opens its template or saves the document
_KEEP = threading.local()
#: XML parts of at least this size are deflated once per distinct content (styles.xml, stylesWithEffects.xml)
KEEP_DEFLATED_FROM = 64 * 1024


def _keep_styles_on_load() -> None:
    """While a template is opened for rendering, its ``word/styles.xml`` becomes a part of bytes, not of XML.

    Rendering never reads or changes the styles, yet python-docx parses them on opening (the templates'
    styles.xml is ~350 KB) and writes the tree back on saving: about a third of a form's render time.  The
    bytes written are those python-docx would write (its own serialization of the parsed part), made once per
    distinct styles.xml in the process.  Other uses of python-docx (``build_templates``, the 目录) are untouched:
    the part class is chosen so only inside ``PreparedDocxTemplate.init_docx``."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.oxml import serialize_part_xml
    from docx.opc.part import Part, PartFactory
    from docx.oxml.parser import parse_xml

    @lru_cache(maxsize=32)  # one per distinct styles.xml (~0.7 MB each with its key)
    def written(blob: bytes) -> bytes:
        return serialize_part_xml(parse_xml(blob))

    class KeptStylesPart(Part):
        @classmethod
        def load(cls, partname, content_type, blob, package):
            return cls(partname, content_type, written(blob), package)

    chosen = PartFactory.part_class_selector

    def part_class_selector(content_type, reltype):
        if content_type == CT.WML_STYLES and getattr(_KEEP, "on", False):
            return KeptStylesPart
        return chosen(content_type, reltype) if chosen is not None else None

    PartFactory.part_class_selector = part_class_selector
    KeptStylesPart.cache = written


PREPARE_ONCE = True


def _keep_deflated_on_save() -> None:
    """While a ``PreparedDocxTemplate`` saves, a large XML part is written deflated from a kept copy.

    The two style parts (~800 KB) are the same in every document of a template, and deflating them again was
    a quarter of what is left of a form's render.  ``zipfile`` writes the entry as always (header, CRC, sizes,
    directory); only its compressor is replaced by one that hands back the bytes zipfile's own compressor
    (raw deflate, default level) made of the same part before.  Entries are the same bytes as before."""
    import zipfile
    import zlib

    from docx.opc import phys_pkg

    @lru_cache(maxsize=32)
    def deflated(blob: bytes) -> bytes:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        return compressor.compress(blob) + compressor.flush()

    class Deflated:
        """Stands for zipfile's compressor of one entry whose deflated bytes are known."""

        def __init__(self, data: bytes):
            self.data = data

        def compress(self, _chunk: bytes) -> bytes:
            return b""

        def flush(self) -> bytes:
            data, self.data = self.data, b""
            return data

    write = phys_pkg._ZipPkgWriter.write

    def write_kept(self, pack_uri, blob):
        zf = self._zipf
        if (not getattr(_KEEP, "on", False) or len(blob) < KEEP_DEFLATED_FROM or zf.compression != zipfile.ZIP_DEFLATED
                or not pack_uri.membername.endswith(".xml")):
            return write(self, pack_uri, blob)
        # what ZipFile.writestr does with a name, its compressor aside
        zinfo = zipfile.ZipInfo(filename=pack_uri.membername, date_time=time.localtime(time.time())[:6])
        zinfo.compress_type = zf.compression
        zinfo.external_attr = 0o600 << 16
        zinfo.file_size = len(blob)
        with zf.open(zinfo, mode="w") as dest:
            dest._compressor = Deflated(deflated(blob))
            dest.write(blob)

    phys_pkg._ZipPkgWriter.write = write_kept
    write_kept.cache = deflated
