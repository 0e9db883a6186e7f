"""The kiosk database: one connection per server thread, kept open between requests."""

import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from flask import current_app, g
from sqlite_utils import Database

DB_FILE = "kiosk.db"
# Databases a thread keeps a connection to (tests make many apps on one thread; a kiosk has one).
THREAD_CONNECTIONS = 4
_local = threading.local()


def connect(path):
    """Open the database at path with the kiosk's durability settings (WAL is set once, by migrate)."""
    conn = sqlite3.connect(str(path), timeout=10)
    # FULL: an acknowledged write must survive a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(conn, execute_plugins=False)


def db_path(app=None):
    """Return the path of the kiosk database in the instance folder."""
    app = app or current_app
    return Path(app.instance_path) / DB_FILE


def thread_connection(path):
    """Return this thread's open connection to the database file at path, opening it if needed."""
    # Reusing it spares each request the open, the schema read and, when it was the last
    # connection, the checkpoint and WAL delete that SQLite does on close.
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = OrderedDict()
    key = str(path)
    try:
        st = os.stat(key)
        identity = (st.st_dev, st.st_ino)
    except OSError:
        identity = None
    kept = connections.pop(key, None)
    if kept is not None and kept[0] == identity and identity is not None:
        connections[key] = kept
        return kept[1]
    if kept is not None:
        kept[1].close()  # the file was replaced or removed: never write to the old one
    db = connect(path)
    connections[key] = (identity, db)
    while len(connections) > THREAD_CONNECTIONS:
        connections.popitem(last=False)[1][1].close()
    return db


def like_pattern(term):
    """Return a LIKE pattern (with ESCAPE '\\') matching term literally anywhere: % and _ are not wildcards."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def get_db():
    """Return this request's database connection: the thread's own, kept open between requests."""
    if "db" not in g:
        g.db = thread_connection(db_path())
    return g.db


def close_db(e=None):
    """End this request's use of the connection: anything left uncommitted is rolled back."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_app(app):
    """Register the end of each request's use of its connection."""
    app.teardown_appcontext(close_db)
