"""The kiosk database's schema: migrations that only ever add, so existing visitors' data is kept."""

from sqlite_utils.migrations import Migrations

from kiosk.db import connect, db_path

migrations = Migrations("kiosk")


def migrate(app=None):
    """Apply pending migrations to the kiosk database, keeping all data."""
    path = db_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        migrations.apply(db)
    finally:
        db.close()


@migrations()
def m001_exhibits(db):
    """Create packs, achievements, their media and quiz questions."""
    db["packs"].create(
        {
            "pack_id": str,
            "version": int,
            "title": str,
            "organizer": str,
            "published_at": str,
            "imported_at": str,
            "report": str,
        },
        pk="pack_id",
    )
    db["achievements"].create(
        {
            "id": str,
            "pack_id": str,
            "position": int,
            "title": str,
            "award": str,
            "category": str,
            "kind": str,
            "originality": str,
            "patents": str,
            "applicant": str,
            "unit": str,
            "union_name": str,
            "industry": str,
            "completed": str,
            "practice_months": int,
            "completers": str,
            "first_completer_intro": str,
            "summary": str,
            "background": str,
            "goals": str,
            "innovations": str,
            "benefit_economic": str,
            "benefit_social": str,
            "application": str,
            "new_quality_productivity": int,
            "search_text": str,
            "search_initials": str,
        },
        pk="id",
        foreign_keys=[("pack_id", "packs", "pack_id")],
    )
    db["achievements"].create_index(["pack_id"])
    db["media_files"].create(
        {"sha256": str, "size": int, "kind": str, "mime": str, "probe": str},
        pk="sha256",
    )
    db["pack_files"].create(
        {"pack_id": str, "path": str, "sha256": str},
        pk=("pack_id", "path"),
        foreign_keys=[("pack_id", "packs", "pack_id"), ("sha256", "media_files", "sha256")],
    )
    db["achievement_media"].create(
        {
            "achievement_id": str,
            "kind": str,
            "position": int,
            "path": str,
            "title": str,
            "transcript": str,
            "poster": str,
        },
        pk=("achievement_id", "kind", "position"),
        foreign_keys=[("achievement_id", "achievements", "id")],
    )
    db["quiz_questions"].create(
        {
            "achievement_id": str,
            "position": int,
            "type": str,
            "question": str,
            "options": str,
            "answer": str,
            "explanation": str,
        },
        pk=("achievement_id", "position"),
        foreign_keys=[("achievement_id", "achievements", "id")],
    )


@migrations()
def m002_visitors(db):
    """Create visitors' suggestions, daily usage counts and kiosk settings."""
    db["suggestions"].create(
        {
            "uuid": str,
            "form_token": str,
            "kiosk_id": str,
            "event_id": str,
            "created_at": str,
            "source": str,
            "receipt_day": str,
            "receipt_seq": int,
            "receipt_no": str,
            "title": str,
            "content": str,
            "background": str,
            "key_problems": str,
            "scope": str,
            "feasibility": str,
            "expected_benefits": str,
            "related_achievement_id": str,
            "proposer_name": str,
            "proposer_unit": str,
            "proposer_phone": str,
            "consent_authenticity": int,
            "consent_authorization": int,
            "consent_contact": int,
            "moderation": str,
            "moderated_at": str,
            "honeypot": int,
        },
        pk="uuid",
        not_null={"content", "kiosk_id", "event_id", "created_at", "source", "moderation"},
        defaults={"moderation": "pending", "honeypot": 0},
    )
    db["suggestions"].create_index(["form_token"], unique=True)
    db["suggestions"].create_index(["kiosk_id", "receipt_day", "receipt_seq"], unique=True)
    db["suggestions"].create_index(["created_at"])
    db["usage_counts"].create(
        {"day": str, "event_id": str, "achievement_id": str, "metric": str, "value": int},
        pk=("day", "event_id", "achievement_id", "metric"),
    )
    db["settings"].create({"key": str, "value": str}, pk="key")


