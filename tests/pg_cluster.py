"""A throwaway PostgreSQL cluster for the tests of the PostgreSQL state backend.

`start_cluster` runs Debian's server binaries (``initdb``, ``pg_ctl``) in a
temporary directory: as root (CI) through ``runuser -u postgres --`` in a
directory that user owns, since ``initdb`` refuses to run as root; otherwise
directly. The server listens on loopback on a free port with password
(SCRAM) logins, so the URLs carry a real password; the unix socket lives in
the same directory. `PgCluster.stop` stops it and deletes everything.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from required_tools import postgres_bindir, require_tool

__all__ = ["PgCluster", "start_cluster"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """A running cluster: its port, its superuser's password, its databases."""

    def __init__(self, root: Path, bindir: str, port: int, password: str) -> None:
        self.root = root
        self.data = root / "data"
        self.bindir = bindir
        self.port = port
        self.password = password
        self.user = "postgres"
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0

    def _run(self, *argv: str, timeout: float = 120) -> None:
        command = [os.path.join(self.bindir, argv[0]), *argv[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, check=True, capture_output=True, timeout=timeout, cwd=self.root
        )

    def initdb(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._as_postgres:
            shutil.chown(pwfile, "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", self.user, "-E", "UTF8",
            "--locale=C", "--auth-host=scram-sha-256", "--auth-local=trust",
            f"--pwfile={pwfile}",
        )  # fmt: skip
        pwfile.unlink()

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-w", "-t", "120", "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Restart the server (every session is cut, as a real restart does)."""
        self.stop()
        self.start()

    def url(self, dbname: str = "postgres", *, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql://{self.user}:{secret}@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"t{next(self._names)}_{secrets.token_hex(3)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def start_cluster() -> Iterator[PgCluster]:
    """A started cluster for the block; stopped and deleted after it.

    Skipped when PostgreSQL is missing, an error under ``CI=true``
    (`require_tool`).
    """
    require_tool("postgresql")
    root = Path(tempfile.mkdtemp(prefix="gcsched-pg-"))
    if os.geteuid() == 0:
        pwd.getpwnam("postgres")  # Debian's package creates the user
        shutil.chown(root, "postgres", "postgres")
    cluster = PgCluster(root, postgres_bindir(), _free_port(), secrets.token_hex(12))
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()
