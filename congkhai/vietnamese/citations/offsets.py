"""Offsets back to the caller's string: the parsers read NFC text, callers slice their own.

Callers cut ``text[c.start:c.end]`` out of whatever they passed in, often NFD (Word exports) or
with the look-alike ``Ð``. The parsers work on one normalised copy, so every span they find is
mapped back here through the starter/combining-mark segments of the original.
"""

from __future__ import annotations

import bisect
import unicodedata

from congkhai.vietnamese.text import LOOKALIKE_D, nfc


class NormalisedText:
    """Map offsets in the NFC text back to the caller's string (identity when already NFC)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm_starts: list[int] | None = None
        self.orig_starts: list[int] = []
        if unicodedata.is_normalized("NFC", text):
            self.norm = nfc(text)
            return
        target = nfc(text)
        for split in (self._starter_bounds, self._ascii_bounds):
            bounds = split(text)
            parts = [
                unicodedata.normalize("NFC", text[a:b]) for a, b in zip(bounds, bounds[1:] + [len(text)], strict=True)
            ]
            joined = "".join(parts)
            for bad, good in LOOKALIKE_D.items():
                joined = joined.replace(bad, good)
            if joined == target:
                self.orig_starts = bounds
                starts, acc = [], 0
                for p in parts:
                    starts.append(acc)
                    acc += len(p)
                self.norm_starts = starts
                break
        else:  # cannot happen for valid Unicode; keep a coarse but safe mapping
            self.orig_starts, self.norm_starts = [0], [0]
        self.norm = target

    @staticmethod
    def _starter_bounds(text: str) -> list[int]:
        return [i for i, ch in enumerate(text) if i == 0 or not unicodedata.combining(ch)]

    @staticmethod
    def _ascii_bounds(text: str) -> list[int]:
        return [i for i, ch in enumerate(text) if i == 0 or ord(ch) < 128]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.norm_starts is None:
            return start, end
        k = bisect.bisect_right(self.norm_starts, start) - 1
        o_start = self.orig_starts[max(k, 0)]
        j = bisect.bisect_right(self.norm_starts, max(end - 1, start)) - 1
        j = max(j, 0)
        o_end = self.orig_starts[j + 1] if j + 1 < len(self.orig_starts) else len(self.text)
        return o_start, max(o_end, o_start)
