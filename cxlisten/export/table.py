"""What an export hands to the writers: its columns and its rows, in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from cxlisten.export.filters import Filters
from cxlisten.storage.exports import Column  # declared once, beside the SQL that reads it

__all__ = ["Batches", "Column", "Table"]

Batches = Iterator[list[tuple]]


@dataclass
class Table:
    """An export ready to stream: the columns and, lazily, the rows in batches."""

    name: str
    columns: list[Column]
    batches: Iterable[list[tuple]]
    filters: Filters
    rows: int = 0
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def counted(self) -> Batches:
        """Yield the batches, counting rows into ``rows``."""
        for batch in self.batches:
            self.rows += len(batch)
            yield batch

    def on_close(self, fn: Callable[[], None]) -> None:
        self._closers.append(fn)

    def close(self) -> None:
        """Stop the query (if still running) and release what the export holds."""
        close = getattr(self.batches, "close", None)
        if close:
            close()
        for fn in reversed(self._closers):
            fn()
        self._closers.clear()
