"""Jinja filter: an actor ref shown as a name with its role."""
from app.core.actor_names import name


def actor_name(ref) -> str:
    return name(str(ref)) if ref else "—"
