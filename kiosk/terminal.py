"""What the command lines share when they print: the pack import report and a progress bar on stderr."""

import sys

import click


def print_report(result):
    """Print the report: errors, then warnings, each as `achievement id · field · reason`."""
    for title, problems, colour in (("错误", result.report.errors, "red"), ("警告", result.report.warnings, "yellow")):
        if problems:
            click.secho(f"{title}（{len(problems)}）：", fg=colour, bold=True, err=title == "错误")
            for p in problems:
                click.echo(f"  {p}", err=title == "错误")


class Bar:
    """A progress bar on stderr, opened on the first report of (done, total)."""

    def __init__(self, label):
        """Remember the label; the bar opens on the first report."""
        self.label = label
        self.bar = None
        self.shown = 0

    def __call__(self, done, total):
        """Move the bar to done of total."""
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, show_pos=True, file=sys.stderr)
            self.bar.__enter__()
        self.bar.length = max(total, done, 1)
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self):
        """Finish the bar's line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar, self.shown = None, 0
