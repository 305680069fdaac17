"""The config file and shell completion: defaults people would repeat, and what the shell offers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests.conftest import seed_path


def run(runner: CliRunner, *args: str, **kwargs: object):
    return runner.invoke(cli, list(args), prog_name="searcher", **kwargs)


def write_config(text: str) -> Path:
    path = Path(os.environ["SEARCHER_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_indexes(runner: CliRunner, seed_index) -> None:
    """./index of the seeds, and ./small of one seed."""
    Path("one").mkdir()
    shutil.copy(seed_path("002"), "one")
    assert run(runner, "--index", "small", "index", "one").exit_code == 0


def hits(runner: CliRunner, *args: str, env: dict | None = None) -> list[str]:
    result = run(runner, "search", "Turkey", "--format", "ids", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_the_config_file_sets_the_index_and_the_limit(runner: CliRunner, two_indexes):
    write_config('index = "small"\n')
    assert hits(runner) == ["one/002_ebd0e1da6b7cb76d.txt"]
    write_config("limit = 2\n")
    assert len(hits(runner)) == 2


def test_the_environment_beats_the_file_and_options_beat_both(runner: CliRunner, two_indexes):
    write_config('index = "small"\nlimit = 2\n')
    assert len(hits(runner, env={"SEARCHER_INDEX": "index"})) == 2  # the seeds' index, the file's limit
    assert hits(runner, "--index", "small", env={"SEARCHER_INDEX": "index"}) == ["one/002_ebd0e1da6b7cb76d.txt"]
    assert len(hits(runner, "-n", "4")) == 1  # small has one article whatever the limit
    assert len(hits(runner, "-n", "4", "--index", "index")) == 4


def test_the_file_s_colour_yields_to_no_color(runner: CliRunner, seed_index):
    write_config('color = "always"\n')
    assert "\x1b[" in run(runner, "search", "Idlib").stdout
    assert "\x1b[" not in run(runner, "search", "Idlib", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" in run(runner, "search", "Idlib", "--color", "always", env={"NO_COLOR": "1"}).stdout


def test_the_file_s_taxonomy_is_used_by_index(runner: CliRunner):
    taxonomy = 'threshold = 1.0\n[[topic]]\nname = "rocketry"\ndescription = "Rockets"\nterms = { "s-400" = 3 }\n'
    Path("mine.toml").write_text(taxonomy, encoding="utf-8")
    write_config('taxonomy = "mine.toml"\n')
    assert run(runner, "index", "seeds").exit_code == 0
    result = run(runner, "topics")
    assert result.stdout.split()[:2] == ["rocketry", "3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "limt = 2\n",
            "unknown setting 'limt'; known: index, taxonomy, color, limit, opensearch_user, opensearch_password",
        ),
        ("limit = 0\n", "limit must be a whole number of at least 1, not 0"),
        ('color = "sometimes"\n', "color must be one of auto, always, never, not 'sometimes'"),
        ("index = 3\n", "index must be a string, not 3"),
        ("limit = \n", "cannot read the config file"),
    ],
)
def test_a_bad_config_file_is_one_line_and_exit_2(runner: CliRunner, seed_index, text: str, message: str):
    path = write_config(text)
    result = run(runner, "search", "Idlib")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: config file {path}: {message}") or (
        result.stderr.startswith(f"Error: {message} {path}")
    )
    assert len(result.stderr.splitlines()) == 1


def test_help_names_the_config_file(runner: CliRunner):
    path = Path(os.environ["SEARCHER_CONFIG"])
    lines = run(runner, "--help").stdout.splitlines()
    at = lines.index("Config file (TOML; $SEARCHER_CONFIG names another):")
    assert lines[at + 1] == f"  {path} (not created yet)"
    assert lines[at + 2].split() == ["index", "where", "the", "index", "lives", "(like", "--index)"]
    write_config("limit = 3\n")
    assert f"  {path}" in run(runner, "--help").stdout.splitlines()


def test_without_searcher_config_the_platform_folder_is_used(runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SEARCHER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(Path("xdg").resolve()))
    Path("xdg/searcher").mkdir(parents=True)
    Path("xdg/searcher/config.toml").write_text("limit = nonsense\n", encoding="utf-8")
    result = run(runner, "topics")
    assert result.exit_code == 2
    assert f"cannot read the config file {Path('xdg/searcher/config.toml').resolve()}" in result.stderr


def complete(runner: CliRunner, words: str) -> list[str]:
    """What bash completion offers for the last of `words` (click's bash protocol: type,value lines)."""
    env = {"_SEARCHER_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    if words.endswith(" "):
        env["COMP_CWORD"] = str(len(words.split()))
    result = run(runner, env=env)
    assert result.exit_code == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_completion_offers_the_index_s_topics(runner: CliRunner, seed_index):
    assert sorted(complete(runner, "searcher search --topic d")) == ["defence", "diplomacy", "disaster"]


def test_completion_reads_the_index_given_before_the_command(runner: CliRunner, two_indexes):
    assert complete(runner, "searcher --index small show ") == ["one/002_ebd0e1da6b7cb76d.txt"]


def test_completion_offers_commands_and_options(runner: CliRunner):
    assert complete(runner, "searcher se") == ["search"]
    assert "--timeline" in complete(runner, "searcher search --t")


def test_completion_without_an_index_offers_nothing_and_fails_nothing(runner: CliRunner):
    assert complete(runner, "searcher search --topic d") == []


def test_completion_of_the_index_option_is_folders(runner: CliRunner):
    env = {"_SEARCHER_COMPLETE": "bash_complete", "COMP_WORDS": "searcher --index ", "COMP_CWORD": "2"}
    result = run(runner, env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["dir,"]  # bash then completes folder names itself


# Credentials for an OpenSearch cluster: from the environment, else from a private config file.


@pytest.fixture
def cluster_listener() -> tuple[str, list[str]]:
    """An HTTP server on a free loopback port answering 401 to everything, and the Authorization
    header of each request it got: what a cluster with security on sees of searcher's credentials."""
    import http.server
    import threading

    seen: list[str] = []

    class Refusing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the library's name
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_POST = do_PUT = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"opensearch://127.0.0.1:{server.server_port}/news", seen
    server.shutdown()
    server.server_close()


def _basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("from_environment", [False, True])
def test_cluster_credentials_come_from_a_private_config_file_unless_the_environment_gives_them(
    runner: CliRunner, cluster_listener, monkeypatch: pytest.MonkeyPatch, from_environment: bool
):
    pytest.importorskip("opensearchpy", reason='the OpenSearch engine needs: pip install "searcher[opensearch]"')
    from searcher.engine import close_engines

    url, seen = cluster_listener
    for variable in ("SEARCHER_OPENSEARCH_USER", "SEARCHER_OPENSEARCH_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    if from_environment:
        monkeypatch.setenv("SEARCHER_OPENSEARCH_USER", "ops")
        monkeypatch.setenv("SEARCHER_OPENSEARCH_PASSWORD", "from-env")
    path = write_config('opensearch_user = "reader"\nopensearch_password = "s3cret"\n')
    path.chmod(0o600)
    result = run(runner, "--engine", url, "stats")
    close_engines()
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert seen and set(seen) == {_basic("ops", "from-env") if from_environment else _basic("reader", "s3cret")}


def test_a_password_in_a_config_file_others_can_read_is_refused(runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SEARCHER_OPENSEARCH_PASSWORD", raising=False)
    path = write_config('opensearch_user = "reader"\nopensearch_password = "s3cret"\n')
    path.chmod(0o644)
    result = run(runner, "search", "Idlib")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: config file {path} holds a password but others may read it; protect it with: chmod 600 {path}\n"
    )
    assert "s3cret" not in result.stderr
