from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码")])


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    display_name = StringField("显示名称（单位及姓名）", validators=[DataRequired("请输入显示名称"), Length(max=64)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码")])
    role = SelectField("角色")
    organisation_id = SelectField("所属单位", coerce=int)
    id_number = StringField("本人身份证号（选填：本人若被推荐，系统将禁止其经办本人材料）")


class CodeForm(FlaskForm):
    code = StringField("动态验证码或恢复码", validators=[DataRequired("请输入认证器 App 显示的 6 位数字，或一个恢复码"),
                                                Length(max=20, message="验证码不超过20个字符")])


class EnrolForm(FlaskForm):
    code = StringField("认证器显示的 6 位验证码", validators=[DataRequired("请输入认证器 App 显示的 6 位数字"),
                                                     Length(max=20, message="验证码不超过20个字符")])


class TokenForm(FlaskForm):
    name = StringField("令牌名称（用途）", validators=[DataRequired("请输入令牌名称"), Length(max=80)])


class InvitationForm(FlaskForm):
    password = PasswordField("设置密码", validators=[DataRequired("请输入密码")])
    confirm = PasswordField("再次输入密码", validators=[DataRequired("请再次输入密码")])


class InviteForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    display_name = StringField("显示名称（单位及姓名）", validators=[DataRequired("请输入显示名称"), Length(max=64)])
    role = SelectField("角色")
    organisation_id = SelectField("所属单位", coerce=int)