@migrations()
def m003_outbox(db):
    """Create the sync outbox (one row per suggestion, filled by triggers), sync runs and sent figures."""
    db["outbox"].create(
        {
            "uuid": str,
            "state": str,
            "attempts": int,
            "last_error": str,
            "last_attempt_at": str,
            "central_status": str,
            "central_error": str,
            "answered_at": str,
            "sent_moderation": str,
        },
        pk="uuid",
        not_null={"state", "attempts"},
        defaults={"state": "pending", "attempts": 0},
        foreign_keys=[("uuid", "suggestions", "uuid")],
    )
    # Keyset pages of one state: WHERE state = ? AND uuid > ? ORDER BY uuid.
    db["outbox"].create_index(["state", "uuid"])
    db.execute("INSERT INTO outbox (uuid) SELECT uuid FROM suggestions")
    # Triggers, so that whatever writes a suggestion (the form, staff, a test) keeps the outbox right
    # inside its own transaction.
    db.execute("""
        CREATE TRIGGER suggestions_outbox_insert AFTER INSERT ON suggestions
        BEGIN
            INSERT INTO outbox (uuid) VALUES (NEW.uuid) ON CONFLICT (uuid) DO NOTHING;
        END""")
    db.execute("""
        CREATE TRIGGER suggestions_outbox_moderation AFTER UPDATE OF moderation ON suggestions
        WHEN NEW.moderation IS NOT OLD.moderation
        BEGIN
            UPDATE outbox SET state = 'pending'
            WHERE uuid = NEW.uuid AND state = 'delivered' AND sent_moderation IS NOT NEW.moderation;
        END""")
    db["sync_runs"].create(
        {"id": int, "kind": str, "started_at": str, "finished_at": str, "result": str, "message": str, "counts": str},
        pk="id",
        not_null={"kind", "started_at"},
    )
    db["stats_sent"].create(
        {"day": str, "event_id": str, "digest": str, "sent_at": str},
        pk=("day", "event_id"),
    )


@migrations()
def m004_receipts_by_month_day(db):
    """Index receipts by month and day: numbers go on from every year's same day, so none repeats."""
    db.execute("CREATE INDEX suggestions_receipt_month_day ON suggestions (substr(receipt_day, 6), receipt_seq)")


@migrations()
def m005_presenter_playlists(db):
    """Keep each event's 路演 playlist: the winners a presenter picked, in their order."""
    db["presenter_playlists"].create(
        {"event_id": str, "position": int, "achievement_id": str},
        pk=("event_id", "position"),
        not_null={"achievement_id"},
    )


@migrations()
def m006_engagement(db):
    """Keep what visitors did for the dashboard: visits, their steps per winner, media progress, missed questions.

    None of it is pushed to central (the contract's metrics are a closed list); winners' titles are kept
    beside the figures so a replaced or removed pack leaves readable figures."""
    db["visits"].create(
        {
            "visit_id": str,
            "event_id": str,
            "place": str,
            "day": str,
            "hour": int,
            "started_at": str,
            "seconds": float,
            "ended": int,
        },
        pk="visit_id",
        not_null={"event_id", "place", "day", "hour", "started_at"},
        defaults={"seconds": 0.0, "ended": 0},
    )
    db["visits"].create_index(["day"])
    db["visit_steps"].create(
        {"visit_id": str, "achievement_id": str, "step": str},
        pk=("visit_id", "achievement_id", "step"),
    )
    db["visit_steps"].create_index(["achievement_id", "step"])
    db["local_counts"].create(
        {"day": str, "event_id": str, "achievement_id": str, "metric": str, "value": int},
        pk=("day", "event_id", "achievement_id", "metric"),
    )
    db["question_counts"].create(
        {"day": str, "event_id": str, "achievement_id": str, "question": str, "metric": str, "value": int},
        pk=("day", "event_id", "achievement_id", "question", "metric"),
    )
    db["winner_titles"].create({"achievement_id": str, "title": str, "award": str}, pk="achievement_id")
    db.execute("INSERT INTO winner_titles SELECT id, title, award FROM achievements")
    # A trigger, so that whatever writes a winner (an import, a test) keeps its title for the figures.
    db.execute("""
        CREATE TRIGGER achievements_titles AFTER INSERT ON achievements
        BEGIN
            INSERT INTO winner_titles (achievement_id, title, award) VALUES (NEW.id, NEW.title, NEW.award)
            ON CONFLICT (achievement_id) DO UPDATE SET title = excluded.title, award = excluded.award;
        END""")
