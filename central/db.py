"""Central's SQLite database: connections with durable settings, write transactions and migrations."""

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app, g
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("central")


def connect(path):
    """Open the database at path; transactions are begun explicitly with write_transaction."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    # FULL: an answer of `created` is a promise the kiosk acts on; it must survive a power cut.
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def migrate(path):
    """Create or upgrade the database at path, keeping all data, and switch it to WAL."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        migrations.apply(Database(conn, execute_plugins=False))
    finally:
        conn.close()


@contextmanager
def write_transaction(conn):
    """Run a block as one transaction that holds the write lock from its start."""
    # IMMEDIATE: a deferred transaction that reads first could not upgrade to a write while
    # another request writes (SQLITE_BUSY without waiting); this one waits its turn instead.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def utc_now():
    """Return the current UTC time in RFC 3339, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def get_db():
    """Return this request's connection to the app's database, opening it on first use."""
    if "central_db" not in g:
        g.central_db = connect(current_app.config["CENTRAL_DB"])
    return g.central_db


def close_db(e=None):
    """Close this request's connection if one was opened."""
    conn = g.pop("central_db", None)
    if conn is not None:
        conn.close()


@migrations()
def m001_intake(db):
    """Create suggestions, remembered batches, stats and the log of imported bundles."""
    db.execute("""CREATE TABLE suggestions (
        uuid TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, event_id TEXT NOT NULL, created_at TEXT NOT NULL,
        source TEXT NOT NULL, content TEXT NOT NULL, moderation TEXT NOT NULL,
        received_at TEXT NOT NULL, received_via TEXT NOT NULL, moderation_changed_at TEXT)""")
    db.execute("CREATE INDEX suggestions_kiosk ON suggestions (kiosk_id, event_id, created_at)")
    db.execute("""CREATE TABLE batches (
        kiosk_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, body_sha256 TEXT NOT NULL,
        results TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, idempotency_key))""")
    db.execute("""CREATE TABLE stats (
        kiosk_id TEXT NOT NULL, date TEXT NOT NULL, event_id TEXT NOT NULL, achievement_id TEXT,
        metric TEXT NOT NULL, value INTEGER NOT NULL, updated_at TEXT NOT NULL)""")
    # A kiosk-wide figure has a NULL achievement_id; NULLs never collide in a plain unique index.
    db.execute(
        "CREATE UNIQUE INDEX stats_counter ON stats (kiosk_id, date, event_id, ifnull(achievement_id, ''), metric)"
    )
    db.execute("""CREATE TABLE bundle_imports (
        id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, kiosk_id TEXT NOT NULL, created_at TEXT NOT NULL,
        file_name TEXT NOT NULL, imported_at TEXT NOT NULL, summary TEXT NOT NULL)""")
    fields = [
        "title",
        "content",
        "background",
        "key_problems",
        "scope",
        "feasibility",
        "expected_benefits",
        "related_achievement_id",
        "proposer.name",
        "proposer.unit",
        "proposer.phone",
        "consent.contact",
    ]
    columns = ", ".join(f"json_extract(content, '$.{f}') AS {f.replace('.', '_')}" for f in fields)
    db.execute(
        f"CREATE VIEW suggestion_rows AS SELECT uuid, kiosk_id, event_id, created_at, source, moderation, "
        f"{columns}, received_at, received_via, moderation_changed_at FROM suggestions"
    )


@migrations()
def m002_installs(db):
    """Remember which installations sent under each kiosk id, to warn when two share one."""
    db.execute("""CREATE TABLE installs (
        kiosk_id TEXT NOT NULL, install TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, install))""")
