"""Real PostgreSQL and Redis servers for the test session, on free loopback ports.

PostgreSQL's initdb refuses to run as root (CI runs as root), so as root the server runs as
Debian's unprivileged ``postgres`` user, which the postgresql package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {seconds}s")


def postgres_bin(name: str) -> str:
    """Debian keeps server binaries off PATH, under /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise RuntimeError(f"PostgreSQL's {name} not found: run the README's test command, which installs it")


@dataclass
class PostgresServer:
    port: int
    base: Path
    user: str

    @property
    def admin_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        _as_user(self.user, [postgres_bin("pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate",
                             "-w", "stop"], check=False)
        shutil.rmtree(self.base, ignore_errors=True)

    def pause(self) -> None:
        """An outage: the server goes away, ending every connection; what was committed stays
        (a fast stop, since this server runs without fsync)."""
        _as_user(self.user, [postgres_bin("pg_ctl"), "-D", str(self.base / "data"), "-m", "fast",
                             "-w", "stop"], check=False)

    def resume(self) -> None:
        _pg_ctl_start(self.user if self.user != pwd.getpwuid(os.geteuid()).pw_name else None, self.base, self.port)


def _as_user(user: str | None, command: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, check=check, capture_output=True, text=True)


def start_postgres() -> PostgresServer:
    run_as = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="helpline-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    data, port = base / "data", free_port()
    _as_user(run_as, [postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--no-locale", "--no-sync"])
    _pg_ctl_start(run_as, base, port)
    return PostgresServer(port=port, base=base, user=run_as or pwd.getpwuid(os.geteuid()).pw_name)


def _pg_ctl_start(run_as: str | None, base: Path, port: int) -> None:
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    result = _as_user(run_as, [postgres_bin("pg_ctl"), "-D", str(base / "data"), "-o", options,
                               "-l", str(base / "server.log"), "-w", "-t", "60", "start"], check=False)
    if result.returncode != 0:
        log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log}")
    wait_for_port(port)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_redis() -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found: run the README's test command, which installs it")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return RedisServer(port=port, process=process)
