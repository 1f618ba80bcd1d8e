"""A throw-away PostgreSQL database for the bench, dropped and recreated on every run."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import psycopg2

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _admin_dsn(server_url: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme.split("+")[0], parts.netloc, "/postgres", "", ""))


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(("postgresql", parts.netloc, "/" + name, "", ""))


def _execute(server_url: str, *statements: str) -> None:
    conn = psycopg2.connect(_admin_dsn(server_url), connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    finally:
        conn.close()


def recreate(server_url: str, name: str) -> str:
    """Drop (terminating leftover connections) and create database ``name``; returns its URL."""
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    _execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
             f'CREATE DATABASE "{name}"')
    return database_url(server_url, name)


def drop(server_url: str, name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    _execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
