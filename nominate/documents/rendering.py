"""Rendering one form to a named file: DOCX through ``form_templates.render_docx``, XLSX through ``xlsx``."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import PurePath

from form_templates import TEMPLATE_FILES, render_docx
from nominate import caching
from nominate.core.pdf import DOCX_MIME, PDF_MIME, XLSX_MIME  # noqa: F401  (the downloads name them)
from nominate.documents import context
from nominate.documents.xlsx import summary_xlsx
from nominate.formtemplates.queries import template_source, template_sources

ZIP_MIME = "application/zip"

NOMINATION_FORMS = tuple(context.NOMINATION_FORMS)
BATCH_FORMS = ("window_summary", "individual_summary", "preliminary_report", "formal_report", "contact_form",
               "publicity_notice", "window_summary_xlsx", "individual_summary_xlsx", "main_deeds", "brief_deeds")
PROVINCE_FORMS = tuple(f for f in BATCH_FORMS if f != "contact_form")
#: forms that print full 身份证号 (only roles allowed to see them may download these)
IDENTITY_FORMS = frozenset({"individual_approval", "individual_summary", "individual_summary_xlsx"})
#: forms whose list depends on the stage (the reports carry their stage in their key)
STAGED_FORMS = frozenset({"window_summary", "individual_summary", "window_summary_xlsx", "individual_summary_xlsx",
                          "main_deeds", "brief_deeds"})


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    mimetype: str
    data: bytes


def template_key(form: str) -> str:
    return form.removesuffix("_xlsx")


@functools.lru_cache(maxsize=None)
def form_title(form: str) -> str:
    """The official file name without extension: ``附件5 优质服务窗口推荐对象汇总表``."""
    return PurePath(TEMPLATE_FILES[template_key(form)]).stem


def extension(form: str) -> str:
    return ".xlsx" if form.endswith("_xlsx") else ".docx"


def mimetype(form: str) -> str:
    return XLSX_MIME if form.endswith("_xlsx") else DOCX_MIME


def safe_name(name: str) -> str:
    """A file or folder name every unzip tool accepts (no path separators or control characters)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return cleaned or "未命名"


def render_form(form: str, ctx: dict, campaign_id: int | None = None) -> bytes:
    """One form filled with ``ctx``: from the campaign's template version in use, else the committed file
    (``formtemplates.queries.template_source``, the one place that decides)."""
    return render_data(form, ctx, template_data(form, campaign_id))


def render_data(form: str, ctx: dict, data: bytes | None) -> bytes:
    """``render_form`` from the template's bytes already read: taken from the document cache, else rendered
    here and kept there."""
    key = caching.document_key(form, data, ctx)
    document = caching.cached_document(key)
    if document is None:
        document = render_prepared(form, ctx, data)
        caching.keep_document(key, document)
    return document


def template_data(form: str, campaign_id: int | None) -> bytes | None:
    """The template bytes ``form`` is rendered from (None for the Excel forms, drawn in code)."""
    return None if form.endswith("_xlsx") else template_source(campaign_id, form).data


def campaign_templates(campaign_id: int | None) -> dict[str, bytes]:
    """``template_data`` of every Word form of a campaign (form -> bytes), read at once."""
    return {form: source.data for form, source in template_sources(campaign_id).items()}


def render_prepared(form: str, ctx: dict, data: bytes | None) -> bytes:
    """Render from plain data only (no database): what a bundle's worker process runs."""
    if form.endswith("_xlsx"):
        return summary_xlsx(template_key(form), ctx)
    return render_docx(data, ctx)


def _file(form: str, ctx: dict, who: str, campaign_id: int | None) -> RenderedFile:
    name = f"{form_title(form)}（{safe_name(who)}）{extension(form)}"
    return RenderedFile(name, mimetype(form), render_form(form, ctx, campaign_id))


def nomination_file(nom, form: str) -> RenderedFile:
    """附件2/3/4 of one nominee."""
    return _file(form, context.NOMINATION_FORMS[form](nom), nom.name, nom.campaign_id)


def batch_file(batch, form: str, stage: str = "preliminary") -> RenderedFile:
    """A batch-level form of one city or 省直 unit."""
    return _file(form, context.batch_context(batch, template_key(form), stage), batch.organisation.short_name,
                 batch.campaign_id)


def province_file(campaign, form: str, stage: str = "preliminary") -> RenderedFile:
    """A province-level form (its 汇总表 of the selected list, 公示报样, reports)."""
    return _file(form, context.province_context(campaign, template_key(form), stage), campaign.province.short_name,
                 campaign.id)
