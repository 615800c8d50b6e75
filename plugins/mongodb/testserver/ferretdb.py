#!/usr/bin/env python3
"""Build, cache and run the FerretDB test server for doqu's MongoDB plugin.

The server is the small Go program in this directory (``main.go``) that embeds
FerretDB with its SQLite backend, so the MongoDB plugin's tests can talk to a
real MongoDB wire-protocol server without a MongoDB installation.

Standard library only. Usage as a module::

    from ferretdb import FerretDBServer

    with FerretDBServer() as server:
        client = pymongo.MongoClient(server.url)

Usage from the command line::

    python ferretdb.py build              # prints the binary's path
    python ferretdb.py run -- pytest ...  # runs a command with DOQU_MONGODB_URL set
    python ferretdb.py serve              # prints the URL, serves until Ctrl-C
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import pathlib
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import IO

__all__ = [
    "ENV_VAR",
    "BuildError",
    "FerretDBServer",
    "GoNotFoundError",
    "ServerError",
    "binary_path",
    "build",
    "ping",
]

#: Environment variable that ``run`` sets to the server's URL.
ENV_VAR = "DOQU_MONGODB_URL"

SOURCE_DIR = pathlib.Path(__file__).resolve().parent
SOURCE_FILES = ("go.mod", "go.sum", "main.go")
BINARY_NAME = "doqu-ferretdb"

# Part of the cache key: changing how the binary is built rebuilds it.
_BUILD_ARGS = ("build", "-trimpath", "-tags", "ferretdb_no_postgresql", "-ldflags", "-s -w")
_BUILD_ENV = {"CGO_ENABLED": "0"}

_URI_PREFIX = "MONGODB_URI="


class BuildError(RuntimeError):
    """The server binary could not be built."""


class GoNotFoundError(BuildError):
    """No ``go`` command on PATH."""


class ServerError(RuntimeError):
    """The server failed to start or is not running."""


# --------------------------------------------------------------------------
# Building


def source_digest() -> str:
    """Return the first 16 hex digits of the SHA-256 of the Go sources."""
    h = hashlib.sha256()
    for name in SOURCE_FILES:
        h.update(name.encode() + b"\0")
        h.update((SOURCE_DIR / name).read_bytes())
        h.update(b"\0")
    h.update(repr((_BUILD_ARGS, sorted(_BUILD_ENV.items()))).encode())
    return h.hexdigest()[:16]


def cache_root() -> pathlib.Path:
    """Return ``${XDG_CACHE_HOME:-~/.cache}/doqu``."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = pathlib.Path(xdg) if xdg else pathlib.Path.home() / ".cache"
    return base / "doqu"


def binary_path() -> pathlib.Path:
    """Return where the binary for the current sources is (or will be) cached."""
    return cache_root() / f"ferretdb-{source_digest()}" / BINARY_NAME


