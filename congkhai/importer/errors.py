"""The importer's refusals: what a clerk is told when a file cannot be read, in two languages.

``SourceError`` carries a Vietnamese and an English message that say what to do; ``LimitError``
is a refusal by one of the declared limits (:mod:`congkhai.limits`). Both pickle whole, so the
import's child process (:mod:`.sandbox`) can send them back.
"""

from __future__ import annotations

from typing import Any

from ..model.errors import CongkhaiError
from ..model.limits import Limit

_SAVE_AS_DOCX = "Mở tệp bằng Word, chọn Lưu thành (Save As) định dạng .docx, rồi thử lại."
_SAVE_AS_DOCX_EN = "Open the file in Word, choose Save As .docx, and try again."


class SourceError(CongkhaiError):
    """A source file that cannot be read, with messages for the clerk in Vietnamese and English."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en)

    def __str__(self) -> str:
        return self.message_vi

    def __reduce__(self) -> tuple[Any, ...]:  # sent back whole from the import's child process
        return (SourceError, (self.message_vi, self.message_en))


class LimitError(SourceError):
    """A file refused by one of the declared limits (:mod:`congkhai.limits`), before the work it
    would cost: the message names the limit, the file's value and how to split the document."""

    def __init__(self, limit: Limit, name: str, actual: float | None = None, part: str = "") -> None:
        super().__init__(*limit.refusal(name, actual, part))
        self.limit = limit
        self.actual = actual
        self._args = (limit, name, actual, part)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LimitError, self._args)
