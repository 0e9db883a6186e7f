"""Backoff with full jitter, Retry-After as a floor, bounded tries, and how answers are sorted."""

import pytest

from sync.http import Central, RetryLater, Stop, classify, retry_after
from sync.retry import GaveUp, Retry, backoff


def test_backoff_doubles_up_to_the_cap_times_the_jitter():
    assert [backoff(n, 1, 60, lambda: 1.0) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert [backoff(n, 0.5, 3, lambda: 0.5) for n in range(4)] == [0.25, 0.5, 1, 1.5]
    assert backoff(30, 1, 60, lambda: 0.0) == 0


def test_full_jitter_spreads_waits_over_the_whole_range():
    import random

    rng = random.Random(7)
    waits = [backoff(3, 1, 60, rng.random) for _ in range(2000)]
    assert 0 <= min(waits) < 0.1 and 7.9 < max(waits) < 8
    assert 3.7 < sum(waits) / len(waits) < 4.3


def test_retry_after_is_a_floor():
    retry = Retry(base=1, cap=60, random=lambda: 0.1)
    assert retry.wait(0) == pytest.approx(0.1)
    assert retry.wait(0, retry_after=5) == 5
    assert retry.wait(9, retry_after=2) == pytest.approx(6)


def failing(errors, result="ok"):
    """Return a send function raising each error in turn, then returning result; and its call log."""
    calls = []

    def send():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return send, calls


def test_call_retries_then_succeeds_sleeping_between_tries():
    slept = []
    retry = Retry(tries=5, base=1, cap=60, sleep=slept.append, random=lambda: 1.0)
    failures = []
    send, calls = failing([RetryLater("a"), RetryLater("b", retry_after=7), RetryLater("c")])
    assert retry.call(send, failures.append) == "ok"
    assert len(calls) == 4 and [str(e) for e in failures] == ["a", "b", "c"]
    assert slept == [1, 7, 4]


def test_call_gives_up_after_the_tries_allowed():
    slept = []
    retry = Retry(tries=3, sleep=slept.append, random=lambda: 0.0)
    send, calls = failing([RetryLater("down")] * 10)
    with pytest.raises(GaveUp, match="3 次"):
        retry.call(send)
    assert len(calls) == 3 and len(slept) == 2


def test_a_retry_after_longer_than_staff_should_wait_ends_the_run():
    slept = []
    retry = Retry(tries=5, longest_wait=60, sleep=slept.append)
    send, calls = failing([RetryLater("busy", retry_after=3600)])
    with pytest.raises(GaveUp, match="3600"):
        retry.call(send)
    assert len(calls) == 1 and slept == []


def test_stop_is_not_retried():
    retry = Retry(sleep=lambda s: pytest.fail("slept"))
    send, calls = failing([Stop("401", 401)])
    with pytest.raises(Stop):
        retry.call(send)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "status, kind",
    [
        (200, "ok"),
        (206, "ok"),
        (400, "stop"),
        (401, "stop"),
        (403, "stop"),
        (404, "stop"),
        (413, "too_large"),
        (422, "key_conflict"),
        (429, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
    ],
)
def test_answers_are_sorted_by_what_to_do(status, kind):
    assert classify(status) == kind


def test_retry_after_reads_seconds():
    assert retry_after("12") == 12 and retry_after("0.5") == 0.5
    assert retry_after(None) is None and retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None


def test_paths_are_appended_to_a_base_url_with_a_prefix():
    central = Central("https://unions.example/wuxiao/", "t", "k")
    assert central.url("/api/v1/packs") == "https://unions.example/wuxiao/api/v1/packs"
    assert central.url("packs/a.zip") == "https://unions.example/wuxiao/packs/a.zip"
    assert central.url("http://cdn.example/a.zip") == "http://cdn.example/a.zip"
    assert Central("http://127.0.0.1:8000", "t", "k").url("/api/v1/packs") == "http://127.0.0.1:8000/api/v1/packs"
    with pytest.raises(ValueError):
        Central("ftp://x", "t", "k")


def test_a_refused_connection_is_retry_later():
    central = Central("http://127.0.0.1:9", "t", "k", timeout=2)
    with pytest.raises(RetryLater, match="连接中央系统失败"):
        central.request("GET", "/api/v1/packs")
