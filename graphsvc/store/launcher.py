"""A local Neo4j 5.26 Community server, fetched from Maven Central and run on Java 17.

There is no distribution archive of Neo4j on Maven Central, so the server jars are
copied there with Maven (``graphsvc/server/pom.xml``, runtime scope: the record
storage engine is a runtime dependency) and ``org.neo4j.server.CommunityEntryPoint``
is run directly in one JVM with a generated ``neo4j.conf`` (see docs/operations.md).
Bolt and HTTP listen on 127.0.0.1 only, and authentication is on: other users of the
same machine can reach loopback ports too.  On the first start a random password is
made, kept in ``graphsvc-password`` (mode 0600) and given to Neo4j with its own admin
command ``dbms set-initial-password`` before the store exists; the service reads it
from there (:func:`graphsvc.config.load`).  A store made before authentication was
on still has Neo4j's initial ``neo4j``/``neo4j``, which must be changed on first
login: the launcher then changes it to the new password right after the start.

Everything under ``home`` is the service user's only: folders 0700, files 0600, and
the JVM runs with umask 077 so that Neo4j's data and logs are made the same way.

Folder layout under ``home``::

    conf/neo4j.conf     generated at every start
    data/ logs/ run/    Neo4j's own
    graphsvc-password   the password of the user neo4j
    graphsvc.pid        our pid file (the JVM's pid)
    console.log         the JVM's output
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import neo4j

from graphsvc import config
from graphsvc.errors import LocalServerError
from graphsvc.store.queries import query

__all__ = [
    "LocalNeo4j",
    "check_java",
    "check_maven",
    "free_port",
    "private_dir",
    "write_private",
    "JVM_FLAGS",
    "MAIN_CLASS",
    "ADMIN_CLASS",
    "USER",
]

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
#: What ``neo4j-admin`` runs (the launcher script's second JVM).
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
#: The initial admin user of Neo4j Community (the only user it has).
USER = "neo4j"
#: Files and folders the service makes: its user's only.
UMASK = 0o077

# What the official 5.26 launcher passes (its neo4j.conf server.jvm.additional),
# less -XX:+AlwaysPreTouch, which commits the whole heap up front and slows the start.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true",
)

_EXIT_CODES = {
    1: ("web server of opstartfout", "web server or start error"),
    2: (
        "database kon niet starten "
        "(bijvoorbeeld een map die door een ander proces op slot is gezet)",
        "database start error (for example a store locked by another process)",
    ),
    3: ("ongeldige configuratie", "invalid configuration"),
}


def check_java() -> str:
    """Path of a Java 17 or newer; a clear error when there is none."""
    java = shutil.which("java")
    if java is None:
        raise LocalServerError(
            "Java 17 ontbreekt: installeer OpenJDK 17 "
            "(Debian: apt-get install openjdk-17-jre-headless).",
            "Java 17 is missing: install OpenJDK 17 "
            "(Debian: apt-get install openjdk-17-jre-headless).",
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major < 17:
        raise LocalServerError(
            f"Neo4j 5.26 heeft Java 17 nodig; gevonden: {out.splitlines()[0] if out else java}.",
            f"Neo4j 5.26 needs Java 17; found: {out.splitlines()[0] if out else java}.",
        )
    return java


def check_maven() -> str:
    """Path of Maven; a clear error when there is none."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalServerError(
            "Maven ontbreekt: nodig om de Neo4j-jars van Maven Central te halen "
            "(Debian: apt-get install maven).",
            "Maven is missing: it is needed to fetch the Neo4j jars from Maven Central "
            "(Debian: apt-get install maven).",
        )
    return mvn


