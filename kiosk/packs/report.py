"""The import report: each problem as `achievement id · field · reason`, errors and warnings apart."""

from dataclasses import dataclass, field

PACK_LEVEL = "pack.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: an error refuses the import, a warning is only shown."""

    level: str
    achievement: str
    field: str
    reason: str

    def __str__(self):
        return f"{self.achievement} · {self.field} · {self.reason}"


@dataclass
class Report:
    """Collects the problems found in one pack."""

    problems: list = field(default_factory=list)

    def error(self, achievement, field_name, reason):
        """Record a problem that refuses the import."""
        self.problems.append(Problem("error", achievement, field_name, reason))

    def warning(self, achievement, field_name, reason):
        """Record a problem that is imported and shown to the operator."""
        self.problems.append(Problem("warning", achievement, field_name, reason))

    @property
    def errors(self):
        """Return the problems that refuse the import."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self):
        """Return the problems that are only shown."""
        return [p for p in self.problems if p.level == "warning"]

    def as_json(self):
        """Return the problems as plain dicts, for keeping with the installed pack."""
        return [p.__dict__ for p in self.problems]
