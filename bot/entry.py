"""The ``helpline`` command's entry point: stop signals are taken over before anything is
imported, so that Ctrl-C at any moment of start-up stops it (the heavy imports, the migrations
and the demo's sample take seconds, and a signal then used to be lost or to end in a traceback)."""

from __future__ import annotations

import os
import sys

from bot.stopping import STOPPER


def main() -> None:
    STOPPER.install_early()
    try:
        from bot.cli import main as command

        command()
    except KeyboardInterrupt:
        _stopped()
    except SystemExit as leaving:
        if STOPPER.asked and leaving.code not in (0, None):  # the command line turned Ctrl-C into "Aborted"
            _stopped()
        raise


def _stopped() -> None:
    """Exit 0 at once: nothing was accepted yet, so there is nothing to finish. Not ``sys.exit``:
    about one start-up in ten, a Ctrl-C half a second in ended with status -2 (killed by SIGINT)
    after this very line was printed, which is how CPython ends a process it believes left a
    KeyboardInterrupt unhandled (``_Py_UnhandledKeyboardInterrupt``, checked after finalising)."""
    print("helpline stopped during start-up", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
