"""Shallow scroll: the ``shallow`` signal of the problem score (``cxlisten.diagnose``).

The snippet reports each page view's deepest scroll in percent (``sdk_js/src/pages.js``; a page
no taller than the window counts as seen whole, 100), and the session summary keeps the deepest
per step (``scroll``, aligned with ``steps``; 0 where no dwell event arrived: not measured).

A visit is **shallow** when it never scrolled past ``SHALLOW_SCROLL`` (25%) of the page. Some
shallow visits are normal everywhere, so a step is measured against the site: its *excess* is its
share of shallow visits minus the share of shallow page views on the whole site. The signal is
the worst measured step's excess, left out (None) when no step is ``SHALLOW_MARGIN`` (5 points)
above the site — so a site where nobody scrolls less on one step than elsewhere hears nothing
of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from cxlisten.results import Message

__all__ = ["SHALLOW_MARGIN", "SHALLOW_SCROLL", "SiteScroll", "StepScroll"]

SHALLOW_SCROLL = 25
SHALLOW_MARGIN = 0.05
MIN_VISITS = 10  # a step needs this many measured visits before its share counts
MAX_SEEN = 100_000  # distinct scroll lists remembered while reading one window


@dataclass
class SiteScroll:
    """The site's measured page views and the shallow ones among them."""

    measured: int = 0
    shallow: int = 0
    # Distinct scroll lists repeat (diagnose's hot loop): JSON text -> (depths, measured, shallow)
    _seen: dict = field(default_factory=dict, repr=False)

    def add(self, scroll_json: str) -> list[int]:
        """Fold one session's per-step scroll depths (the summary's JSON text) in; return them."""
        hit = self._seen.get(scroll_json)
        if hit is None:
            depths = json.loads(scroll_json)
            shallow = sum(1 for d in depths if 0 < d <= SHALLOW_SCROLL)
            hit = (depths, sum(1 for d in depths if d), shallow)
            if len(self._seen) < MAX_SEEN:
                self._seen[scroll_json] = hit
        self.measured += hit[1]
        self.shallow += hit[2]
        return hit[0]

    @property
    def share(self) -> float:
        """The share of the site's measured page views that were shallow."""
        return self.shallow / self.measured if self.measured else 0.0

    def merge(self, other: SiteScroll) -> None:
        """Add OTHER's counts (other sessions) to these."""
        self.measured += other.measured
        self.shallow += other.shallow

    def to_json(self) -> list[int]:
        """Return the counts as JSON (a stored day, ``cxlisten.diagnosis_days``)."""
        return [self.measured, self.shallow]

    @classmethod
    def from_json(cls, data: list[int]) -> SiteScroll:
        """Return the counts ``to_json`` stored as DATA."""
        measured, shallow = data
        return cls(measured, shallow)


class StepScroll:
    """One journey's measured and shallow first visits per step."""

    def __init__(self, steps: int):
        self.measured = [0] * steps
        self.shallow = [0] * steps

    def add(self, positions: tuple[tuple[int, int], ...], scroll: list[int]) -> None:
        """Fold one session's first visit to each step (journey step, page index) in."""
        n = len(scroll)
        for k, i in positions:
            depth = scroll[i] if i < n else 0
            if depth:
                self.measured[k] += 1
                self.shallow[k] += depth <= SHALLOW_SCROLL

    def merge(self, other: StepScroll) -> None:
        """Add OTHER's counts (the same journey, other sessions) to these."""
        for k in range(len(self.measured)):
            self.measured[k] += other.measured[k]
            self.shallow[k] += other.shallow[k]

    def to_json(self) -> list[list[int]]:
        """Return the counts as JSON (a stored day, ``cxlisten.diagnosis_days``)."""
        return [self.measured, self.shallow]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> StepScroll:
        """Return the counts ``to_json`` stored as DATA."""
        measured, shallow = data
        counts = cls(len(measured))
        counts.measured, counts.shallow = list(measured), list(shallow)
        return counts

    def share(self, k: int) -> float:
        """The share of step K's measured visits that were shallow."""
        return round(self.shallow[k] / self.measured[k], 4) if self.measured[k] else 0.0

    def worst(self, site: SiteScroll) -> tuple[int, float] | None:
        """Return (step, excess over the site) of the worst step, or None below the margin."""
        excess = [
            (self.share(k) - site.share, k)
            for k in range(len(self.measured))
            if self.measured[k] >= MIN_VISITS
        ]
        if not excess or max(excess)[0] < SHALLOW_MARGIN:
            return None
        value, k = max(excess)
        return k, round(value, 4)

    def evidence(self, steps: Sequence[str], site: SiteScroll) -> list[Message]:
        """Return the sentence for the worst step, if it is shallow beyond the site's norm."""
        worst = self.worst(site)
        if worst is None:
            return []
        k = worst[0]
        return [
            Message(
                "evidence.shallow",
                share=f"{self.share(k) * 100:.0f}%",
                step=steps[k],
                depth=f"{SHALLOW_SCROLL}%",
                site=f"{site.share * 100:.0f}%",
            )
        ]
