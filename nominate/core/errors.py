"""Domain errors: every refusal carries a stable code, a Chinese message and the field it concerns."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request; nothing was changed."""

    status = 400

    def __init__(self, code: str, message: str, field: str | None = None, *, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "field": self.field}
        if self.details is not None:
            body["details"] = self.details
        return body

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"[{self.code}] {self.message}"


class ValidationFailed(DomainError):
    """Input data breaks a field rule."""

    status = 422


class GuardRefused(DomainError):
    """A workflow guard refused an event."""

    status = 409


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您无权执行此操作", code: str = "forbidden", field=None):
        super().__init__(code, message, field)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "记录不存在", code: str = "not_found"):
        super().__init__(code, message)


class MultipleErrors(ValidationFailed):
    """Several field errors at once (forms show each next to its field)."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.code, first.message, first.field,
                         details=[e.to_dict() for e in errors])
        self.errors = errors
