"""The ZIP bundles officials send on: per city (or 省直 unit) and for the province, 初审 or 正式.

A bundle is a list of entries (archive name, render function).  ``stream`` hands them to zipstream-ng
as lazy iterables, so each document is rendered only when the archive reaches it and leaves memory
once its bytes are written: memory stays flat however many nominees a province has.
"""
from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from zipstream import ZipStream

from nominate.documents import context, workers
from nominate.documents.rendering import (campaign_templates, extension, form_title, render_data, safe_name,
                                          template_data)

STAGE_LABELS = {"preliminary": "初审材料", "formal": "正式推荐材料"}
#: already-compressed formats, stored in the archive without deflating them again
STORED_SUFFIXES = (".docx", ".xlsx", ".jpg", ".jpeg", ".pdf")
#: the list-level forms of both stages: 汇总表 (Word and Excel), 基本情况和主要事迹, 简要事迹
_SUMMARIES = ("window_summary", "individual_summary", "window_summary_xlsx", "individual_summary_xlsx",
              "main_deeds", "brief_deeds")


@dataclass
class Bundle:
    """The entries of one bundle, in archive order; ``filename`` is the download's name."""

    filename: str
    campaign_id: int | None = None
    entries: list[tuple[str, Callable[[], bytes]]] = field(default_factory=list)
    _names: set = field(default_factory=set)
    #: campaign id -> {form: the template's bytes}, read once per bundle (not once per document)
    templates: dict = field(default_factory=dict)

    def add(self, folder: str, name: str, render: Callable[[], bytes]) -> None:
        """Queue one document; a second file of the same name gets a （2） suffix."""
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while f"{folder}/{candidate}" in self._names:
            n += 1
            candidate = f"{stem}（{n}）{dot}{ext}"
        self._names.add(f"{folder}/{candidate}")
        self.entries.append((f"{folder}/{candidate}", render))

    def add_form(self, folder: str, form: str, make_context: Callable[[], dict]) -> None:
        self.add(folder, form_title(form) + extension(form), self.job(form, make_context))

    def job(self, form: str, make_context: Callable[[], dict], campaign_id: int | None = None) -> RenderJob:
        return RenderJob(form, make_context, self.campaign_id if campaign_id is None else campaign_id,
                         self.templates)

    def stream(self, after_each: Callable[[], None] | None = None) -> Iterator[bytes]:
        """The ZIP as a stream of chunks; entries are rendered one at a time as the stream reaches them.

        ``after_each`` runs once a document is rendered (the download ends its read transaction there,
        so a long bundle never holds the database between documents)."""
        zs = ZipStream(compress_type=zipfile.ZIP_DEFLATED, compress_level=6)
        ahead = workers.Ahead(self.entries)
        for index, (arcname, _render) in enumerate(self.entries):
            # DOCX/XLSX are ZIPs themselves and JPEG is compressed: deflating them again costs time for
            # nothing, so they are stored as they are.
            stored = arcname.lower().endswith(STORED_SUFFIXES)
            zs.add(_lazy(ahead, index, after_each), arcname,
                   compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        try:
            yield from zs
        finally:
            ahead.close()


@dataclass(frozen=True)
class RenderJob:
    """One form to render: its context is made here (it reads the database), the rendering itself needs
    only plain data and may run in a worker process (``workers``).  Called, it renders in this process."""

    form: str
    make_context: Callable[[], dict]
    campaign_id: int | None
    #: the bundle's templates read so far, shared by its jobs (campaign id -> {form: bytes})
    templates: dict | None = field(default=None, compare=False)

    def prepare(self) -> tuple[str, dict, bytes | None]:
        return self.form, self.make_context(), self.template()

    def template(self) -> bytes | None:
        if self.templates is None:
            return template_data(self.form, self.campaign_id)
        if self.campaign_id not in self.templates:
            self.templates[self.campaign_id] = campaign_templates(self.campaign_id)
        return self.templates[self.campaign_id].get(self.form)  # None for the Excel forms, drawn in code

    def __call__(self) -> bytes:
        return render_data(*self.prepare())


def _lazy(ahead: workers.Ahead, index: int, after: Callable[[], None] | None) -> Iterator[bytes]:
    data = ahead.result(index)
    if after is not None:
        after()
    yield data


def _per_nominee_forms(bundle: Bundle, folder: str, nominees, lists: context.Lists) -> None:
    """附件2 per window, 附件3 and 附件4 per individual, each in its own sub-folder, named with the 序号 of
    the 汇总表 so the folder lists them in rank order (``01 张晓梅.docx``); the ID photos as files
    (``照片/01 张晓梅-<工作单位>.jpg``), the electronic copy the seed asks for."""
    windows, people = context.split_kinds(nominees)
    for form, group in (("window_approval", windows), ("individual_approval", people), ("opinion_form", people)):
        sub = f"{folder}/{form_title(form)}"
        for seq, nom in enumerate(group, start=1):
            bundle.add(sub, f"{seq:02d} {safe_name(nom.name)}.docx",
                       bundle.job(form, lambda nom=nom, form=form, group=group:
                                  context.NOMINATION_FORMS[form](nom, lists.honours(group)), nom.campaign_id))
    for seq, nom in enumerate(people, start=1):
        if nom.photo is not None:
            bundle.add(f"{folder}/照片", f"{seq:02d} {safe_name(f'{nom.name}-{nom.work_unit or nom.owner_org.name}')}.jpg",
                       lambda nom=nom: nom.photo.content)


def _contents(bundle: Bundle, title: str) -> None:
    """目录.docx first in the archive: every file the bundle holds, in its order (the rank order)."""
    names = [name for name, _ in bundle.entries]
    folder = names[0].split("/", 1)[0] if names else ""
    bundle.entries.insert(0, (f"{folder}/00 目录.docx", lambda: contents_docx(title, names)))


def contents_docx(title: str, names: list[str]) -> bytes:
    """The 目录 page, made with the templates' own page setup (A4, 公文 margins and fonts).

    The same document ``build_templates`` would make, made faster: the blank page with its styles is built
    once per process (``_blank_page``) and read back; the table is written directly rather than with
    ``cell_text``: the cells are listed once (``table.cell(r, c)`` lists the whole table on every call) and
    each style is looked up once (python-docx looks a style up among all of them on every assignment)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    from form_templates import build_templates as bt

    doc = docx.Document(io.BytesIO(_blank_page()))
    bt.para(doc, title, "Form Title", after=6)
    bt.para(doc, "目  录", "Form Subtitle", after=12)
    table = bt.new_table(doc, [1.3, 14.3], len(names) + 1)
    cells = table._cells  # row by row, two a row
    style_ids = {name: doc.part.get_style_id(doc.styles[name], WD_STYLE_TYPE.PARAGRAPH)
                 for name in ("Table Head", "Table Text")}

    def write(cell, text: str, style: str, align=None) -> None:  # bt.cell_text of one line in a new cell
        p = cell.paragraphs[0]
        p._p.style = style_ids[style]
        if align is not None:
            p.alignment = align
        if text:
            p.add_run(text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    write(cells[0], "序号", "Table Head")
    write(cells[1], "文件", "Table Head")
    for i, name in enumerate(names, start=1):
        write(cells[2 * i], str(i), "Table Text")
        write(cells[2 * i + 1], name.split("/", 1)[-1], "Table Text", bt.LEFT)
    bt.finish_table(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _blank_page() -> bytes:
    """The 目录's page before its text: A4, the templates' margins, styles and fonts (a fifth of a second to
    build, the same every time)."""
    from form_templates import build_templates as bt

    doc = bt.new_document("目录", body_size=bt.SANHAO)
    bt.remove_leading_empty_paragraph(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _notices(bundle: Bundle, folder: str, notices: list[dict]) -> None:
    """公示报样: one file per publicity period, its dates in the name when there are several.  The
    contexts are plain strings made now; each document is rendered when the archive reaches it."""
    for ctx in notices:
        suffix = f"（{safe_name(ctx['period_text'])}）" if len(notices) > 1 else ""
        bundle.add(folder, f"{form_title('publicity_notice')}{suffix}.docx",
                   bundle.job("publicity_notice", lambda ctx=ctx: ctx))


def batch_bundle(batch, stage: str) -> Bundle:
    """A city's (or 省直 unit's) materials: 初审 (report, 附件5/6) or 正式 (report, 附件2–6, 公示报样)."""
    org = batch.organisation
    folder = safe_name(org.short_name)
    bundle = Bundle(f"{folder} {STAGE_LABELS[stage]}.zip", batch.campaign_id)
    report = "formal_report" if stage == "formal" else "preliminary_report"
    lists = context.batch_lists(batch)
    bundle.add_form(folder, report, lambda: context.batch_context(batch, report, lists=lists))
    if stage == "formal":
        _per_nominee_forms(bundle, folder, lists.nominees(stage), lists)
    for form in _SUMMARIES:
        bundle.add_form(folder, form, lambda form=form: context.batch_context(batch, form.removesuffix("_xlsx"), stage,
                                                                              lists))
    if stage == "formal":
        campaign = context._campaign(batch.campaign_id)
        formal = lists.nominees("formal")
        _notices(bundle, folder, context.publicity_notices(campaign, org, formal, "batch", lists.honours(formal)))
    _contents(bundle, f"{org.name}{STAGE_LABELS[stage]}")
    return bundle


def province_bundle(campaign, stage: str) -> Bundle:
    """The province's materials to the Ministry: its report, 汇总表 and 公示报样 at the top; for 正式 also
    each nominee's 附件2/3/4 in one folder per city (省直 last)."""
    folder = safe_name(campaign.province.short_name)
    bundle = Bundle(f"{folder} {STAGE_LABELS[stage]}.zip", campaign.id)
    report = "formal_report" if stage == "formal" else "preliminary_report"
    lists = context.province_lists(campaign)  # each stage's list and its honours read once for the bundle
    bundle.add_form(folder, report, lambda: context.province_context(campaign, report, lists=lists))
    for form in _SUMMARIES:
        bundle.add_form(folder, form,
                        lambda form=form: context.province_context(campaign, form.removesuffix("_xlsx"), stage, lists))
    if stage == "formal":
        nominees = lists.nominees(stage)
        _notices(bundle, folder, context.publicity_notices(campaign, campaign.province, nominees, "province",
                                                           lists.honours(nominees)))
        for org in context.nominee_orgs(nominees):
            _per_nominee_forms(bundle, f"{folder}/{safe_name(org.short_name)}",
                               [n for n in nominees if n.owner_org_id == org.id], lists)
    _contents(bundle, f"{campaign.province.name}{STAGE_LABELS[stage]}")
    return bundle
