"""`python -m sync.central`: the old name of `python -m central`, kept for one release; says so, then runs it."""

import click

from central.__main__ import cli

if __name__ == "__main__":
    click.echo("注意：此命令已移至 `python -m central`，`python -m sync.central` 只再保留一个版本。", err=True)
    cli(prog_name="python -m sync.central")
