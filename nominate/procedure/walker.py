"""Drives a nomination along the workflow's main path, one event at a time, with the right actor and date.

The path is read from the workflow file: from each state, the one event that is neither a side exit
nor internal. How an event is fired follows its keys in the file (a batch submission submits the
city's batch, a listing publicity is started through the publicity operation, the formal materials
are submitted before it), so a new state or event on the main path needs no change here. Used by the
demo data set, the national benchmark generator and the tests; every step goes through the real
operations."""
from __future__ import annotations

from nominate.batches import operations as bops
from nominate.nominations.operations import submit_formal_materials, upload_photo
from nominate.nominations.validation import photo_problem
from nominate.opinions import operations as oops
from nominate.publicity import operations as pops
from nominate.workflow.engine import fire_event

#: dates by the step they are used for: "<level>_publicity_start" / "_finish", or an event's name
DEFAULT_DATES = {
    "unit_publicity_start": "2021-08-02", "unit_publicity_finish": "2021-08-09", "select": "2021-08-25",
    "ministry_confirm": "2021-09-10", "province_publicity_start": "2021-09-13", "province_publicity_finish": "2021-09-22",
    "national_publicity_start": "2021-10-11", "national_publicity_finish": "2021-10-18",
}


class Walker:
    def __init__(self, user, set_today, commit, dates: dict | None = None):
        """``user(role, org_code)`` returns an actor; ``set_today(iso)`` moves the clock."""
        self.user, self.set_today, self.commit = user, set_today, commit
        self.dates = {**DEFAULT_DATES, **(dates or {})}

    def owner(self, nom):
        org = nom.owner_org
        return self.user("city_bureau" if org.kind.value == "city" else "provincial_unit", org.code)

    @property
    def office(self):
        return self.user("province_office", "shanxi")

    def office_of(self, nom):
        """The provincial office of the nomination's campaign."""
        return self.user("province_office", nom.campaign.province.code)

    def actor_for(self, nom, transition):
        owner = self.owner(nom)
        if owner.role.value in transition.roles:
            return owner
        if "province_office" in transition.roles:
            return self.office_of(nom)
        return self.user("ministry", "mohrss")

    #: who signs each row of 附件4 in the demo: three different people of three different offices
    SIGNERS = {"discipline": "陈立新", "personnel": "赵文华", "police": "孙国强"}

    def sign_all_opinions(self, nom, signer_name=None):
        if not any(o.slot.value == "police" for o in nom.opinions):
            oops.request_police_opinions([nom], self.office_of(nom))
        signers = {"discipline": self.user("signer_discipline", nom.cadre_authority_org.code),
                   "personnel": self.user("signer_personnel", nom.cadre_authority_org.code),
                   "police": self.user("signer_police", nom.campaign.province.code)}
        for op in nom.opinions:
            if op.status.value != "signed":
                oops.sign_opinion(op, signers[op.slot.value], verdict="agree", text="同意推荐",
                                  signer_name=signer_name or self.SIGNERS[op.slot.value])

    def upload_demo_photo(self, nom):
        import io

        from PIL import Image, ImageDraw

        img = Image.new("RGB", (350, 490), (67, 142, 219))
        draw = ImageDraw.Draw(img)
        draw.ellipse((115, 90, 235, 230), fill=(238, 206, 179))
        draw.rectangle((80, 250, 270, 490), fill=(40, 40, 60))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        upload_photo(nom, self.owner(nom), buf.getvalue(), 5 * 1024 * 1024)

    @staticmethod
    def main_event(wf, state: str):
        """The one event of the main path leaving ``state``."""
        found = [t for t in wf.events_from(state) if not t.exit and not t.internal]
        if len(found) != 1:
            raise ValueError(f"no single main-path step from {state} ({[t.event for t in found]})")
        return found[0]

    def _date(self, t):
        if t.starts_publicity:
            return self.dates.get(f"{t.starts_publicity}_publicity_start")
        if t.finishes_publicity:
            return self.dates.get(f"{t.finishes_publicity}_publicity_finish")
        return self.dates.get(t.event)

    def prepare_formal_materials(self, nom):
        """Photo, the three opinions and the formal submission, as the city and the signers would."""
        if not nom.is_window:
            self.commit()
            if photo_problem(nom, nom.campaign.rules):
                self.upload_demo_photo(nom)
            self.sign_all_opinions(nom)
        if nom.formal_submitted_at is None:
            submit_formal_materials(nom, self.owner(nom))

    def step(self, nom):
        """Fire the main-path event leaving the nomination's state."""
        return self.fire(nom, self.main_event(nom.workflow, nom.state.value))

    def fire(self, nom, t, day: str | None = None):
        """Fire ``t`` on ``nom`` the way the pages would: through its business operation when it has one."""
        wf = nom.workflow
        actor, day = self.actor_for(nom, t), day or self._date(t)
        formal = wf.event_tagged("formal_submission")
        if nom.state.value in formal.sources and t.event != formal.event and not t.exit:
            self.prepare_formal_materials(nom)
        if day:
            self.set_today(day)
        if "batch_submission" in t.tags:
            if not (nom.batch.report_text or "").strip():
                bops.set_batch_report(nom.batch, actor, report_text=f"{nom.owner_org.short_name}推荐工作经局党组研究决定……")
            bops.submit_city_batch(nom.batch, actor)
        elif t.starts_publicity and t.listing:
            pops.start_publicity([nom], t.starts_publicity, actor, day)
        elif "objection_upheld" in t.tags:  # an objection recorded in the publicity, investigated, upheld
            objection = pops.record_objection(nom, actor, content="反映该推荐对象服务态度问题。", objector_name="群众")
            pops.resolve_objection(objection, actor, outcome="upheld", investigation="经核查属实")
        else:
            fire_event(nom, t.event, actor, params={"start_date": day} if t.needs_start_date else None,
                       comment="经研究" if t.needs_comment else None)
        self.commit()
        return nom

    def to(self, nom, target: str):
        for _ in range(40):
            if nom.state.value == target:
                return nom
            self.step(nom)
        raise ValueError(f"did not reach {target}")
