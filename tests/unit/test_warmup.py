"""The warm-up makes way for visitors: it starts no next page while one is being answered."""

from __future__ import annotations

import fcntl
import threading

from graphsvc.web.warmup import WarmUp


def test_the_warm_up_waits_while_a_visitor_is_answered():
    warm = WarmUp()
    warm.arrive()
    waiting = threading.Thread(target=warm.wait_for_quiet, kwargs={"at_most": 120.0})
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()  # a visitor is being answered: no next page yet
    warm.leave()
    waiting.join(120.0)
    assert not waiting.is_alive() and warm.visitors == 0


def test_without_visitors_the_warm_up_goes_on_at_once():
    warm = WarmUp()
    warm.arrive()
    warm.leave()
    done = threading.Thread(target=warm.wait_for_quiet, kwargs={"at_most": 120.0})
    done.start()
    done.join(120.0)
    assert not done.is_alive()


def test_the_warm_up_waits_for_a_visitor_of_another_worker(tmp_path):
    shared = tmp_path / "visitors.lock"
    other_worker = open(shared, "a")  # noqa: SIM115 - a visitor being answered elsewhere
    fcntl.flock(other_worker, fcntl.LOCK_SH)
    warm = WarmUp()
    waiting = threading.Thread(
        target=warm.wait_for_quiet, kwargs={"at_most": 120.0, "shared": shared}
    )
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()
    other_worker.close()  # that visitor has been answered
    waiting.join(120.0)
    assert not waiting.is_alive()
