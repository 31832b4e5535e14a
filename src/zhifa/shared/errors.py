"""Domain errors. Entry points translate them: HTTP status, CLI exit code, form message."""

from __future__ import annotations


class ZhifaError(Exception):
    """Base class; `message` is shown to the user as is."""

    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
