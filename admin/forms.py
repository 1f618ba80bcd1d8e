"""Back-office forms. All derive from :class:`CleanForm` (Flask-WTF's FlaskForm), so they
carry the same CSRF token that the app-wide CSRFProtect checks before any view runs, and
refuse text that breaks app.core.text's rule (control characters, lone surrogates)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.apikeys.service import SCOPES
from app.core.text import MESSAGE, is_clean
from app.staff.models import ROLES


def _submitted_text(field) -> list[str]:
    """What the browser sent for ``field``, subfields included (FormField, FieldList)."""
    if hasattr(field, "entries"):
        return [v for entry in field.entries for v in _submitted_text(entry)]
    if hasattr(field, "form") and hasattr(field.form, "_fields"):
        return [v for sub in field.form for v in _submitted_text(sub)]
    return [v for v in (field.raw_data or ()) if isinstance(v, str)]


class CleanForm(FlaskForm):
    """Every field, whatever its type, is checked as submitted: the same rule as the
    API's (one function), reported as that field's error, so nothing is written."""

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for field in self:
            if not all(is_clean(value) for value in _submitted_text(field)):
                field.errors = [*field.errors, MESSAGE]
                ok = False
        return ok


class SecureForm(CleanForm):
    """``form_base_class`` for Flask-Admin model, delete and action forms.

    Flask-Admin's own SecureForm uses a different token format that CSRFProtect would
    refuse, hence Flask-WTF. ``_obj`` is kept because Flask-Admin validators read it.
    """

    def __init__(self, *args, **kwargs):
        self._obj = kwargs.get("obj")
        super().__init__(*args, **kwargs)


class LoginForm(CleanForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class TotpForm(CleanForm):
    code = StringField("Code from your authenticator app",
                       validators=[DataRequired(), Length(min=6, max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "autofocus": True})


class PasswordChangeForm(CleanForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("new_password",
                                                                "The passwords differ.")])


class LogoutForm(CleanForm):
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


class PreferencesForm(CleanForm):
    # Choices (every IANA zone) are set by the view.
    timezone = SelectField("Time zone", choices=[], validators=[DataRequired()])
