"""Back-office forms for webhook endpoints (validation of content is the service's)."""
from __future__ import annotations

from wtforms import EmailField, HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from admin.forms import MultiCheckboxField, SecureForm
from app.webhooks.types import NAMES


class WebhookEndpointForm(SecureForm):
    url = StringField("URL", validators=[DataRequired(), Length(max=2048)])
    event_types = MultiCheckboxField("Event types", choices=[SelectChoice(n, n) for n in NAMES],
                                     validators=[DataRequired("Choose at least one type.")])
    contact_email = EmailField("Contact email (told when it is disabled)",
                               validators=[DataRequired(), Length(max=254)])
    description = StringField("Description", validators=[Length(max=200)])


class WebhookActionForm(SecureForm):
    id = HiddenField(validators=[DataRequired()])
    action = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[Length(max=300)])
    event_id = StringField("Event id", validators=[Length(max=64)])
