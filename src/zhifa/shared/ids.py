"""Identifiers: opaque ids for rows, short codes people can read out."""

from __future__ import annotations

import secrets
import uuid

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O/1/I: read out over a phone


def new_id() -> str:
    return uuid.uuid4().hex


def receipt_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
