"""Retries with capped exponential backoff and full jitter, Retry-After as a floor, a bounded number of tries."""

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sync.http import RetryLater


class GaveUp(Exception):
    """Central stayed unreachable through every try this run allows; what is left waits for the next run."""


def backoff(attempt, base, cap, random=_random.random):
    """Return the wait before retry number attempt (0 first): min(cap, base·2^attempt)·random() — full jitter."""
    return min(cap, base * 2**attempt) * random()


@dataclass
class Retry:
    """How one run retries a request that central may or may not have stored."""

    tries: int = 6
    base: float = 1.0
    cap: float = 60.0
    # A Retry-After longer than this ends the run instead of keeping staff waiting at the screen.
    longest_wait: float = 300.0
    sleep: Callable = field(default=time.sleep)
    random: Callable = field(default=_random.random)

    def wait(self, attempt, retry_after=None):
        """Return how long to wait after failed try number attempt (0 first), at least Retry-After."""
        return max(backoff(attempt, self.base, self.cap, self.random), retry_after or 0.0)

    def call(self, send, on_failure=None):
        """Return send()'s result, calling it again after a wait each time it raises RetryLater.

        on_failure(error) is told of every failed try. Raises GaveUp when the tries are spent."""
        for attempt in range(self.tries):
            try:
                return send()
            except RetryLater as error:
                if on_failure:
                    on_failure(error)
                last = error
                if attempt + 1 == self.tries:
                    break
                if error.retry_after and error.retry_after > self.longest_wait:
                    raise GaveUp(f"中央系统要求 {error.retry_after:g} 秒后再试：{error}") from error
                self.sleep(self.wait(attempt, error.retry_after))
        raise GaveUp(f"连续 {self.tries} 次未成功，最后一次：{last}") from last
