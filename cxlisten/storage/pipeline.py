"""A PostgreSQL transaction's statements, queued and sent together: one write per flight.

psycopg's pipeline sends each statement the moment it is executed: a write to the socket and
two polls per statement on the collector, and a wake-up of the server's backend per statement.
Measured on a collector batch (ten events, its session and visitor), that machinery cost more
CPU than the statements themselves. Here a transaction queues its statements (their parameters
dumped at once, so what a caller changes later is not sent) and sends the queue, in libpq's
pipeline mode and with one write, only when a result is needed: a row, ``rowcount`` or
``lastrowid`` read, ``total_changes``, or the end of the block. That is a *flight*. A
collector batch is two: ``BEGIN`` with its reads, then its writes with ``COMMIT``.

What does not change: statements run in the order they were executed, in one transaction; the
block returns only once the server has answered everything, ``COMMIT`` included; an error in
any statement is raised (at the read that meets it, or at the end of the block) and rolls the
whole transaction back. A statement used twice on a connection is prepared there, so the server
plans it once (at most ``PREPARED_MAX`` per connection; others are planned at each use).
"""

from __future__ import annotations

import select
from functools import lru_cache

import psycopg
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

__all__ = ["Flights", "Statement", "column_names"]

PREPARED_MAX = 256
# Statements queued but unread are sent once this many wait: memory stays bounded in a long
# write block (an import, a copy) that reads nothing.
FLIGHT_MAX = 500
_SYNC = pq.ExecStatus.PIPELINE_SYNC
_FATAL = pq.ExecStatus.FATAL_ERROR
_ABORTED = pq.ExecStatus.PIPELINE_ABORTED
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_BEGIN, _COMMIT = b"BEGIN", b"COMMIT"
_REGISTRY = "_cxlisten_prepared"  # the attribute of a connection that holds its _Prepared


class _Prepared:
    """The statements prepared on one connection: {(query, parameter types): name}, and the
    connection's Transformer (its dumpers and loaders, made once).

    A name is never reused on its connection, so none is ever prepared twice; SEEN holds the
    statements used once so far (bounded: cleared when full).
    """

    __slots__ = ("names", "seen", "made", "transformer")

    def __init__(self, conn: psycopg.Connection):
        self.names: dict[tuple, bytes] = {}
        self.seen: set[tuple] = set()
        self.made = 0
        self.transformer = Transformer(conn)

    def name_for(self, key: tuple) -> tuple[bytes | None, bool]:
        """Return KEY's name (None: send it unprepared) and whether to prepare it now."""
        name = self.names.get(key)
        if name is not None:
            return name, False
        if key not in self.seen or len(self.names) >= PREPARED_MAX:
            if len(self.seen) >= PREPARED_MAX * 4:
                self.seen.clear()
            self.seen.add(key)
            return None, False
        self.made += 1
        name = self.names[key] = b"_cx_%d" % self.made
        return name, True


class Statement:
    """A statement of a transaction (or, for ``executemany``, one per row) and its results.

    RETURNING: the statement's first row's first column is ``lastrowid``; CHANGES: its rows
    count toward ``total_changes``.
    """

    __slots__ = ("flights", "parts", "returning", "changes", "rows", "rowcount", "columns")
    __slots__ += ("error", "landed")

    def __init__(self, flights: Flights, parts: list, returning: bool, changes: bool):
        self.flights, self.parts = flights, parts
        self.returning, self.changes = returning, changes
        self.rows: list[tuple] = []
        self.rowcount = 0
        self.columns: pq.abc.PGresult | tuple = ()
        self.error: BaseException | None = None
        self.landed = False

    def results(self) -> tuple[list[tuple], int, int | None, tuple[str, ...]]:
        """Return (rows, rowcount, lastrowid, columns), sending the flight it waits in."""
        if not self.landed:
            self.flights.send()
        if self.error is not None:
            raise self.error
        if self.returning:
            return [], self.rowcount, self.rows[0][0] if self.rows else None, ()
        return self.rows, self.rowcount, None, self.columns


