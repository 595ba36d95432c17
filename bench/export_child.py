"""One timed run of ``bench.export``, in a fresh interpreter so its peak memory is its own.

    python -m bench.export_child baseline|export DATABASE OUT.csv

Prints: rows, seconds, peak resident KB (VmHWM), resident KB after imports, CPU seconds. The
baseline imports only the standard library; the export's imports (cxlisten) happen before the
clock starts, and only in the export's child, so neither figure pays for the other.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import time


def peak_kb(field: str = "VmHWM:") -> int:
    """Return this process's peak resident memory (or another /proc status field) in KB.

    VmHWM counts the exec'd image only; rusage would also count the forked parent's pages.
    """
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))


def baseline(db: str, out: str) -> int:
    """Write every event row to OUT with a bare sqlite3 + csv.writer loop; return the rows."""
    conn = sqlite3.connect(db)
    rows = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in conn.execute("SELECT * FROM events"):
            writer.writerow(row)
            rows += 1
    return rows


def export():
    """Import cxlisten; return the run that writes the ``events`` export as ``cxlisten export``."""
    from cxlisten.export import open_export, write_file
    from cxlisten.storage.db import open_database

    def run(db: str, out: str) -> int:
        table = open_export(open_database(db, readonly=True), "events", {})
        return write_file(table, out, "csv")

    return run


def main(argv: list[str]) -> None:
    run = baseline if argv[0] == "baseline" else export()
    db, out = argv[1], argv[2]
    ready = peak_kb("VmRSS:")
    start, cpu = time.perf_counter(), time.process_time()
    rows = run(db, out)
    print(rows, time.perf_counter() - start, peak_kb(), ready, time.process_time() - cpu)


if __name__ == "__main__":
    main(sys.argv[1:])
