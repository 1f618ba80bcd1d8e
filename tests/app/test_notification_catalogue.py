"""The German catalogue covers every message the templates say, now: a msgid changed in a
template and not re-extracted (see app/notifications/babel.cfg for the pybabel commands)
would fall back to English in a German message, and a .po edited without compiling
would not be read at all (Flask-Babel reads the .mo)."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "notifications"
TRANSLATIONS = PACKAGE / "translations"


def _said_by_templates() -> set:
    with open(PACKAGE / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message for *_, message, _, _ in
            extract_from_dir(str(PACKAGE), method_map, options_map)}


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def test_the_template_and_the_german_catalogue_hold_every_message_the_templates_say():
    said = _said_by_templates()
    assert said, "nothing extracted: the babel.cfg mapping no longer finds the templates"
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        assert _ids(read_po(pot)) == said
    with open(TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po", "rb") as po:
        german = read_po(po, locale="de")
    assert _ids(german) == said


def test_every_german_message_is_translated_checked_and_compiled():
    with open(TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po", "rb") as po:
        german = read_po(po, locale="de")
    assert [m.id for m in german if m.id and (m.fuzzy or not m.string)] == []
    assert [(m.id, errors) for m, errors in german.check()] == []  # placeholders match
    with open(TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = read_mo(mo)
    assert {m.id: m.string for m in compiled if m.id} == \
        {m.id: m.string for m in german if m.id}
