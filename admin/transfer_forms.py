"""Bank transfer entry (finance): the amount is typed in major units as on the bank
statement and converted exactly (admin/views/money.py); never a float."""
from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from admin.forms import SecureForm


class BankTransferForm(SecureForm):
    amount = StringField("Amount", validators=[DataRequired()],
                         render_kw={"placeholder": "120.00", "inputmode": "decimal"})
    currency = StringField("Currency", validators=[DataRequired(), Regexp(
        r"^[A-Za-z]{3}$", message="A three-letter ISO 4217 code, e.g. EUR.")],
        render_kw={"maxlength": 3, "placeholder": "EUR"})
    reference = StringField("Reference", validators=[DataRequired(), Length(max=140)],
                            render_kw={"placeholder": "as on the statement, e.g. INV-2026-000042"})
    value_date = DateField("Value date", validators=[DataRequired()])
    payer_name = StringField("Payer", validators=[DataRequired(), Length(max=200)])
    note = StringField("Note", validators=[Optional(), Length(max=500)])