class Flights:
    """The statements of one transaction on CONN, sent in flights; COUNT(n) is told the rows
    each writing statement changed, as its results arrive."""

    def __init__(self, conn: psycopg.Connection, count, *, explicit: bool = True):
        self.conn, self.pgconn, self.count = conn, conn.pgconn, count
        self.explicit = explicit  # BEGIN ... COMMIT; else one flight, its own transaction
        self.queue: list[Statement] = []
        self.error: BaseException | None = None  # the first statement that failed, if any
        self.begun = False  # BEGIN was sent
        self.prepared = _registry(conn)
        self.transformer = self.prepared.transformer

    def add(self, text: str, rows: list, returning: bool = False, changes: bool = False):
        """Queue TEXT (numbered placeholders) for each parameter row of ROWS; return it."""
        query = _encoded(text)
        transformer, formats = self.transformer, [PyFormat.AUTO] * len(rows[0])
        parts = []
        for params in rows:
            if not params:
                parts.append((query, None, (), None))
                continue
            values = transformer.dump_sequence(params, formats)
            parts.append((query, values, transformer.types, transformer.formats))
        statement = Statement(self, parts, returning, changes)
        self.queue.append(statement)
        if len(self.queue) >= FLIGHT_MAX:
            self.send()
        return statement

    def send(self, *, commit: bool = False) -> None:
        """Send the queued statements (and COMMIT) as one flight; hand each its results."""
        queue, self.queue = self.queue, []
        if not queue and not commit:
            return
        pg = self.pgconn
        expected: list = []  # what each result answers: a Statement, a prepared key, None
        if not self.begun:
            pg.enter_pipeline_mode()
            self.begun = True
            if self.explicit:
                pg.send_query_params(_BEGIN, None)
                expected.append(None)
        for statement in queue:
            for part in statement.parts:
                self._send(part, expected)
                expected.append(statement)
        if commit:
            pg.send_query_params(_COMMIT, None)
            expected.append(None)
        pg.pipeline_sync()
        self._flush()
        self._land(queue, expected, self._read())

    def commit(self) -> None:
        """Send COMMIT with what is queued; raise the first error of the transaction."""
        if not self.begun and not self.queue:
            return  # nothing was executed: nothing to begin or commit
        self.send(commit=True)
        if self.error is not None:
            raise self.error
        self.pgconn.exit_pipeline_mode()

    def alone(self) -> None:
        """Send what is queued as one flight outside any block: the server runs it as one
        transaction of its own (committed at the flight's end, as in autocommit)."""
        try:
            self.send()
        finally:
            self._leave()

    def _leave(self) -> None:
        """Leave pipeline mode; a connection that cannot is closed (the pool replaces it)."""
        pg = self.pgconn
        if not self.begun or pg.status != pq.ConnStatus.OK:
            return
        try:
            pg.exit_pipeline_mode()
        except psycopg.Error:
            self.conn.close()

    def abort(self) -> None:
        """End a failed transaction: the unsent is dropped, what was begun rolled back."""
        unsent = psycopg.InterfaceError("the transaction failed before this statement was sent")
        for statement in self.queue:
            statement.error, statement.landed = self.error or unsent, True
        self.queue = []
        conn, pg = self.conn, self.pgconn
        if not self.begun or conn.closed or pg.status != pq.ConnStatus.OK:
            return
        try:
            if pg.pipeline_status != pq.PipelineStatus.OFF:
                pg.exit_pipeline_mode()
            conn.execute("ROLLBACK", prepare=False)
        except psycopg.Error:  # a connection in no state to go back to the pool: close it
            conn.close()

    def _send(self, part, expected: list) -> None:
        query, values, types, formats = part
        key = (query, types)
        name, prepare = self.prepared.name_for(key)
        if prepare:
            self.pgconn.send_prepare(name, query, types)
            expected.append(key)
        if name is None:
            self.pgconn.send_query_params(query, values, types, formats)
        else:
            self.pgconn.send_query_prepared(name, values, formats)

    def _flush(self) -> None:
        pg = self.pgconn
        while pg.flush() == 1:
            if _wait(pg.socket, select.POLLOUT | select.POLLIN) & select.POLLIN:
                pg.consume_input()

    def _read(self) -> list[pq.abc.PGresult]:
        """Return one result per query sent, up to the flight's sync."""
        pg, results = self.pgconn, []
        while True:
            while pg.is_busy():
                _wait(pg.socket, select.POLLIN)
                pg.consume_input()
            result = pg.get_result()
            if result is None:
                continue  # the end of one query's results
            if result.status == _SYNC:
                return results
            results.append(result)

    def _land(self, queue: list[Statement], expected: list, results: list) -> None:
        encoding = self.conn.info.encoding
        for answers, result in zip(expected, results, strict=True):
            status = result.status
            error = None
            if status == _FATAL:
                error = psycopg.errors.error_from_result(result, encoding=encoding)
                self.error = self.error or error
                if isinstance(error, psycopg.errors.InvalidSqlStatementName):
                    self.prepared.names.clear()  # the server's were dropped: prepare anew
            if isinstance(answers, tuple):  # a statement prepared in this flight, or not
                if status != pq.ExecStatus.COMMAND_OK:
                    self.prepared.names.pop(answers, None)
                continue
            if answers is None:  # BEGIN, COMMIT
                continue
            _take(answers, result, error or (self.error if status == _ABORTED else None))
        for statement in queue:
            statement.landed = True
            if statement.changes and statement.error is None:
                self.count(statement.rowcount)


def _take(statement: Statement, result, error: BaseException | None) -> None:
    """Add one result (of one of STATEMENT's parts) to STATEMENT."""
    if error is not None:
        statement.error = statement.error or error
        return
    tuples = result.command_tuples
    statement.rowcount += int(tuples) if tuples is not None else 0
    if result.status == _TUPLES_OK or result.nfields:
        transformer = statement.flights.transformer
        transformer.set_pgresult(result)
        statement.rows.extend(transformer.load_rows(0, result.ntuples, tuple))
        statement.columns = result  # its names are read only if asked for (column_names)


def column_names(columns) -> tuple[str, ...]:
    """Return the column names of COLUMNS: a result of ``results()``, or names already."""
    if isinstance(columns, tuple):
        return columns
    return tuple(columns.fname(i).decode() for i in range(columns.nfields))


def _wait(fd: int, events: int) -> int:
    poller = select.poll()
    poller.register(fd, events)
    while True:
        found = poller.poll()
        if found:
            return found[0][1]


def _registry(conn: psycopg.Connection) -> _Prepared:
    """Return what is prepared on CONN (kept on the connection: it lives as long)."""
    found = getattr(conn, _REGISTRY, None)
    if found is None:
        found = _Prepared(conn)
        setattr(conn, _REGISTRY, found)
    return found


@lru_cache(maxsize=4096)
def _encoded(text: str) -> bytes:
    return text.encode()
