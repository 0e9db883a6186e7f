"""central.testing's receiver process, the one helper tests and benchmarks start the receiver with."""

import json
import urllib.request

import pytest

from central.testing.receiver import ReceiverDidNotStart, ReceiverProcess
from tests.central_helpers import KIOSK, TOKENS


def test_it_starts_on_a_free_port_answers_and_stops(tmp_path):
    (tmp_path / "tokens.json").write_text(json.dumps(TOKENS))
    with ReceiverProcess(tmp_path / "c.db", tmp_path / "tokens.json", tmp_path / "c.log", prefix="/wuxiao") as server:
        assert server.url == f"http://127.0.0.1:{server.port}/wuxiao/"
        request = urllib.request.Request(
            server.url + "api/v1/packs", headers={"Authorization": f"Bearer {TOKENS[KIOSK]}"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.load(answer) == {"packs": []}
    assert server.process.poll() is not None and server.process.stdout.closed
    server.stop()


def test_a_receiver_that_cannot_start_says_why(tmp_path):
    server = ReceiverProcess(tmp_path / "c.db", tmp_path / "missing.json", tmp_path / "c.log")
    with pytest.raises(ReceiverDidNotStart, match="令牌文件"):
        server.start()
    assert server.process.poll() is not None and server.process.stdout.closed
