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
from typing import Any

STOP_GRACE_SECONDS = 30.0
FORCED_EXIT_CODE = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STDERR = 2


def _exit_now(reason: str) -> None:
    """Write why and where every thread was, then end the process without further clean-up.

    Raw writes to file descriptor 2 only: the stuck thread may hold the logging or sys.stderr lock
    (or be blocked writing to a full pipe), and waiting for it here would make this hang too."""
    _in_background_after(5.0, os._exit, FORCED_EXIT_CODE)  # if stderr itself blocks
    line = f"helpline: {reason}; stopping at once (everything accepted is already stored)\n"
    os.write(STDERR, line.encode())
    faulthandler.dump_traceback(file=STDERR, all_threads=True)
    os._exit(FORCED_EXIT_CODE)


def _in_background_after(seconds: float, call: Callable[..., object], *args: object) -> None:
    """A daemon timer: it never keeps the process alive, and nothing the main thread does stops it."""
    timer = threading.Timer(seconds, call, args=args)
    timer.daemon = True
    timer.start()


class Stopper:
    """The first stop signal asks for a graceful stop and starts the grace timer; a second one ends
    the process. The timer is a daemon thread left running to the very end: it fires even if the
    event loop is stuck, or if the interpreter hangs joining some library's thread on exit.

    Plain signal handlers, not the loop's: asyncio runs a signal's callback only when the loop
    gets round to it, which a stuck loop never does, while a plain handler runs in the main
    thread between any two bytecodes, even in the middle of a blocking call."""

    def __init__(self, grace: float = STOP_GRACE_SECONDS,
                 exit_now: Callable[[str], None] = _exit_now) -> None:
        self.requested = asyncio.Event()
        self._grace = grace
        self._exit_now = exit_now
        self._asked = False
        self._early = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Call from the main thread, first thing, and again with the loop once it runs.

        Before there is a loop (imports, migrations, the demo's sample), a stop signal raises
        KeyboardInterrupt in the main thread, which ends whatever start-up was doing; once the
        loop is given, it asks for a graceful stop instead. Either way the grace timer runs."""
        self._loop = loop
        if loop is not None and self._asked:
            loop.call_soon_threadsafe(self.requested.set)
        for sig in STOP_SIGNALS:
            signal.signal(sig, self.signalled)

    def signalled(self, *_signal: object) -> None:
        if self._asked:
            self._exit_now("asked to stop a second time")
            return
        self._asked = True
        _in_background_after(self._grace, self._exit_now, f"shutdown took longer than {self._grace:g} s")
        if self._loop is None:
            self.requested.set()
            if self._early:
                raise KeyboardInterrupt
        else:
            self._loop.call_soon_threadsafe(self.requested.set)

    def install_early(self) -> None:
        """Before anything else: Ctrl-C during start-up stops start-up."""
        self._early = True
        self.install()
        sys.unraisablehook = self._unraisable
        threading.excepthook = self._thread_failed

    def _unraisable(self, unraisable: Any) -> None:
        """The start-up KeyboardInterrupt can land in a weakref callback or a ``__del__`` (a
        garbage collection was running), where Python only prints it, traceback and all. The stop
        is not lost: it was asked for, and is carried out once the loop runs; so say nothing."""
        if self._asked and isinstance(unraisable.exc_value, KeyboardInterrupt):
            return
        sys.__unraisablehook__(unraisable)

    def _thread_failed(self, failure: Any) -> None:
        """A database thread (aiosqlite's) that finishes its query after a start-up Ctrl-C ended
        the loop can only fail to hand the result back ("Event loop is closed"). The stop was asked
        for and is under way: say nothing. Anything else a thread raises is printed as ever."""
        closed = isinstance(failure.exc_value, RuntimeError) and "Event loop is closed" in str(failure.exc_value)
        if self._asked and closed:
            return
        threading.__excepthook__(failure)

    @property
    def asked(self) -> bool:
        return self._asked


# The one stopper of a `helpline` process: installed first thing by the entry point, then given
# the loop by the server once it runs.
STOPPER = Stopper()
