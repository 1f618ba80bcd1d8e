"""Finance forms (tax rates). Flask-WTF based, so they carry the CSRF token that the
app-wide CSRFProtect checks. Rates are typed as a percentage and kept Decimal."""
from __future__ import annotations

from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from admin.forms import SecureForm
from app.tax.service import CATEGORIES


class TaxRateForm(SecureForm):
    country = StringField("Country", validators=[DataRequired(), Regexp(
        r"^[A-Za-z]{2}$", message="A two-letter ISO 3166-1 code, e.g. DE.")],
        render_kw={"maxlength": 2, "placeholder": "DE", "autofocus": True})
    region = StringField("Region", validators=[Optional(), Length(max=10)],
                         render_kw={"placeholder": "optional, e.g. CA"})
    category = SelectField("Tax category",
                           choices=[SelectChoice(c, c.title()) for c in CATEGORIES],
                           validators=[DataRequired()])
    # DecimalField parses the text straight into a Decimal: no float on the way.
    rate_percent = DecimalField("Rate (%)", places=None,
                                validators=[InputRequired(), NumberRange(0, 99.99)],
                                render_kw={"placeholder": "19", "inputmode": "decimal"})
    name = StringField("Name", validators=[Optional(), Length(max=100)],
                       render_kw={"placeholder": "e.g. DE standard VAT"})
    valid_from = DateField("Valid from", validators=[DataRequired()])
    valid_to = DateField("Valid to (last day)", validators=[Optional()])


class EndRateForm(SecureForm):
    valid_to = DateField("Last day in force", validators=[DataRequired()])
