"""The one error the library raises: what failed and what to do, in Vietnamese and English.

Library code either returns findings (a plan or a table that is wrong: :mod:`.findings`) or raises
:class:`CongkhaiError` (the run cannot go on: a revision that does not exist, an output folder that
must not be replaced, MkDocs or the search indexer failing, a Word file that cannot be read). The
command line is the only place that prints it, in the language asked for with ``--lang``, and
returns its exit code — so a clerk never sees a traceback or "internal error" for a failure the
program knows about.
"""

from __future__ import annotations

from typing import Any

#: Exit codes, as the README documents them: 1 the input or the build failed, 2 a usage error.
FAILED = 1
USAGE = 2


class CongkhaiError(Exception):
    """A failure the user can act on: ``message(lang)`` says what failed and what to do."""

    def __init__(self, message_vi: str, message_en: str, exit_code: int = FAILED) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en
        self.exit_code = exit_code

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def __str__(self) -> str:  # logs and tests see both languages
        return f"{self.message_vi} / {self.message_en}" if self.message_en != self.message_vi else self.message_vi

    def __reduce__(self) -> tuple[Any, ...]:  # pickles whole (the import's child process sends it back)
        return (CongkhaiError, (self.message_vi, self.message_en, self.exit_code))
