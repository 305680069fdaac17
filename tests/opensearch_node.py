"""Real OpenSearch nodes for the cluster tests: built from tests/opensearch/ by Maven, run as JVMs.

Each node is its own `java` process (so a test can kill one), on free loopback ports, with its data
in a temporary folder. Nothing here knows a machine's paths: `java` and `mvn` come from PATH and the
jars from Maven's cache, which the first run fills from Maven Central.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "opensearch"
# A small heap: the test machines run several workers on two cores and little memory each.
HEAP = ["-Xms256m", "-Xmx512m"]
# A node starts in ~12 s on an idle machine; a loaded shared one can take several times that.
START_TIMEOUT = 180.0
# A node closing cleanly flushes and releases its locks within seconds; past this it is killed.
STOP_TIMEOUT = 30.0
REQUIRE_VARIABLE = "SEARCHER_REQUIRE_OPENSEARCH"


class NodeUnavailable(Exception):
    """No node can run here (no Java or Maven), or one could not be built or started."""


def required() -> bool:
    """Whether a node that cannot start fails the tests instead of skipping them (CI sets this)."""
    return os.environ.get(REQUIRE_VARIABLE, "") not in ("", "0")


def missing_tools() -> str | None:
    """Why nodes cannot run on this machine, or None when Java and Maven are both there."""
    absent = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"OpenSearch tests need {' and '.join(absent)} on PATH" if absent else None


def build_classpath(work: Path) -> str:
    """Compiles the launcher and returns its class path (Maven fetches the jars on a first run)."""
    classpath_file = work / "classpath.txt"
    command = [
        "mvn", "-B", "-q", "-f", str(LAUNCHER / "pom.xml"),
        "compile", "dependency:build-classpath", f"-Dmdep.outputFile={classpath_file}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NodeUnavailable(f"building the test node failed: {(done.stdout + done.stderr).strip()[-2000:]}")
    return f"{LAUNCHER / 'target' / 'classes'}{os.pathsep}{classpath_file.read_text().strip()}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Node:
    """One running node: its process and ports."""

    name: str
    http_port: int
    transport_port: int
    home: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def kill(self) -> None:
        """Ends the node at once, as a crash would (SIGKILL)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        """Closes the node by its PID (SIGTERM), killing it if it does not close in time."""
        if not self.process or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Cluster:
    """Nodes started together: one (single-node discovery) or several forming one cluster."""

    nodes: list[Node]
    started_in: float = 0.0  # seconds from the first launch to green health
    replicas: int = field(default=0)

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes if node.process and node.process.poll() is None]

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def start_cluster(classpath: str, work: Path, size: int = 1, name: str = "searcher-test") -> Cluster:
    """Starts `size` nodes and waits for green health; stops them all if that fails."""
    nodes = [Node(f"{name}-{i}", free_port(), free_port(), work / f"{name}-{i}") for i in range(size)]
    cluster = Cluster(nodes, replicas=min(1, size - 1))
    began = time.monotonic()
    try:
        for node in nodes:
            node.home.mkdir(parents=True, exist_ok=True)
            node.process = _launch(classpath, node, nodes, name)
        _wait_green(cluster, began + START_TIMEOUT)
    except BaseException:
        cluster.stop()
        raise
    cluster.started_in = time.monotonic() - began
    return cluster


def _launch(classpath: str, node: Node, nodes: list[Node], cluster_name: str) -> subprocess.Popen:
    arguments = [
        f"name={node.name}",
        f"home={node.home}",
        f"http.port={node.http_port}",
        f"transport.port={node.transport_port}",
        f"cluster={cluster_name}",
    ]
    if len(nodes) > 1:
        arguments.append("seeds=" + ",".join(f"127.0.0.1:{other.transport_port}" for other in nodes))
        arguments.append("managers=" + ",".join(other.name for other in nodes))
    command = ["java", *HEAP, "-cp", classpath, "searcher.testnode.TestNode", *arguments]
    with (node.home / "node.log").open("w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _wait_green(cluster: Cluster, deadline: float) -> None:
    expected = len(cluster.nodes)
    while True:
        for node in cluster.nodes:
            if node.process.poll() is not None:
                raise NodeUnavailable(f"node {node.name} exited: {_log_tail(node)}")
        health = _health(cluster.url)
        if health and health.get("status") == "green" and health.get("number_of_nodes") == expected:
            return
        if time.monotonic() > deadline:
            raise NodeUnavailable(f"no green health after {START_TIMEOUT:.0f} s: {_log_tail(cluster.nodes[0])}")
        time.sleep(0.5)


def _health(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=5) as response:
            return json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _log_tail(node: Node) -> str:
    log = node.home / "node.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return " | ".join(lines[-5:]) or "(no output)"
