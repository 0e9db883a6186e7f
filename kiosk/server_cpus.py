"""Which CPUs the kiosk server runs on: one, by default, so its threads never hand the GIL across cores."""

import os

# "auto": one CPU (the last this process may use); "all": wherever the system puts it; or a list "0,2".
DEFAULT = "auto"


class CPUSpecError(ValueError):
    """A KIOSK_SERVER_CPUS value that names no usable CPU."""


def choose(spec, available):
    """Return the set of CPUs spec asks for out of available, or None to leave the process unpinned."""
    text = str(spec if spec is not None else DEFAULT).strip().lower()
    if text == "all":
        return None
    if text == "auto":
        return {max(available)}
    try:
        wanted = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise CPUSpecError(f"KIOSK_SERVER_CPUS 应为 auto、all 或 CPU 编号（如 0 或 0,1），而不是 “{spec}”") from None
    if not wanted or not wanted <= set(available):
        raise CPUSpecError(f"KIOSK_SERVER_CPUS = {spec}：本机可用的 CPU 是 {sorted(available)}")
    return wanted


def pin_server(spec):
    """Pin this process (and the threads it starts afterwards) to the CPUs spec asks for; return them."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = choose(spec, os.sched_getaffinity(0))
    if cpus is not None:
        os.sched_setaffinity(0, cpus)
    return cpus
