"""The cycle collector is paused only inside the block, and left as it was found."""

import gc

import pytest

from rosc.core.memory import cycle_collector_paused


def test_the_cycle_collector_is_paused_only_inside_the_block():
    seen = []

    def build_and_fail() -> None:
        with cycle_collector_paused():
            seen.append(gc.isenabled())
            raise RuntimeError

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        build_and_fail()
    assert seen == [False]
    assert gc.isenabled(), "switched back on even after an error"
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled(), "left off when it was off before"
    finally:
        gc.enable()
