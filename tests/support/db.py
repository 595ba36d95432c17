"""Read-only checks of what a test stored, straight from the tables."""

from __future__ import annotations


def count_events(db, site_id: int | None = None) -> int:
    """Return how many events are stored (of SITE_ID, when given)."""
    if site_id is None:
        return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    return db.execute("SELECT COUNT(*) FROM events WHERE site_id = ?", [site_id]).fetchone()[0]


def event_ids(db, site_id: int) -> set[str]:
    """Return every stored event id of a site."""
    return {r[0] for r in db.execute("SELECT id FROM events WHERE site_id = ?", [site_id])}


def schema(db) -> list:
    """Return every table, index and column definition, comparable between two reads."""
    if getattr(db, "engine", "sqlite") == "postgresql":
        return db.execute(
            "SELECT c.table_name, c.column_name, c.data_type, c.column_default, i.indexdef "
            "FROM information_schema.columns c LEFT JOIN pg_indexes i "
            "ON i.tablename = c.table_name AND i.schemaname = c.table_schema "
            "WHERE c.table_schema = current_schema() ORDER BY 1, 2, 5"
        ).fetchall()
    return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def index_columns(db) -> dict[str, tuple[str, list[str], bool]]:
    """Return {index name: (table, its columns, unique)} of the database's own indexes."""
    if getattr(db, "engine", "sqlite") == "postgresql":
        rows = db.execute(
            "SELECT i.relname, t.relname, ix.indisunique, a.attname FROM pg_index ix "
            "JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, pos) ON true "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "WHERE n.nspname = current_schema() AND NOT ix.indisprimary ORDER BY 1, k.pos"
        ).fetchall()
        out: dict[str, tuple[str, list[str], bool]] = {}
        for name, table, unique, column in rows:
            out.setdefault(name, (table, [], bool(unique)))[1].append(column)
        return out
    out = {}
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for _seq, name, unique, origin, _partial in db.execute(f"PRAGMA index_list('{table}')"):
            if origin == "pk":
                continue
            cols = [c[2] for c in db.execute(f"PRAGMA index_info('{name}')")]
            out[name] = (table, cols, bool(unique))
    return out
