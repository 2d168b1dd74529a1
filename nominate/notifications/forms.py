from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField


class ContactForm(FlaskForm):
    email = StringField("电子邮箱")
    mobile = StringField("手机号码")
    email_enabled = BooleanField("通过电子邮件通知我")
    sms_enabled = BooleanField("通过短信通知我")
