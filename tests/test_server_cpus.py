"""Which CPUs the server runs on: one by default, all or a list on request, a clear error otherwise."""

import re

import pytest

from kiosk.server_cpus import CPUSpecError, choose


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("auto", {3}),
        (None, {3}),
        (" AUTO ", {3}),
        ("all", None),
        ("1", {1}),
        ("0,3", {0, 3}),
        (2, {2}),
    ],
)
def test_choose(spec, expected):
    assert choose(spec, {0, 1, 2, 3}) == expected


def test_auto_on_a_single_cpu():
    assert choose("auto", {0}) == {0}


@pytest.mark.parametrize("spec, message", [("fast", "auto、all"), ("7", "可用的 CPU 是 [0, 1]"), (",", "可用的 CPU")])
def test_wrong_specs_are_explained_in_chinese(spec, message):
    with pytest.raises(CPUSpecError, match=re.escape(message)):
        choose(spec, {0, 1})
