"""The message templates: Jinja files shipped in this package, rendered in the
recipient's language (Flask-Babel catalogues in ./translations) where one exists.

An email template ``<name>.email.jinja`` has three blocks, ``subject``, ``text`` and
``html``; an SMS template ``<name>.sms.jinja`` is the message. Every variable a template
names is required (StrictUndefined): a missing one is refused when the message is
queued, not discovered by the customer as an empty gap. Amounts and dates come in as
values and are formatted here, in the message's language (app.notifications.localise).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import jinja2
from flask_babel import force_locale, gettext, ngettext
from jinja2 import meta

from app.core.errors import InvalidInput
from app.notifications.localise import localise

LOCALES = ("en", "de")  # English is the source; each other one has a catalogue
SECRET_PLACEHOLDER = "[hidden]"


@dataclass(frozen=True)
class Spec:
    channels: frozenset[str]
    # Context values that are secrets (link tokens, phone codes): sent, never shown to
    # staff nor kept once the message is out; resending needs a fresh one (a new request).
    secrets: tuple[str, ...] = ()
    # Reminders carry List-Unsubscribe (RFC 2369/8058); transactional mail does not.
    unsubscribe: bool = False


EMAIL, SMS, BOTH = frozenset({"email"}), frozenset({"sms"}), frozenset({"email", "sms"})

TEMPLATES: dict[str, Spec] = {
    "email_verification": Spec(EMAIL, secrets=("link", "token")),
    "password_reset": Spec(EMAIL, secrets=("link", "token")),
    "registration_attempt": Spec(EMAIL),
    "order_confirmation": Spec(BOTH),
    "invoice_sent": Spec(EMAIL),
    "payment_receipt": Spec(EMAIL),
    "payment_failed": Spec(BOTH),
    "refund_issued": Spec(EMAIL),
    "credit_note_issued": Spec(EMAIL),
    "overdue_reminder": Spec(EMAIL, unsubscribe=True),
    "fraud_review_outcome": Spec(EMAIL),
    "invoice_link": Spec(SMS, secrets=("link",)),
    "phone_code": Spec(SMS, secrets=("code",)),
    "webhook_disabled": Spec(EMAIL),
    "staff_mfa_link": Spec(EMAIL, secrets=("link",)),
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("app.notifications", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env


ENV = _env()


def spec(name: str) -> Spec:
    if name not in TEMPLATES:
        raise InvalidInput(f"Unknown template {name!r}.", errors={"template": ["Unknown template."]})
    return TEMPLATES[name]


@functools.cache
def variables(name: str, channel: str) -> frozenset[str]:
    """The context a template needs: every name it reads that is not set inside it."""
    source = ENV.loader.get_source(ENV, _file(name, channel))[0]
    return frozenset(meta.find_undeclared_variables(ENV.parse(source)) - set(ENV.globals))


def _file(name: str, channel: str) -> str:
    return f"{name}.{channel}.jinja"


def check(name: str, channel: str, context: dict) -> None:
    if channel not in spec(name).channels:
        raise InvalidInput(f"Template {name!r} has no {channel} version.",
                           errors={"channels": [f"{name} is not sent by {channel}."]})
    missing = sorted(variables(name, channel) - set(context))
    if missing:
        raise InvalidInput(f"Template {name!r} is missing variables: {', '.join(missing)}.",
                           errors={"context": [f"Missing: {m}." for m in missing]})


def locale_for(wanted: str | None) -> str:
    lang = (wanted or "en").replace("-", "_").split("_")[0].lower()
    return lang if lang in LOCALES else "en"


def render(name: str, channel: str, context: dict, locale: str) -> Rendered:
    check(name, channel, context)
    template = ENV.get_template(_file(name, channel))
    context = localise(context, locale)  # amounts and dates as this reader writes them
    with force_locale(locale):
        if channel == "sms":
            return Rendered("", " ".join(template.render(context).split()), None)
        ctx = template.new_context(dict(context))

        def block(key: str) -> str:
            return "".join(template.blocks[key](ctx))

        subject = " ".join(block("subject").split())  # one line, whatever the template did
        return Rendered(subject, block("text").strip() + "\n", block("html").strip() + "\n")


def redacted(name: str, channel: str, context: dict, locale: str) -> Rendered:
    """The same message with its secrets replaced: what staff may see."""
    hidden = {k: SECRET_PLACEHOLDER for k in spec(name).secrets if k in context}
    return render(name, channel, {**context, **hidden}, locale) if hidden else \
        render(name, channel, context, locale)


def warm() -> None:
    """Compile every template now (a worker does it once before forking its work
    horses, which then share the compiled code instead of compiling per job)."""
    for name, item in TEMPLATES.items():
        for channel in item.channels:
            ENV.get_template(_file(name, channel))
            variables(name, channel)
