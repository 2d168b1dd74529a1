from wtforms import RadioField, StringField, TextAreaField

from nominate.core.forms import CleanForm, select_choices


class SignForm(CleanForm):
    verdict = RadioField("意见", choices=select_choices([("agree", "同意推荐"), ("disagree", "不同意推荐")]), default="agree")
    text = TextAreaField("意见内容（不同意时须写明理由）", render_kw={"rows": 4})
    signer_name = StringField("签字人")
    signed_on = StringField("签署日期", render_kw={"type": "date"})
    reason = TextAreaField("更正理由", render_kw={"rows": 2})  # a correction of a signed row only
