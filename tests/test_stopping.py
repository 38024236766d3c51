"""Stopping is bounded: a second Ctrl-C, or a stop that outlasts its grace, ends the process."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from bot.stopping import FORCED_EXIT_CODE, Stopper


def test_the_first_signal_asks_for_a_graceful_stop_and_the_second_ends_at_once():
    reasons: list[str] = []
    stopper = Stopper(grace=60, exit_now=reasons.append)
    stopper.signalled()
    assert stopper.requested.is_set() and reasons == []
    stopper.signalled()
    assert reasons == ["asked to stop a second time"]


def test_a_stop_that_outlasts_its_grace_is_ended():
    ended = threading.Event()
    reasons: list[str] = []

    def exit_now(reason: str) -> None:
        reasons.append(reason)
        ended.set()

    Stopper(grace=0.2, exit_now=exit_now).signalled()
    assert ended.wait(10), "the grace timer never fired"
    assert reasons == ["shutdown took longer than 0.2 s"]


STUCK_SERVICE = textwrap.dedent("""
    import asyncio, sys, time
    from bot.stopping import Stopper

    async def main():
        stopper = Stopper(grace=float(sys.argv[1]))
        stopper.install(asyncio.get_running_loop())
        print("ready", flush=True)
        if sys.argv[2] == "before":
            time.sleep(3600)  # stuck before any stop was asked for: the loop never looks up
        await stopper.requested.wait()
        print("stopping", flush=True)
        time.sleep(3600)  # a shutdown step that never returns, blocking the loop itself

    asyncio.run(main())
""")


def _stuck_service(grace: float, stuck: str = "after") -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", STUCK_SERVICE, str(grace), stuck], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def test_a_real_process_stuck_in_shutdown_ends_after_its_grace_and_says_where_it_was_stuck():
    process = _stuck_service(grace=1)
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == FORCED_EXIT_CODE
    assert "shutdown took longer than 1 s; stopping at once" in errors
    assert 'File "<string>", line 13 in main' in errors, errors  # the frame stuck in time.sleep


def test_a_process_whose_loop_is_stuck_before_the_signal_still_stops():
    process = _stuck_service(grace=1, stuck="before")
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == FORCED_EXIT_CODE
    assert "shutdown took longer than 1 s" in errors
    assert 'File "<string>", line 10 in main' in errors, errors


def test_a_second_ctrl_c_ends_a_process_stuck_in_shutdown():
    process = _stuck_service(grace=600)
    process.send_signal(signal.SIGINT)
    assert process.stdout is not None and process.stdout.readline() == "stopping\n"
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=30)
    assert process.returncode == FORCED_EXIT_CODE
    assert "asked to stop a second time" in errors


def test_the_stopper_listens_to_sigterm_as_docker_sends_it():
    reasons: list[str] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    async def scenario() -> None:
        stopper = Stopper(grace=60, exit_now=reasons.append)
        stopper.install(asyncio.get_running_loop())
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(stopper.requested.wait(), timeout=5)
        signal.raise_signal(signal.SIGTERM)

    try:
        asyncio.run(scenario())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert reasons == ["asked to stop a second time"]


@pytest.mark.parametrize("after", [0.5, 1.5, 3.0, "port"])
def test_ctrl_c_stops_the_demo_at_any_moment_of_start_up(tmp_path, after):
    """Imports, migrations, the demo's sample, the server starting: a first Ctrl-C at any of
    these moments stops the helpline, cleanly, within its bounded stop."""
    import time

    from tests.processes import helpline_process
    from tests.servers import wait_for_port

    with helpline_process("demo", tmp_path) as child:
        if after == "port":
            wait_for_port(child.port, seconds=60)
        else:
            time.sleep(after)
        child.process.send_signal(signal.SIGINT)
        try:
            code = child.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError("Ctrl-C during start-up was not honoured:\n" + child.tail()) from None
    assert code == 0, child.tail()
    assert "stopped" in child.text() and "Traceback (most recent call last)" not in child.text()


def test_a_start_up_interrupt_that_lands_in_a_weakref_callback_is_not_printed_but_still_stops(capsys):
    """Python only prints an exception raised in a weakref callback (a garbage collection was
    running when Ctrl-C came): the stop was asked for all the same, and the loop carries it out."""
    import weakref

    stopper = Stopper(grace=60, exit_now=lambda reason: None)
    previous = sys.unraisablehook
    try:
        sys.unraisablehook = stopper._unraisable

        class Thing:
            pass

        def interrupted(_: object) -> None:
            raise KeyboardInterrupt

        other = Thing()
        watcher = weakref.ref(other, lambda _: (_ for _ in ()).throw(ValueError("a real bug")))
        thing = Thing()
        watch = weakref.ref(thing, interrupted)
        stopper._asked = True  # the first Ctrl-C, which raised the interrupt
        del thing, other
        printed = capsys.readouterr().err
    finally:
        sys.unraisablehook = previous
    assert watch() is None and watcher() is None
    assert "KeyboardInterrupt" not in printed and "a real bug" in printed  # only our own interrupt is quiet


def test_a_database_thread_left_behind_by_a_start_up_interrupt_is_quiet_but_other_thread_failures_print(capsys):
    """Ctrl-C during the demo's sample ends the loop while aiosqlite's thread is still querying:
    its "Event loop is closed" is the stop's echo, not news. Another thread's failure is printed."""
    import threading

    stopper = Stopper(grace=60, exit_now=lambda reason: None)
    previous = threading.excepthook
    try:
        threading.excepthook = stopper._thread_failed

        def fail(error: Exception) -> None:
            raise error

        def run(error: Exception) -> None:
            worker = threading.Thread(target=fail, args=(error,))
            worker.start()
            worker.join()

        run(RuntimeError("Event loop is closed"))  # before any Ctrl-C: a real failure
        stopper._asked = True
        run(RuntimeError("Event loop is closed"))
        run(ValueError("a real bug"))
        printed = capsys.readouterr().err
    finally:
        threading.excepthook = previous
    assert printed.count("Event loop is closed") == 1 and "a real bug" in printed
