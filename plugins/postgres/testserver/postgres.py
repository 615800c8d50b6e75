#!/usr/bin/env python3
"""Run a throwaway PostgreSQL cluster for doqu's PostgreSQL plugin tests.

The cluster lives in a temporary directory (owned by the ``postgres`` system user when run as
root, since ``initdb`` refuses root), listens on a free port of 127.0.0.1 only, trusts local
connections for user ``doqu``, and is stopped and deleted afterwards, also on Ctrl-C and on
failure. The binaries are found on PATH or in ``/usr/lib/postgresql/*/bin``.

Standard library only. Usage as a module::

    from postgres import PostgresServer

    with PostgresServer() as server:
        psycopg.connect(server.url)

From the command line::

    python postgres.py run -- pytest ...  # runs a command with DOQU_POSTGRES_URL set
    python postgres.py serve              # prints the URL, serves until Ctrl-C
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Sequence

__all__ = ["ENV_VAR", "BinariesNotFoundError", "PostgresServer", "ServerError", "find_binaries"]

#: Environment variable that ``run`` sets to the server's URL.
ENV_VAR = "DOQU_POSTGRES_URL"
USER = "doqu"
DATABASE = "postgres"
_SYSTEM_USER = "postgres"
_BINARIES = ("initdb", "pg_ctl", "pg_isready")


class ServerError(RuntimeError):
    """The server failed to start or is not running."""


class BinariesNotFoundError(ServerError):
    """No PostgreSQL server binaries on this machine."""


def find_binaries() -> dict[str, str]:
    """Paths of ``initdb``, ``pg_ctl`` and ``pg_isready``: from PATH, else the newest Debian
    ``/usr/lib/postgresql/N/bin``."""
    found = {name: shutil.which(name) for name in _BINARIES}
    if all(found.values()):
        return {name: path for name, path in found.items() if path}

    def version(path: str) -> int:
        name = pathlib.Path(path).parent.name
        return int(name) if name.isdigit() else 0

    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version)
    for directory in reversed(versions):
        paths = {name: os.path.join(directory, name) for name in _BINARIES}
        if all(os.access(path, os.X_OK) for path in paths.values()):
            return paths
    raise BinariesNotFoundError(
        "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin; "
        "install them (Debian: apt-get install -y postgresql) or set "
        f"{ENV_VAR}=postgresql://... to use a running server"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """A PostgreSQL cluster on 127.0.0.1 in a temporary directory; also a context manager."""

    def __init__(self, *, port: int = 0, startup_timeout: float = 60.0) -> None:
        """Configure the server; ``port=0`` picks a free port."""
        self.port = port
        self.startup_timeout = startup_timeout
        self._dir: pathlib.Path | None = None
        self._data: pathlib.Path | None = None
        self._binaries: dict[str, str] = {}
        self._url: str | None = None

    @property
    def url(self) -> str:
        """``postgresql://doqu@127.0.0.1:PORT/postgres``; only while running."""
        if self._url is None:
            raise ServerError("PostgreSQL test server is not running")
        return self._url

    def _command(self, *args: str) -> list[str]:
        # initdb and the server refuse to run as root: become the postgres system user
        if os.geteuid() == 0:
            return ["runuser", "-u", _SYSTEM_USER, "--", *args]
        return list(args)

    def _run(self, *args: str) -> str:
        proc = subprocess.run(
            self._command(*args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=self.startup_timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise ServerError(
                f"{' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
            )
        return proc.stdout

    def start(self) -> str:
        """Create the cluster, start it, wait until it accepts connections; return its URL."""
        if self._dir is not None:
            raise ServerError("PostgreSQL test server already started")
        self._binaries = find_binaries()
        self._dir = pathlib.Path(tempfile.mkdtemp(prefix="doqu-postgres-"))
        self._data = self._dir / "data"
        try:
            if os.geteuid() == 0:
                shutil.chown(self._dir, _SYSTEM_USER, _SYSTEM_USER)
            port = self.port or free_port()
            self._run(
                self._binaries["initdb"], "-D", str(self._data), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            options = (
                f"-p {port} -k {self._dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
            )
            self._run(
                self._binaries["pg_ctl"], "-D", str(self._data), "-o", options,
                "-l", str(self._dir / "server.log"), "-w", "-t", str(int(self.startup_timeout)),
                "start",
            )  # fmt: skip
            self._wait_ready(port)
        except BaseException:
            self.stop()
            raise
        self._url = f"postgresql://{USER}@127.0.0.1:{port}/{DATABASE}"
        return self._url

    def _wait_ready(self, port: int) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            ready = subprocess.run(
                [self._binaries["pg_isready"], "-h", "127.0.0.1", "-p", str(port), "-U", USER],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise ServerError(
                    f"PostgreSQL did not accept connections on 127.0.0.1:{port} within "
                    f"{self.startup_timeout:g} s; its log:\n{self.read_log()}"
                )
            time.sleep(0.1)

    def read_log(self) -> str:
        """What the server has logged so far."""
        if self._dir is None:
            return ""
        path = self._dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server (fast shutdown, then immediate) and delete the cluster; idempotent."""
        directory, self._dir = self._dir, None
        data, self._data = self._data, None
        self._url = None
        if directory is None:
            return
        try:
            if data is not None and (data / "postmaster.pid").exists():
                for mode in ("fast", "immediate"):
                    with contextlib.suppress(ServerError, subprocess.TimeoutExpired):
                        pg_ctl = self._binaries["pg_ctl"]
                        self._run(pg_ctl, "-D", str(data), "-m", mode, "-w", "stop")
                        break
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.stop()


class _TerminatedError(Exception):
    """SIGTERM received."""


def _on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    raise _TerminatedError


def _run_command(server: PostgresServer, cmd: Sequence[str]) -> int:
    env = {**os.environ, ENV_VAR: server.url}
    try:
        child = subprocess.Popen(cmd, env=env)
    except OSError as e:
        print(f"postgres.py: cannot run {cmd[0]!r}: {e}", file=sys.stderr)
        return 127
    try:
        code = child.wait()
    except (KeyboardInterrupt, _TerminatedError):
        # the child shares our terminal and got the Ctrl-C itself; SIGTERM we pass on
        if child.poll() is None:
            child.terminate()
        try:
            code = child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
    return code if code >= 0 else 128 - code


def _serve(server: PostgresServer) -> int:
    print(server.url, flush=True)
    print("PostgreSQL test server running; Ctrl-C stops it.", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(0.5)
    except (KeyboardInterrupt, _TerminatedError):
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="postgres.py", description="Run a throwaway PostgreSQL for doqu's tests."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (
        ("run", f"start a server, run CMD with {ENV_VAR} set, stop the server"),
        ("serve", "start a server, print its URL and serve until Ctrl-C"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
        p.add_argument("--timeout", type=float, default=60.0, help="start-up timeout in seconds")
        if name == "run":
            p.add_argument("cmd", nargs=argparse.REMAINDER, help="-- CMD ARGS...")
    args = parser.parse_args(argv)
    cmd: list[str] = []
    if args.command == "run":
        cmd = list(args.cmd)
        if cmd and cmd[0] == "--":
            cmd = cmd[1:]
        if not cmd:
            parser.error("run: missing command (use: run -- CMD ARGS...)")
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with PostgresServer(port=args.port, startup_timeout=args.timeout) as server:
            return _run_command(server, cmd) if args.command == "run" else _serve(server)
    except ServerError as e:
        print(f"postgres.py: {e}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _TerminatedError):
        return 130


if __name__ == "__main__":
    sys.exit(main())
