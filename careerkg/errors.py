"""The one error hierarchy; ``api/`` maps it to HTTP status codes."""


class CareerKGError(Exception):
    """Root of every error careerkg raises on purpose."""

    code = "error"


class InvalidInput(CareerKGError):
    """The caller sent something unusable (bad guide, bad query, bad parameter)."""

    code = "invalid_input"


class NotFound(CareerKGError):
    """An unknown document, entity or resource."""

    code = "not_found"


class TooLarge(InvalidInput):
    """Input over a configured size limit."""

    code = "too_large"


class Duplicate(CareerKGError):
    """The guide's text is identical to a document already ingested under another id.

    Attributes:
        existing_id: the id of that document.
    """

    code = "duplicate"

    def __init__(self, message: str, existing_id: str = "") -> None:
        super().__init__(message)
        self.existing_id = existing_id


class Unauthorized(CareerKGError):
    """Missing or wrong credentials."""

    code = "unauthorized"


class Forbidden(CareerKGError):
    """The operation is not allowed (writes disabled, SPARQL update)."""

    code = "forbidden"


class QueryTimeout(CareerKGError):
    """A query ran past its time limit and was stopped."""

    code = "timeout"


class Overloaded(CareerKGError):
    """Too much work in flight; try again later."""

    code = "overloaded"


class StoreError(CareerKGError):
    """A backing store failed (disk, server, model)."""

    code = "store_error"


class LLMError(CareerKGError):
    """The configured LLM failed or timed out."""

    code = "llm_error"
