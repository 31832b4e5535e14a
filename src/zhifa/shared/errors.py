"""Domain errors. Entry points translate them: HTTP status, CLI exit code, form message."""

from __future__ import annotations


class ZhifaError(Exception):
    """Base class; `message` (Chinese) is shown to the user as is, `en` when the interface is English.

    A message without an English text shows in Chinese on English pages (never a crash)."""

    http_status = 400

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.en = en

    def text(self, lang: str) -> str:
        """The message in the interface language (`zh` | `en`)."""
        return self.en if lang == "en" and self.en else self.message


class ValidationFailed(ZhifaError):
    http_status = 422


class NotFound(ZhifaError):
    """Also raised for rows outside the actor's jurisdiction, so their existence is not revealed."""

    http_status = 404


class PermissionDenied(ZhifaError):
    http_status = 403


class Conflict(ZhifaError):
    http_status = 409


class IllegalTransition(Conflict):
    pass
