"""Plays a demo story file (workflows/demo/*.yaml): its steps in order, each through the real operations.

The story names states and events only as data: they are keys of the workflow file, checked against
it before the first step (a renamed state stops the demo with its name, not halfway through).
A ``walk`` goes through the workflow's walker, one main-path event at a time; everything else calls
the business operation the pages call. Each step ends in a commit.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from nominate.batches import operations as bops
from nominate.campaigns.operations import grant_extension, set_deadline
from nominate.extensions import db
from nominate.nominations import operations as nops
from nominate.opinions import operations as oops
from nominate.publicity import operations as pops
from nominate.workflow.engine import fire_event
from nominate.workflow.machine import get_workflow
from nominate.workflow.walker import Walker

STEPS = ("today", "walk", "fire", "send_batch", "batch_report", "objection", "deadline", "extension", "photo",
         "police_opinions", "sign", "submit_formal")


def read_story(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def iso(value) -> str | None:
    """A date of the file (YAML reads 2021-08-25 as a date) as the ISO text the operations take."""
    return value.isoformat() if isinstance(value, dt.date) else value


class Story:
    def __init__(self, story: dict, campaign, orgs: dict, nominees: dict, user, set_today, report_text):
        """``nominees[org_code][letter]`` are the nominations the story names as ``org_code.letter``;
        ``user(role, org_code)`` returns an actor; ``report_text(org)`` a 推荐工作报告."""
        self.story, self.campaign, self.orgs, self.nominees = story, campaign, orgs, nominees
        self.user, self.set_today, self.report_text = user, set_today, report_text
        self.walker = Walker(user, set_today, db.session.commit)

    # -- references -----------------------------------------------------------------------------------
    def nominee(self, ref: str):
        org, _, letter = ref.rpartition(".")
        try:
            return self.nominees[org][letter]
        except KeyError:
            raise ValueError(f"演示剧本：没有推荐对象 {ref}") from None

    def actor(self, spec: str, nom=None):
        if spec == "owner":
            return self.walker.owner(nom)
        if spec == "office":
            return self.walker.office_of(nom) if nom is not None else self.walker.office
        role, _, org = spec.partition("@")
        return self.user(role, org)

    def check(self) -> None:
        """Every state, event, step kind and nominee the story names exists, before anything is written."""
        wf = get_workflow(self.campaign.workflow)
        problems = []
        for i, step in enumerate(self.story["story"], 1):
            (kind, arg), = step.items()
            if kind not in STEPS:
                problems.append(f"第{i}步：未知的步骤 {kind}")
                continue
            if isinstance(arg, dict) and any(not isinstance(k, str) for k in arg):  # `on:` reads as true in YAML
                problems.append(f"第{i}步：键名 {[k for k in arg if not isinstance(k, str)]} 不是文字（日期请写 day:）")
            if kind == "walk" and arg["to"] not in wf.states:
                problems.append(f"第{i}步：流程中没有状态 {arg['to']}")
            if kind == "fire" and arg["event"] not in wf.transitions:
                problems.append(f"第{i}步：流程中没有事件 {arg['event']}")
            if kind in ("photo", "submit_formal"):
                refs = [arg]
            elif kind == "police_opinions":
                refs = arg
            elif isinstance(arg, dict):
                refs = [*arg.get("nominees", []), *([arg["nominee"]] if "nominee" in arg else [])]
            else:
                refs = []
            for ref in refs:
                try:
                    self.nominee(ref)
                except ValueError as exc:
                    problems.append(f"第{i}步：{exc}")
        if problems:
            raise ValueError("；".join(problems))

    # -- playing --------------------------------------------------------------------------------------
    def play(self) -> None:
        self.check()
        for step in self.story["story"]:
            (kind, arg), = step.items()
            getattr(self, f"_{kind}")(arg)
            db.session.commit()
        self.set_today(iso(self.story["today"]))

    def _today(self, day) -> None:
        self.set_today(iso(day))

    def _walk(self, arg: dict) -> None:
        walker = self.walker
        if arg.get("dates"):
            walker = Walker(self.user, self.set_today, db.session.commit,
                            {k: iso(v) for k, v in arg["dates"].items()})
        for ref in arg["nominees"]:
            walker.to(self.nominee(ref), arg["to"])

    def _fire(self, arg: dict) -> None:
        for ref in arg["nominees"]:
            nom = self.nominee(ref)
            fire_event(nom, arg["event"], self.actor(arg["by"], nom), comment=arg.get("comment"))

    def _batch_report(self, org_code: str):
        nom = next(iter(self.nominees[org_code].values()))
        batch, actor = nom.batch, self.walker.owner(nom)
        bops.set_batch_report(batch, actor, report_text=self.report_text(self.orgs[org_code].short_name))
        return batch, actor

    def _send_batch(self, org_code: str) -> None:
        batch, actor = self._batch_report(org_code)
        bops.submit_city_batch(batch, actor)

    def _objection(self, arg: dict) -> None:
        nom = self.nominee(arg["nominee"])
        if arg.get("day"):
            self.set_today(iso(arg["day"]))
        actor = self.actor(arg["by"], nom)
        objection = pops.record_objection(nom, actor, content=arg["content"], objector_name=arg.get("objector_name"),
                                          objector_contact=arg.get("objector_contact"))
        resolve = arg.get("resolve")
        if resolve:
            db.session.commit()
            if resolve.get("day"):
                self.set_today(iso(resolve["day"]))
            pops.resolve_objection(objection, actor, outcome=resolve["outcome"], investigation=resolve["investigation"])

    def _deadline(self, arg: dict) -> None:
        set_deadline(self.campaign, self.walker.office, arg["key"], iso(arg["due"]))

    def _extension(self, arg: dict) -> None:
        grant_extension(self.campaign, self.walker.office, self.orgs[arg["org"]], arg["key"], iso(arg["until"]),
                        arg["reason"])

    def _photo(self, ref: str) -> None:
        self.walker.upload_demo_photo(self.nominee(ref))

    def _police_opinions(self, refs: list) -> None:
        oops.request_police_opinions([self.nominee(r) for r in refs], self.walker.office)

    def _sign(self, arg: dict) -> None:
        nom = self.nominee(arg["nominee"])
        if arg.get("day"):
            self.set_today(iso(arg["day"]))
        opinion = next(o for o in nom.opinions if o.slot.value == arg["slot"])
        oops.sign_opinion(opinion, self.actor(arg["by"], nom), verdict=arg["verdict"], text=arg["text"],
                          signer_name=arg["signer_name"])

    def _submit_formal(self, ref: str) -> None:
        nom = self.nominee(ref)
        nops.submit_formal_materials(nom, self.walker.owner(nom))