def private_dir(path: Path) -> Path:
    """Make ``path`` (and its missing parents) with mode 0700, and set 0700 when it exists."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600 (also when the file was there already)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)


def _answers(uri: str, password: str, timeout: float = 2.0) -> bool:
    """True when the server answers ``RETURN 1`` as user neo4j with ``password``.

    A refused password raises LocalServerError at once: waiting would not help, and
    retrying would only trip Neo4j's lock after repeated failed logins.
    """
    try:
        with neo4j.GraphDatabase.driver(
            uri,
            auth=(USER, password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=0,
            notifications_min_severity="OFF",
        ) as driver:
            records, _, _ = driver.execute_query(query("ping"), database_="neo4j")
            return bool(records[0]["ok"] == 1)
    except neo4j.exceptions.AuthError as exc:
        raise _refused(uri, exc) from exc
    except Exception:  # noqa: BLE001 - any other failure means "not answering (yet)"
        return False


def _refused(uri: str, exc: Exception) -> LocalServerError:
    return LocalServerError(
        f"Neo4j op {uri} weigert het wachtwoord van de gebruiker '{USER}' ({exc}). Zet het "
        f"juiste wachtwoord in {config.PASSWORD_FILE_NAME} in de Neo4j-map (modus 0600) "
        "of in GRAPHSVC_NEO4J_PASSWORD.",
        f"Neo4j at {uri} refuses the password of the user '{USER}' ({exc}). Put the right "
        f"password into {config.PASSWORD_FILE_NAME} in the Neo4j folder (mode 0600) or into "
        "GRAPHSVC_NEO4J_PASSWORD.",
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for throwaway servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (exited, not yet reaped) still answers kill(0).
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state != "Z"
    except OSError:
        return True


@dataclass
class LocalNeo4j:
    """One local server: a folder, two ports and the jars to run it with."""

    home: Path
    lib: Path
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "768m"
    pagecache: str = "256m"

    @classmethod
    def from_settings(cls, settings: dict) -> LocalNeo4j:
        return cls(
            home=Path(settings["NEO4J_HOME"]).resolve(),
            lib=Path(settings["NEO4J_LIB"]).resolve(),
            bolt_port=int(settings["NEO4J_BOLT_PORT"]),
            http_port=int(settings["NEO4J_HTTP_PORT"]),
            heap=str(settings["NEO4J_HEAP"]),
            pagecache=str(settings["NEO4J_PAGECACHE"]),
        )

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "graphsvc.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / config.PASSWORD_FILE_NAME

    def password(self) -> str:
        """The password of the user neo4j ("" before the first start)."""
        return config.local_password(self.home)

    # -- jars --------------------------------------------------------------

    def jars_present(self) -> bool:
        return self.lib.is_dir() and any(self.lib.glob("neo4j-record-storage-engine-*.jar"))

    def fetch(self, quiet: bool = True) -> Path:
        """Copy the server jars from Maven Central into ``lib`` (once)."""
        if self.jars_present():
            return self.lib
        mvn = check_maven()
        check_java()
        self.lib.mkdir(parents=True, exist_ok=True)
        with resources.as_file(resources.files("graphsvc.store.server").joinpath("pom.xml")) as pom:
            cmd = [
                mvn,
                "-B",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={self.lib}",
            ]
            if quiet:
                cmd.insert(2, "-q")
            proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not self.jars_present():
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
            raise LocalServerError(
                f"De Neo4j-jars konden niet van Maven Central worden gehaald:\n{tail}",
                f"Could not fetch the Neo4j jars from Maven Central:\n{tail}",
            )
        return self.lib

    # -- configuration -------------------------------------------------------

    def config_text(self) -> str:
        return "\n".join(
            [
                "# Generated by graphsvc at every start; edits are overwritten.",
                "server.default_listen_address=127.0.0.1",
                f"server.bolt.listen_address=127.0.0.1:{self.bolt_port}",
                f"server.http.listen_address=127.0.0.1:{self.http_port}",
                "server.https.enabled=false",
                "server.directories.data=data",
                "server.directories.logs=logs",
                "server.directories.run=run",
                "server.directories.import=import",
                "server.directories.plugins=plugins",
                f"server.memory.pagecache.size={self.pagecache}",
                "dbms.usage_report.enabled=false",
                # Loopback is shared by every user of the machine; see the module docstring.
                "dbms.security.auth_enabled=true",
                "",
            ]
        )

    def command(self, java: str) -> list[str]:
        return [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            "-cp",
            f"{self.lib}/*",
            MAIN_CLASS,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
            "--console-mode",
        ]

    # -- life cycle ----------------------------------------------------------

    def pid(self) -> int | None:
        """The pid of a running server started from this folder, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def status(self) -> dict:
        pid = self.pid()
        return {
            "running": pid is not None,
            "pid": pid,
            "answers": pid is not None and self._answers_quietly(),
            "uri": self.uri,
            "http": f"http://127.0.0.1:{self.http_port}",
            "home": str(self.home),
        }

    def start(self, timeout: float = 120.0, on_wait: Any = None) -> int:
        """Start the server and wait until ``RETURN 1`` answers; returns the pid."""
        running = self.pid()
        if running is not None:
            raise LocalServerError(
                f"Er draait al een Neo4j op map {self.home} (pid {running}).",
                f"A Neo4j is already running on folder {self.home} (pid {running}).",
                pid=running,
            )
        for port in (self.bolt_port, self.http_port):
            if _port_in_use(port):
                raise LocalServerError(
                    f"Poort {port} is al in gebruik; kies een andere poort "
                    "(GRAPHSVC_NEO4J_BOLT_PORT / GRAPHSVC_NEO4J_HTTP_PORT).",
                    f"Port {port} is already in use; choose another port "
                    "(GRAPHSVC_NEO4J_BOLT_PORT / GRAPHSVC_NEO4J_HTTP_PORT).",
                )
        java = check_java()
        self.fetch()
        private_dir(self.home)
        private_dir(self.home / "conf")
        write_private(self.home / "conf" / "neo4j.conf", self.config_text())
        rotate_initial = self._prepare_password(java)
        password = self.password()
        log_fd = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(log_fd, "ab") as log:
            os.fchmod(log.fileno(), 0o600)
            proc = subprocess.Popen(
                self.command(java),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.home,
                start_new_session=True,
                umask=UMASK,
            )
        write_private(self.pid_file, str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                self.pid_file.unlink(missing_ok=True)
                nl, en = _EXIT_CODES.get(code, ("onbekende fout", "unknown error"))
                tail = self._log_tail()
                raise LocalServerError(
                    f"Neo4j stopte bij het starten (code {code}: {nl}). "
                    f"Log {self.log_file}:\n{tail}",
                    f"Neo4j exited while starting (code {code}: {en}). "
                    f"Log {self.log_file}:\n{tail}",
                )
            if rotate_initial:
                rotate_initial = not self._change_initial_password(password)
            if not rotate_initial and _answers(self.uri, password):
                return proc.pid
            if on_wait:
                on_wait()
            time.sleep(0.5)
        self.stop()
        raise LocalServerError(
            f"Neo4j antwoordde niet binnen {timeout:.0f} s; zie {self.log_file}.",
            f"Neo4j did not answer within {timeout:.0f} s; see {self.log_file}.",
        )

    def _answers_quietly(self) -> bool:
        try:
            return _answers(self.uri, self.password())
        except LocalServerError:
            return False

    def _store_exists(self) -> bool:
        return (self.home / "data" / "databases" / "system").is_dir()

    def _prepare_password(self, java: str) -> bool:
        """Make the password on the first start; True when it must replace neo4j/neo4j.

        A new store gets it through ``neo4j-admin dbms set-initial-password`` (it writes
        ``data/dbms/auth.ini``, which the first start reads).  The password reaches that
        command as picocli's ``@file`` argument, not on its command line, where every
        user of the machine could read it in ``ps``.
        """
        made = False
        if not self.password_file.exists():
            # URL-safe: no spaces or quotes, which an @file argument would split on.
            write_private(self.password_file, secrets.token_urlsafe(32) + "\n")
            made = True
        self.password_file.chmod(0o600)
        if self._store_exists():
            return made
        if not (self.home / "data" / "dbms" / "auth.ini").exists():
            self._set_initial_password(java)
        return False

    def admin_command(self, java: str, *args: str) -> list[str]:
        """``neo4j-admin ARGS`` as one JVM on the same jars, home and configuration."""
        return [java, "-cp", f"{self.lib}/*", ADMIN_CLASS, *args]

    def _admin_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "NEO4J_HOME": str(self.home),
            "NEO4J_CONF": str(self.home / "conf"),
        }

    def _set_initial_password(self, java: str) -> None:
        proc = subprocess.run(
            self.admin_command(java, "dbms", "set-initial-password", f"@{self.password_file}"),
            capture_output=True,
            text=True,
            cwd=self.home,
            env=self._admin_env(),
            umask=UMASK,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-10:])
            raise LocalServerError(
                f"Het beginwachtwoord van Neo4j kon niet worden gezet:\n{tail}",
                f"Could not set Neo4j's initial password:\n{tail}",
            )

    def _change_initial_password(self, password: str) -> bool:
        """neo4j/neo4j -> ``password`` on a store made without authentication.

        False while the server does not answer yet; a refused login raises.
        """
        try:
            with neo4j.GraphDatabase.driver(
                self.uri, auth=(USER, "neo4j"), connection_timeout=2.0
            ) as driver:
                driver.execute_query(
                    query("user_change_initial_password"),
                    old="neo4j",
                    new=password,
                    database_="system",
                )
            return True
        except neo4j.exceptions.AuthError as exc:
            # Not neo4j/neo4j: someone chose a password that we do not know.
            self.password_file.unlink(missing_ok=True)
            self.stop()
            raise _refused(self.uri, exc) from exc
        except Exception:  # noqa: BLE001 - not answering yet
            return False

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM; SIGKILL after ``timeout``). False if none ran."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        if not self._wait_gone(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10)
        self.pid_file.unlink(missing_ok=True)
        return True

    def kill(self) -> bool:
        """Kill the server hard (SIGKILL), as a crash would. False if none ran."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid, 10)
        self.pid_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _wait_gone(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # Reap it when it is our own child; otherwise just look.
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done == pid:
                    return True
            except ChildProcessError:
                pass
            if not _alive(pid):
                return True
            time.sleep(0.2)
        return False

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
