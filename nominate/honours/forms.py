"""Forms of the register pages; they hand raw values to the operations, which check every rule."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from nominate.honours.models import HolderKind, HonourKind, HonourLevel
from nominate.honours.operations import LABELS
from nominate.core.forms import CleanForm, select_choices


class HonourForm(CleanForm):
    holder_kind = SelectField(LABELS["holder_kind"], choices=select_choices(HolderKind.choices()))
    person_name = StringField(LABELS["person_name"], validators=[Optional(), Length(max=40)])
    id_number = StringField(LABELS["id_number"], validators=[Optional(), Length(max=18)])
    unit_name = StringField(LABELS["unit_name"], validators=[Optional(), Length(max=120)])
    organisation = SelectField(LABELS["organisation"])
    title = StringField(LABELS["title"], validators=[DataRequired("请填写荣誉名称"), Length(max=120)])
    level = SelectField(LABELS["level"], choices=select_choices(HonourLevel.choices()))
    kind = SelectField(LABELS["kind"], choices=select_choices(HonourKind.choices()))
    competition = StringField(LABELS["competition"], validators=[Optional(), Length(max=120)])
    year = StringField(LABELS["year"], validators=[DataRequired("请填写年度")])
    rank = StringField(LABELS["rank"], validators=[Optional(), Length(max=40)])
    issuing_body = StringField(LABELS["issuing_body"], validators=[Optional(), Length(max=120)])
    document_number = StringField(LABELS["document_number"], validators=[Optional(), Length(max=80)])
    evidence = FileField("证明材料（PDF、JPEG 或 PNG，可选）")

    def values(self) -> dict:
        return {name: self[name].data for name in LABELS}


class EvidenceForm(FlaskForm):
    evidence = FileField("证明材料（PDF、JPEG 或 PNG）")


class ImportForm(FlaskForm):
    file = FileField("导入文件（.xlsx 或 .csv）")
