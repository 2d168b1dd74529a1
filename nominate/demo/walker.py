"""Drives a nomination along the main path, one state at a time, with the right actor and date.

Used by the demo data set and by the tests; every step goes through the real operations.
"""
from __future__ import annotations

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

    #: who signs each row of 附件4 in the demo: three different people of three different offices
    SIGNERS = {"discipline": "陈立新", "personnel": "赵文华", "police": "孙国强"}

    def sign_all_opinions(self, nom, signer_name=None):
        from nominate.opinions import operations as oops

        if not any(o.slot.value == "police" for o in nom.opinions):
            oops.request_police_opinions([nom], self.office)
        signers = {"discipline": self.user("signer_discipline", nom.cadre_authority_org.code),
                   "personnel": self.user("signer_personnel", nom.cadre_authority_org.code),
                   "police": self.user("signer_police", "shanxi")}
        for op in nom.opinions:
            if op.status.value != "signed":
                oops.sign_opinion(op, signers[op.slot.value], verdict="agree", text="同意推荐",
                                  signer_name=signer_name or self.SIGNERS[op.slot.value])

    def upload_demo_photo(self, nom):
        import io

        from PIL import Image, ImageDraw

        from nominate.nominations.operations import upload_photo

        img = Image.new("RGB", (350, 490), (67, 142, 219))
        draw = ImageDraw.Draw(img)
        draw.ellipse((115, 90, 235, 230), fill=(238, 206, 179))
        draw.rectangle((80, 250, 270, 490), fill=(40, 40, 60))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        upload_photo(nom, self.owner(nom), buf.getvalue(), 5 * 1024 * 1024)

    def step(self, nom):
        from nominate.batches import operations as bops
        from nominate.nominations.operations import submit_formal_materials
        from nominate.publicity import operations as pops
        from nominate.workflow.engine import fire_event

        d, s, owner, office = self.dates, nom.state.value, self.owner(nom), self.office
        if s == "draft":
            self.set_today(d["unit_publicity_start"])
            fire_event(nom, "start_unit_publicity", owner, params={"start_date": d["unit_publicity_start"]})
        elif s == "unit_publicity":
            self.set_today(d["unit_publicity_finish"])
            fire_event(nom, "finish_unit_publicity", owner)
        elif s == "city_review":
            fire_event(nom, "recommend", owner)
        elif s == "city_recommended":
            if not (nom.batch.report_text or "").strip():
                bops.set_batch_report(nom.batch, owner, report_text=f"{nom.owner_org.short_name}推荐工作经局党组研究决定……")
            bops.submit_city_batch(nom.batch, owner)
        elif s == "province_review":
            self.set_today(d["select"])
            fire_event(nom, "select", office)
        elif s == "province_selected":
            fire_event(nom, "report_to_ministry", office)
        elif s == "ministry_preliminary":
            self.set_today(d["ministry_confirm"])
            fire_event(nom, "ministry_confirm", office)
        elif s == "formal_materials":
            if not nom.is_window:
                self.commit()
                if nom.photo is None:
                    self.upload_demo_photo(nom)
                self.sign_all_opinions(nom)
            if nom.formal_submitted_at is None:
                submit_formal_materials(nom, owner)
            self.set_today(d["province_publicity_start"])
            pops.start_publicity([nom], "province", office, d["province_publicity_start"])
        elif s == "province_publicity":
            self.set_today(d["province_publicity_finish"])
            fire_event(nom, "finish_province_publicity", office)
        elif s == "province_publicized":
            fire_event(nom, "submit_to_ministry", office)
        elif s == "submitted_to_ministry":
            self.set_today(d["national_publicity_start"])
            fire_event(nom, "start_national_publicity", office, params={"start_date": d["national_publicity_start"]})
        elif s == "national_publicity":
            self.set_today(d["national_publicity_finish"])
            fire_event(nom, "finish_national_publicity", office)
        else:
            raise ValueError(f"no step from {s}")
        self.commit()
        return nom

    def to(self, nom, target: str):
        for _ in range(20):
            if nom.state.value == target:
                return nom
            self.step(nom)
        raise ValueError(f"did not reach {target}")
