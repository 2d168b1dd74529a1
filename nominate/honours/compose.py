"""备注 and the honours lines of 附件2/3, composed from the register in one official wording."""
from __future__ import annotations

from nominate.honours.queries import honours_for


def remarks_for(nomination, honours=None) -> str:
    """The 汇总表 备注: linked honours by level (国家 → 县) then year, joined with "；", followed by the
    nomination's own free-text remarks (which stand alone when nothing is linked).  ``honours``: the
    nomination's honours when the caller has loaded them for many nominations at once."""
    composed = "；".join(h.statement for h in (honours_for(nomination) if honours is None else honours))
    free = (nomination.remarks or "").strip()
    if not composed:
        return free
    if free and free not in composed:
        return f"{composed}；{free.lstrip('；;，, ')}"
    return composed


def honour_lines_for(nomination, honours=None) -> list[str]:
    """One line per linked honour for 附件2/3, with the issuing body and document number when known."""
    lines = []
    for h in honours_for(nomination) if honours is None else honours:
        source = "，".join(part for part in (h.issuing_body, h.document_number) if part)
        lines.append(f"{h.statement}（{source}）" if source else h.statement)
    return lines
