"""Which template a form of a campaign is rendered from: the campaign's version in use, else the committed file."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from form_templates import TEMPLATE_FILES, template_path
from nominate.extensions import db
from nominate.formtemplates.models import TemplateVersion


@dataclass(frozen=True)
class TemplateSource:
    """The bytes of the template a form is rendered from, its content hash and where it comes from."""

    form: str
    data: bytes
    sha256: str
    version: TemplateVersion | None = None

    @property
    def label(self) -> str:
        return f"第 {self.version.number} 版（上传）" if self.version else "系统自带模板"


@functools.lru_cache(maxsize=64)
def _committed(path: str, mtime_ns: int) -> tuple[bytes, str]:
    data = open(path, "rb").read()
    return data, hashlib.sha256(data).hexdigest()


def committed_source(form: str) -> TemplateSource:
    path = template_path(form)
    data, sha = _committed(str(path), path.stat().st_mtime_ns)
    return TemplateSource(form, data, sha)


def version_in_use(campaign_id: int | None, form: str) -> TemplateVersion | None:
    if campaign_id is None:
        return None
    return db.session.scalar(db.select(TemplateVersion).filter_by(campaign_id=campaign_id, form=form, in_use=True))


def template_source(campaign_id: int | None, form: str) -> TemplateSource:
    """The one place every rendering (pages, API, bundles, jobs) asks which template a form uses."""
    version = version_in_use(campaign_id, form) if form in TEMPLATE_FILES else None
    if version is not None:
        return TemplateSource(form, version.content, version.sha256, version)
    return committed_source(form)


def template_sources(campaign_id: int | None) -> dict[str, TemplateSource]:
    """``template_source`` of every form at once, the versions in use read in one statement (a bundle
    renders most forms of its campaign)."""
    in_use = {} if campaign_id is None else {v.form: v for v in db.session.scalars(
        db.select(TemplateVersion).filter_by(campaign_id=campaign_id, in_use=True))}
    return {form: TemplateSource(form, in_use[form].content, in_use[form].sha256, in_use[form]) if form in in_use
            else committed_source(form) for form in TEMPLATE_FILES}


def versions(campaign_id: int) -> dict[str, list[TemplateVersion]]:
    """Every form's uploaded versions, newest first."""
    rows = db.session.scalars(db.select(TemplateVersion).filter_by(campaign_id=campaign_id)
                              .order_by(TemplateVersion.form, TemplateVersion.number.desc())).all()
    out: dict[str, list[TemplateVersion]] = {form: [] for form in TEMPLATE_FILES}
    for row in rows:
        out.setdefault(row.form, []).append(row)
    return out
