"""`helpline run` and `helpline demo` started as an operator starts them, and always ended.

The child's output goes to a file (a pipe nobody reads blocks a server once full) that a failure
can quote. Whatever happens in the test, the child is stopped: Ctrl-C first, then killed.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.stopping import STOP_GRACE_SECONDS
from tests.servers import free_port


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    output: Path
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def tail(self, chars: int = 5000) -> str:
        return self.text()[-chars:]

    def wait_for(self, pattern: str, seconds: float = 60.0) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            found = re.search(pattern, self.text())
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"the helpline never printed {pattern!r}; its output:\n{self.tail()}")

    def stop(self) -> int:
        """Ctrl-C, as an operator stops it; killed if it outlasts its own bounded stop."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_GRACE_SECONDS + 15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


@contextmanager
def helpline_process(command: str, folder: Path, env: dict[str, str] | None = None) -> Iterator[Child]:
    """``helpline <command>`` on a free port in ``folder``; stopped (or killed) on the way out.
    ``run`` gets the test run's encryption keys (it refuses to start without); the demo makes its own."""
    from tests.keys import child_env

    port = free_port()
    clean = child_env(with_keys=command == "run")
    clean.update({"HELPLINE_HTTP_PORT": str(port), **(env or {})})
    output = folder / f"{command}.log"
    with output.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot", command], env=clean, cwd=folder,
                                   stdout=sink, stderr=subprocess.STDOUT)
    child = Child(process, output, port)
    try:
        yield child
    finally:
        child.stop()
