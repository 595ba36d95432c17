"""What classifying a User-Agent the collector has not seen costs, against the plain parser.

    python -m bench.useragent_cost [--strings 400]

A stream of distinct real Android strings from people (Matomo Device Detector's fixtures,
tests/corpora.py), each classified once, as the collector does for a User-Agent that is not in
its cache. CPU time per string (``time.process_time``), for:

- the baseline: ``user_agents.parse`` alone (uap-core), measured in the same run;
- before: the plain parser plus Device Detector as cxlisten ran it until now (every device
  parser of Device Detector, on the string as sent);
- now: ``cxlisten.useragent.describe`` (Device Detector's phone/tablet parser only, cached by
  the string with browser versions cut to the major number);
- now, a new browser release: the same strings with every browser's last version digit moved
  on, as a stream of updated browsers on models already seen looks.

Each figure is also printed as a ratio to the baseline. The one-time load (Device Detector's
lists) is timed apart.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import user_agents  # noqa: E402
from device_detector import DeviceDetector  # noqa: E402
from ua_parser import user_agent_parser  # noqa: E402

from cxlisten import devices, useragent  # noqa: E402
from tests import corpora  # noqa: E402


def _android_people(count: int) -> list[str]:
    strings = [
        a.user_agent
        for a in corpora.user_agents()
        if not a.bot and a.browser and "Android" in a.user_agent
    ]
    strings = list(dict.fromkeys(strings))
    step = max(1, len(strings) // count)
    return strings[::step][:count]


def _before(ua: str) -> str:
    """The classification as it was: every Device Detector device parser, on the whole string."""
    parsed = user_agents.parse(ua)
    detector = DeviceDetector(ua[:1000], skip_bot_detection=True, check_cache=False)
    detector.parse_os()
    detector.parse_device()
    return devices.classify(
        ua,
        model=str(detector.device_type() or ""),
        tablet=parsed.is_tablet,
        mobile=parsed.is_mobile,
    )


def _cold() -> None:
    """Empty every cache, so each string costs what an unseen one does."""
    getattr(user_agent_parser, "_PARSE_CACHE", {}).clear()
    useragent.describe.cache_clear()
    useragent._model_of.cache_clear()


def _cpu(fn, strings: list[str]) -> float:
    start = time.process_time()
    for ua in strings:
        fn(ua)
    return (time.process_time() - start) / len(strings)


def _next_release(ua: str) -> str:
    cut = ua.find(")") + 1  # the system's versions ("Android 9") stay
    bump = re.sub(r"(\d+\.\d+(?:\.\d+)*\.)(\d+)\b", lambda m: f"{m[1]}{int(m[2]) + 1}", ua[cut:])
    return ua[:cut] + bump


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strings", type=int, default=400)
    count = parser.parse_args().strings
    start = time.process_time()
    warm = _android_people(count + 20)
    strings, warm = warm[:count], warm[count:]
    for ua in warm:  # the one-time load of both libraries' lists, on other strings
        _before(ua)
        useragent.describe(ua)
    print(f"one-time load: {time.process_time() - start:.1f} s CPU (corpus reading included)")
    _cold()
    base = _cpu(user_agents.parse, strings)
    _cold()
    before = _cpu(_before, strings)
    _cold()
    now = _cpu(useragent.describe, strings)
    useragent.describe.cache_clear()  # models stay known: only the browsers moved on
    getattr(user_agent_parser, "_PARSE_CACHE", {}).clear()
    released = _cpu(useragent.describe, [_next_release(ua) for ua in strings])
    changed = [ua for ua in strings if _before(ua) != useragent.describe(ua).kind]
    print(f"{count} distinct Android strings from people, CPU per string:")
    print(f"  {'user_agents.parse (baseline)':40s} {1000 * base:7.2f} ms   1.0x")
    for name, took in (
        ("before: + Device Detector, all parsers", before),
        ("now: describe(), unseen model", now),
        ("now: describe(), new browser release", released),
    ):
        print(f"  {name:40s} {1000 * took:7.2f} ms {took / base:5.1f}x")
    print(f"  same class before and now: {count - len(changed)} of {count}")
    for ua in changed:
        print(f"    {_before(ua)} -> {useragent.describe(ua).kind}: {ua}")


if __name__ == "__main__":
    main()
