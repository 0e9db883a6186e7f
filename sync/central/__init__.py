"""Moved: the reference receiver is now the top-level package `central` (`python -m central`).

`python -m sync.central` still runs it, as an alias kept for one release."""
