"""How the service stops: Ctrl-C or SIGTERM starts a graceful stop, and the stop is bounded.

A helpline that will not stop cannot be restarted or upgraded, and an operator who has to
``kill -9`` it learns nothing about why. Everything the helpline has accepted is committed before
it is acknowledged (contacts, outbox rows, alert deadlines), so ending the process loses nothing
that a restart will not pick up. Hence: a second signal ends it at once, and a graceful stop that
outlasts its grace ends it too, after writing every thread's stack to stderr for the post-mortem.
"""

from __future__ import annotations

import asyncio
import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Callable

STOP_GRACE_SECONDS = 30.0
FORCED_EXIT_CODE = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _exit_now(reason: str) -> None:
    """Write why and where every thread was, then end the process without further clean-up."""
    print(f"helpline: {reason}; stopping at once (everything accepted is already stored)",
          file=sys.stderr, flush=True)
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stderr.flush()
    os._exit(FORCED_EXIT_CODE)


class Stopper:
    """The first stop signal asks for a graceful stop and starts the grace timer; a second one ends
    the process. The timer is a daemon thread left running to the very end: it fires even if the
    event loop is stuck, or if the interpreter hangs joining some library's thread on exit."""

    def __init__(self, grace: float = STOP_GRACE_SECONDS,
                 exit_now: Callable[[str], None] = _exit_now) -> None:
        self.requested = asyncio.Event()
        self._grace = grace
        self._exit_now = exit_now
        self._timer: threading.Timer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, self.signalled)

    def signalled(self) -> None:
        if self.requested.is_set():
            self._exit_now("asked to stop a second time")
            return
        self.requested.set()
        self._timer = threading.Timer(
            self._grace, self._exit_now, args=(f"shutdown took longer than {self._grace:g} s",))
        self._timer.daemon = True
        self._timer.start()
        if self._loop is not None:
            self._answer_the_next_signal_outside_the_loop(self._loop)

    def _answer_the_next_signal_outside_the_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """asyncio only runs a signal's callback when the loop gets round to it, which a stuck
        loop never does; a plain handler runs in the main thread between any two bytecodes."""
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
            signal.signal(sig, lambda _sig, _frame: self._exit_now("asked to stop a second time"))