@contextlib.contextmanager
def _locked(path: pathlib.Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so parallel builds do not race."""
    with open(path, "a+b") as f:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        yield


def build(force: bool = False) -> pathlib.Path:
    """Build the server binary unless it is cached, and return its path.

    The binary lives in a cache directory named after a hash of the sources,
    so it is built once per machine and source version. The first build
    downloads Go modules and compiles FerretDB, which takes a minute or more.
    """
    target = binary_path()
    if not force and target.is_file():
        return target

    go = shutil.which("go")
    if go is None:
        raise GoNotFoundError(
            "cannot build the FerretDB test server: no 'go' command on PATH "
            f"(Go >= 1.24 is needed to build {SOURCE_DIR / 'main.go'})"
        )

    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent / ".lock"):
        # Another process may have finished the same build while we waited.
        if not force and target.is_file():
            return target

        tmp = target.with_name(f".{BINARY_NAME}.{os.getpid()}.tmp")
        cmd = [go, *_BUILD_ARGS, "-o", str(tmp), "."]
        env = {**os.environ, **_BUILD_ENV}
        try:
            proc = subprocess.run(
                cmd,
                cwd=SOURCE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                check=False,
            )
            if proc.returncode != 0:
                raise BuildError(
                    f"building the FerretDB test server failed "
                    f"(exit {proc.returncode}): {' '.join(cmd)} in {SOURCE_DIR}\n"
                    f"{proc.stdout}"
                )
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return target


# --------------------------------------------------------------------------
# A minimal MongoDB "ping" (OP_MSG over a socket, no driver needed)

_OP_MSG = 2013


def _bson_cstring(s: str) -> bytes:
    return s.encode() + b"\0"


def _ping_document() -> bytes:
    """BSON for ``{ping: 1 (int32), $db: "admin"}``."""
    ping = b"\x10" + _bson_cstring("ping") + struct.pack("<i", 1)
    db = b"\x02" + _bson_cstring("$db") + struct.pack("<i", 6) + b"admin\0"
    elements = ping + db
    return struct.pack("<i", 4 + len(elements) + 1) + elements + b"\0"


def _bson_top_level(doc: bytes) -> dict[str, object]:
    """Decode the scalar top-level fields of a BSON document.

    Only what a ``ping`` reply needs: numbers, booleans, strings and null are
    decoded; embedded documents and other types are skipped (value ``None``).
    """
    out: dict[str, object] = {}
    end = struct.unpack_from("<i", doc)[0] - 1
    i = 4
    fixed = {0x07: 12, 0x09: 8, 0x11: 8, 0x13: 16, 0x0A: 0, 0x06: 0, 0x7F: 0, 0xFF: 0}
    while i < end:
        kind = doc[i]
        name_end = doc.index(b"\0", i + 1)
        name = doc[i + 1 : name_end].decode(errors="replace")
        i = name_end + 1
        value: object = None
        if kind == 0x01:
            value = struct.unpack_from("<d", doc, i)[0]
            i += 8
        elif kind == 0x10:
            value = struct.unpack_from("<i", doc, i)[0]
            i += 4
        elif kind == 0x12:
            value = struct.unpack_from("<q", doc, i)[0]
            i += 8
        elif kind == 0x08:
            value = doc[i] != 0
            i += 1
        elif kind in (0x02, 0x0D, 0x0E):  # string, JavaScript, symbol
            n = struct.unpack_from("<i", doc, i)[0]
            value = doc[i + 4 : i + 4 + n - 1].decode(errors="replace")
            i += 4 + n
        elif kind in (0x03, 0x04, 0x0F):  # document, array, code with scope
            i += struct.unpack_from("<i", doc, i)[0]
        elif kind == 0x05:  # binary
            i += 4 + 1 + struct.unpack_from("<i", doc, i)[0]
        elif kind == 0x0B:  # regex: two cstrings
            i = doc.index(b"\0", doc.index(b"\0", i) + 1) + 1
        elif kind == 0x0C:  # DBPointer
            i += 4 + struct.unpack_from("<i", doc, i)[0] + 12
        elif kind in fixed:
            i += fixed[kind]
        else:
            raise ValueError(f"unsupported BSON type 0x{kind:02x} in reply")
        out[name] = value
    return out


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("server closed the connection")
        buf += chunk
    return bytes(buf)


def ping(host: str, port: int, timeout: float = 5.0) -> dict[str, object]:
    """Send ``{ping: 1}`` to a MongoDB wire-protocol server and check ``ok``.

    Returns the reply's top-level scalar fields; raises ``OSError`` if the
    server cannot be reached and ``ServerError`` if it does not answer ok.
    """
    body = struct.pack("<I", 0) + b"\x00" + _ping_document()  # flagBits, kind 0
    header = struct.pack("<iiii", 16 + len(body), 1, 0, _OP_MSG)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(header + body)
        length, _, _, opcode = struct.unpack("<iiii", _recv_exact(sock, 16))
        payload = _recv_exact(sock, length - 16)
    if opcode != _OP_MSG or payload[4] != 0:
        raise ServerError(f"unexpected ping reply (opCode {opcode})")
    reply = _bson_top_level(payload[5:])
    if reply.get("ok") not in (1, 1.0, True):
        raise ServerError(f"ping failed: {reply}")
    return reply


# --------------------------------------------------------------------------
# Running


class FerretDBServer:
    """A FerretDB server on 127.0.0.1 with its data in a temporary directory.

    ``start()`` builds the binary if needed (see :func:`build`), starts it and
    waits until it answers a ``ping``; ``stop()`` stops it and deletes the
    data. Also a context manager. FerretDB's own log (warnings and errors by
    default) goes to ``log_path`` and is quoted in start-up errors.
    """

    def __init__(
        self,
        binary: os.PathLike[str] | str | None = None,
        *,
        port: int = 0,
        startup_timeout: float = 60.0,
        stop_timeout: float = 10.0,
        log_level: str = "warn",
    ) -> None:
        """Configure the server; ``port=0`` lets the OS pick a free port."""
        self.binary = pathlib.Path(binary) if binary is not None else None
        self.port = port
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.log_level = log_level
        self._url: str | None = None
        self._dir: pathlib.Path | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._log: IO[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._uri_seen = threading.Event()

    # -- state ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """The ``mongodb://127.0.0.1:PORT/`` URL; only while running."""
        if self._url is None:
            raise ServerError("FerretDB test server is not running")
        return self._url

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` the server listens on; only while running."""
        parts = urllib.parse.urlsplit(self.url)
        assert parts.hostname is not None
        assert parts.port is not None
        return parts.hostname, parts.port

    @property
    def log_path(self) -> pathlib.Path | None:
        """FerretDB's stderr log, while the temporary directory exists."""
        return self._dir / "ferretdb.log" if self._dir is not None else None

    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def read_log(self) -> str:
        """Return what FerretDB has logged so far (empty if nothing)."""
        path = self.log_path
        if path is None or not path.exists():
            return ""
        return path.read_text(errors="replace")

    # -- life cycle ------------------------------------------------------------

    def start(self) -> str:
        """Start the server, wait until it is ready and return its URL."""
        if self._proc is not None:
            raise ServerError("FerretDB test server already started")
        binary = self.binary if self.binary is not None else build()
        self._dir = pathlib.Path(tempfile.mkdtemp(prefix="doqu-ferretdb-"))
        data = self._dir / "data"
        data.mkdir()
        assert self.log_path is not None
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self._uri_seen.clear()
        try:
            self._proc = subprocess.Popen(
                [
                    str(binary),
                    "-listen",
                    f"127.0.0.1:{self.port}",
                    "-data",
                    str(data),
                    "-log-level",
                    self.log_level,
                    "-exit-on-stdin-eof",
                ],
                stdin=subprocess.PIPE,  # never written: closes when we die
                stdout=subprocess.PIPE,
                stderr=self._log,
                text=True,
                errors="replace",
                start_new_session=True,  # Ctrl-C in a terminal is ours to handle
            )
            self._reader = threading.Thread(
                target=self._read_stdout, name="ferretdb-stdout", daemon=True
            )
            self._reader.start()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _read_stdout(self) -> None:
        """Find the URI line, then keep draining stdout so it never fills."""
        assert self._proc is not None
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if self._url is None and line.startswith(_URI_PREFIX):
                self._url = line[len(_URI_PREFIX) :].strip()
                self._uri_seen.set()
        self._uri_seen.set()  # EOF: wake up the waiter; it checks the process

    def _fail(self, why: str) -> ServerError:
        log = self.read_log().strip()
        if len(log) > 8000:
            log = "...\n" + log[-8000:]
        return ServerError(f"FerretDB test server {why}" + (f"; its log:\n{log}" if log else ""))

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        self._uri_seen.wait(self.startup_timeout)
        if self._url is None:
            code = self._proc.poll()
            if code is not None:
                raise self._fail(f"exited with code {code} during start-up")
            raise self._fail(f"printed no {_URI_PREFIX} line within {self.startup_timeout:g} s")
        host, port = self.address
        last: Exception | None = None
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise self._fail(f"exited with code {code} during start-up")
            try:
                ping(host, port, timeout=max(0.1, min(5.0, deadline - time.monotonic())))
                return
            except (OSError, ServerError, ValueError, struct.error) as e:
                last = e
                time.sleep(0.05)
        raise self._fail(
            f"did not answer ping at {self._url} within "
            f"{self.startup_timeout:g} s (last error: {last!r})"
        )

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and delete its data.

        Safe to call more than once, and on a server that failed to start.
        """
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(self.stop_timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        if self._reader is not None:
            self._reader.join(5)
            self._reader = None
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        self._url = None

    def __enter__(self) -> FerretDBServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._url if self._url is not None else "stopped"
        return f"<FerretDBServer {state}>"


# --------------------------------------------------------------------------
# Command line


class _TerminatedError(Exception):
    """SIGTERM received."""


def _on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    raise _TerminatedError


def _run(server: FerretDBServer, cmd: Sequence[str]) -> int:
    env = {**os.environ, ENV_VAR: server.url}
    try:
        child = subprocess.Popen(cmd, env=env)
    except OSError as e:
        print(f"ferretdb.py: cannot run {cmd[0]!r}: {e}", file=sys.stderr)
        return 127
    try:
        code = child.wait()
    except (KeyboardInterrupt, _TerminatedError):
        # The child shares our terminal and got the Ctrl-C itself; SIGTERM
        # we pass on.
        if child.poll() is None:
            child.terminate()
        try:
            code = child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
    return code if code >= 0 else 128 - code


def _serve(server: FerretDBServer) -> int:
    print(server.url, flush=True)
    print("FerretDB test server running; Ctrl-C stops it.", file=sys.stderr, flush=True)
    try:
        while server.running():
            time.sleep(0.5)
    except (KeyboardInterrupt, _TerminatedError):
        return 0
    print(f"ferretdb.py: server exited:\n{server.read_log()}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="ferretdb.py",
        description="Build and run the FerretDB test server for doqu's MongoDB plugin.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="build (or find the cached) binary and print its path")
    p_build.add_argument("--force", action="store_true", help="rebuild even if cached")
    for name, help_ in (
        ("run", f"start a server, run CMD with {ENV_VAR} set, stop the server"),
        ("serve", "start a server, print its URL and serve until Ctrl-C"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
        p.add_argument("--log-level", default="warn", help="FerretDB log level (default: warn)")
        p.add_argument("--timeout", type=float, default=60.0, help="start-up timeout in seconds")
        if name == "run":
            p.add_argument("cmd", nargs=argparse.REMAINDER, help="-- CMD ARGS...")
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            print(build(force=args.force))
            return 0

        cmd: list[str] = []
        if args.command == "run":
            cmd = list(args.cmd)
            if cmd and cmd[0] == "--":
                cmd = cmd[1:]
            if not cmd:
                parser.error("run: missing command (use: run -- CMD ARGS...)")

        if not binary_path().is_file():
            print("ferretdb.py: building the FerretDB test server...", file=sys.stderr, flush=True)
        binary = build()

        signal.signal(signal.SIGTERM, _on_sigterm)
        with FerretDBServer(
            binary, port=args.port, startup_timeout=args.timeout, log_level=args.log_level
        ) as server:
            return _run(server, cmd) if args.command == "run" else _serve(server)
    except (BuildError, ServerError) as e:
        print(f"ferretdb.py: {e}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _TerminatedError):
        return 130


if __name__ == "__main__":
    sys.exit(main())
