"""Renderings kept by row version: bounded, aged out, and nothing kept for a row that
vanished between the page and its rendering."""
from __future__ import annotations

from app.core.renderings import Renderings


def _render(skip=()):
    return lambda ids: {i: ("1", i.encode()) for i in ids if i not in skip}


def test_kept_renderings_are_reused_and_a_new_version_is_rendered():
    kept, asked = Renderings(10), []

    def render(ids):
        asked.append(list(ids))
        return {i: ("2" if i == "b" else "1", i.encode() + b"!") for i in ids}

    # "b" was written between the page (version 1) and its rendering (version 2).
    assert kept.of([("a", "1"), ("b", "1")], render) == [b"a!", b"b!"]
    assert kept.of([("a", "1"), ("b", "2")], render) == [b"a!", b"b!"]
    assert asked == [["a", "b"]]  # kept under the version it was rendered from
    assert kept.of([("a", "3")], render) == [b"a!"]
    assert asked == [["a", "b"], ["a"]]  # a new version of "a" is rendered again


def test_a_row_deleted_between_the_two_reads_is_left_out():
    assert Renderings(10).of([("a", "1"), ("b", "1"), ("c", "1")], _render(skip="b")) == [
        b"a", b"c"]


def test_renderings_are_bounded_first_in_first_out_and_age_out():
    kept = Renderings(3)
    kept.of([(str(i), "1") for i in range(5)], _render())
    assert list(kept._local) == [("2", "1"), ("3", "1"), ("4", "1")]
    kept._epoch -= 1  # a max_age period has passed
    kept._expire()
    assert kept._local == {}


def test_a_key_function_picks_id_and_version():
    rows = [("a", "2026-01-01", "7")]
    assert Renderings(3).of(rows, _render(), key=lambda row: (row[0], row[2])) == [b"a"]
