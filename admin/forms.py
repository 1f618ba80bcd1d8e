"""Back-office forms. All derive from Flask-WTF's FlaskForm, so they carry the same
CSRF token that the app-wide CSRFProtect checks before any view runs."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.apikeys.service import SCOPES
from app.staff.models import ROLES


class SecureForm(FlaskForm):
    """``form_base_class`` for Flask-Admin model, delete and action forms.

    Flask-Admin's own SecureForm uses a different token format that CSRFProtect would
    refuse, hence Flask-WTF. ``_obj`` is kept because Flask-Admin validators read it.
    """

    def __init__(self, *args, **kwargs):
        self._obj = kwargs.get("obj")
        super().__init__(*args, **kwargs)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class TotpForm(FlaskForm):
    code = StringField("Code from your authenticator app",
                       validators=[DataRequired(), Length(min=6, max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "autofocus": True})


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("new_password",
                                                                "The passwords differ.")])


class LogoutForm(FlaskForm):
    """Logout is a POST with a token: a link or image elsewhere cannot end a session."""


def role_field(label: str = "Role"):
    return SelectField(label, choices=[SelectChoice(r, r.title()) for r in ROLES],
                       validators=[DataRequired()])


class StaffCreateForm(SecureForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    full_name = StringField("Full name", validators=[Length(max=200)])
    role = role_field()
    # Strength rules live in app.core.passwords; the service reports them.
    password = PasswordField("Initial password", validators=[DataRequired()])


class StaffEditForm(SecureForm):
    full_name = StringField("Full name", validators=[Length(max=200)])
    role = role_field()
    is_active = BooleanField("Active")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApiKeyCreateForm(SecureForm):
    name = StringField("Partner / key name", validators=[DataRequired(), Length(max=120)])
    scopes = MultiCheckboxField("Scopes", choices=[SelectChoice(s, s) for s in SCOPES],
                                validators=[DataRequired("Choose at least one scope.")])
