"""Reading the register: who holds what, which honours belong to which nomination (batched, no N+1)."""
from __future__ import annotations

import functools

import sqlalchemy as sa

from nominate.extensions import db
from nominate.honours.models import HolderKind, Honour, HonourLink, LinkStatus, normalise_name
from nominate.honours.permissions import scope_of
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import person_key
from nominate.organisations.models import Organisation

ATTACHED = (LinkStatus.AUTO, LinkStatus.CONFIRMED)


@functools.cache
def subtree_select() -> sa.Select:
    """The ids of the organisations given as the parameter ``subtree_roots`` and of every organisation below them:
    one recursive query over that subtree only (not the whole organisations table). Built once, at first use."""
    tree = (sa.select(Organisation.id).where(Organisation.id.in_(sa.bindparam("subtree_roots", expanding=True)))
            .cte("subtree", recursive=True))
    return sa.select(tree.union_all(sa.select(Organisation.id).where(Organisation.parent_id == tree.c.id)).c.id)


def subtree_ids(*roots: Organisation) -> set[int]:
    """The ids of the roots and every organisation below them (:func:`subtree_select`)."""
    if not roots:
        return set()
    return set(db.session.scalars(subtree_select(), {"subtree_roots": sorted({r.id for r in roots})}))


def visible_honours(user, args: dict | None = None):
    """SELECT of the honours the user may see, filtered by the list's arguments, newest year first."""
    args = args or {}
    q = sa.select(Honour)
    scope = scope_of(user)
    if scope is not None:
        q = q.where(Honour.organisation_id.in_(subtree_ids(scope)))
    for name in ("level", "kind", "holder_kind", "year"):
        if args.get(name):
            q = q.where(getattr(Honour, name) == args[name])
    if args.get("organisation_id"):
        org = db.session.get(Organisation, args["organisation_id"])
        q = q.where(Honour.organisation_id.in_(subtree_ids(org) if org else {-1}))
    if args.get("q"):
        like = f"%{args['q'].strip()}%"
        q = q.where(sa.or_(Honour.title.ilike(like), Honour.competition.ilike(like),
                           Honour.person_name.ilike(like), Honour.unit_name.ilike(like)))
    return q.order_by(Honour.year.desc(), Honour.id.desc())


def page_of(q, page: int, per_page: int) -> tuple[list[Honour], int]:
    """One page of a register query and the total count."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(q.order_by(None).subquery()))
    return db.session.scalars(q.offset((page - 1) * per_page).limit(per_page)).all(), total


def matches(honour: Honour, nomination: Nomination) -> bool:
    """The holder is the nominee: same 身份证号, or the window (or its unit) in the same organisation subtree."""
    if honour.holder_kind == HolderKind.PERSON:
        return (nomination.kind == NominationKind.INDIVIDUAL and bool(nomination.id_number)
                and honour.holder_key == person_key(nomination.id_number))
    if nomination.kind != NominationKind.WINDOW:
        return False
    names = {normalise_name(nomination.window_name), normalise_name(nomination.parent_unit_name)} - {""}
    return normalise_name(honour.unit_name) in names and honour.organisation.is_within(nomination.owner_org)


def matching_nominations(honour: Honour) -> list[Nomination]:
    """Nominations of any campaign whose holder is this honour's holder."""
    if honour.holder_kind == HolderKind.PERSON:
        q = sa.select(Nomination).where(Nomination.kind == NominationKind.INDIVIDUAL,
                                        Nomination.id_number == honour.id_number)
    else:
        owners = [honour.organisation.id, *(a.id for a in honour.organisation.ancestors())]
        q = sa.select(Nomination).where(Nomination.kind == NominationKind.WINDOW, Nomination.owner_org_id.in_(owners))
    q = q.where(Nomination.deleted_at.is_(None))  # a deleted draft is linked to nothing
    return [n for n in db.session.scalars(q.order_by(Nomination.id)).unique() if matches(honour, n)]


def nominations_for_honour(honour: Honour) -> list[tuple[Nomination, LinkStatus]]:
    """The nominations an honour is attached to, unlinked from or matches (undecided matches count as auto)."""
    rows = [(link.nomination, link.status) for link in honour.links]
    decided = {link.nomination_id for link in honour.links}
    rows += [(n, LinkStatus.AUTO) for n in matching_nominations(honour) if n.id not in decided]
    return sorted(rows, key=lambda row: row[0].id)


def link_rows_by_nomination(nominations) -> dict[int, list[tuple[Honour, LinkStatus]]]:
    """Every honour attached to, unlinked from or matching each nomination, with its link status
    (a match without a stored decision counts as auto). One statement for the rows given (one more for ids not yet
    loaded), whatever their number.

    ``nominations`` are Nomination rows or their ids; rows the caller has loaded are not loaded again."""
    given = {n.id: n for n in nominations if isinstance(n, Nomination)}
    ids = list(dict.fromkeys(n.id if isinstance(n, Nomination) else n for n in nominations))
    out: dict[int, list[tuple[Honour, LinkStatus]]] = {i: [] for i in ids}
    if not ids:
        return out
    missing = [i for i in ids if i not in given]
    noms = list(given.values()) + (db.session.scalars(sa.select(Nomination).where(Nomination.id.in_(missing)))
                                   .unique().all() if missing else [])
    keys = {person_key(n.id_number) for n in noms if n.kind == NominationKind.INDIVIDUAL and n.id_number}
    window_owners = sorted({n.owner_org_id for n in noms if n.kind == NominationKind.WINDOW})
    conditions, params = [], {}
    if keys:
        conditions.append(Honour.holder_key.in_(keys))
    if window_owners:  # unit honours held anywhere below the windows' owners, the subtree read in the same query
        conditions.append(sa.and_(Honour.holder_kind == HolderKind.UNIT, Honour.organisation_id.in_(subtree_select())))
        params["subtree_roots"] = window_owners
    # in one statement: the honours with a stored decision on these nominations (each with its link) and the
    # honours that may match them (without); ``matches`` below decides which candidate matches which nominee
    link_on = sa.and_(HonourLink.honour_id == Honour.id, HonourLink.nomination_id.in_(ids))
    rows = db.session.execute(sa.select(Honour, HonourLink).outerjoin(HonourLink, link_on)
                              .where(sa.or_(HonourLink.id.is_not(None), *conditions)), params).all()
    links = [link for _, link in rows if link is not None]
    decided = {(link.nomination_id, link.honour_id): link for link in links}
    for link in links:
        out[link.nomination_id].append((link.honour, link.status))  # the honour of the same row: no query
    candidates = list({honour.id: honour for honour, _ in rows}.values())
    for nom in noms:
        for honour in candidates:
            if (nom.id, honour.id) not in decided and matches(honour, nom):
                out[nom.id].append((honour, LinkStatus.AUTO))
    for rows in out.values():
        rows.sort(key=lambda row: row[0].sort_key)
    return out


def honours_by_nomination(nominations) -> dict[int, list[Honour]]:
    """The honours that count for each nomination (rows or ids; auto or confirmed), ordered by level then year."""
    return {nid: [h for h, status in rows if status in ATTACHED]
            for nid, rows in link_rows_by_nomination(nominations).items()}


def honours_for(nomination: Nomination) -> list[Honour]:
    return honours_by_nomination([nomination])[nomination.id]
