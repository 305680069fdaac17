"""The config file: defaults people would otherwise repeat on every command (where the index lives,
the taxonomy, colour, how many results), in the platform's config folder.

They become click's default_map, so the order click gives every option holds: an option on the
command line wins, then an environment variable (SEARCHER_INDEX, NO_COLOR), then this file, then
the built-in default.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

# Points at another config file (an empty string: none); tests and scripts use it.
CONFIG_ENV = "SEARCHER_CONFIG"
CONFIG_NAME = "config.toml"
KEYS = {
    "index": "where the index lives (like --index)",
    "taxonomy": "topic taxonomy TOML file for index and clean (like --taxonomy)",
    "color": "auto, always or never (like --color)",
    "limit": "results per page for search and similar (like -n)",
    "opensearch_user": "user for an OpenSearch cluster (like SEARCHER_OPENSEARCH_USER)",
    "opensearch_password": "its password (like SEARCHER_OPENSEARCH_PASSWORD; the file must be private)",
}
# The credentials' keys and the environment variables the OpenSearch engine reads them from: the
# environment wins, as it does for every other setting.
CREDENTIALS = {"opensearch_user": "SEARCHER_OPENSEARCH_USER", "opensearch_password": "SEARCHER_OPENSEARCH_PASSWORD"}
COLOURS = ("auto", "always", "never")
# The commands each key is a default for, and the name of the option it fills there.
COLOUR_COMMANDS = ("search", "similar", "show", "clean")
LIMIT_COMMANDS = ("search", "similar")
TAXONOMY_COMMANDS = ("index", "clean")


class ConfigError(click.ClickException):
    """The config file cannot be read or holds something searcher does not know: one line, exit 2."""

    exit_code = 2


def config_path() -> Path | None:
    """The config file to read: $SEARCHER_CONFIG, else config.toml in the platform's config folder
    (~/.config/searcher on Linux); None when SEARCHER_CONFIG is set empty."""
    given = os.environ.get(CONFIG_ENV)
    if given is not None:
        return Path(given).expanduser() if given else None
    return Path(click.get_app_dir("searcher")) / CONFIG_NAME


def load_defaults(path: Path | None) -> dict:
    """click's default_map for the settings in the file at path ({} when there is none)."""
    if path is None or not path.is_file():
        return {}
    import tomllib  # only when there is a file: every command starts here

    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the config file {path}: {error}") from error
    unknown = sorted(set(settings) - set(KEYS))
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting {unknown[0]!r}; known: {', '.join(KEYS)}")
    _credentials(path, settings)
    return _default_map(path, settings)


def _credentials(path: Path, settings: dict) -> None:
    """The cluster's credentials from the file, where the environment gives none; a password only
    from a file no one else may read (as ssh and ~/.pgpass insist)."""
    if "opensearch_password" in settings and path.stat().st_mode & 0o077:
        raise ConfigError(
            f"config file {path} holds a password but others may read it; protect it with: chmod 600 {path}"
        )
    for key, variable in CREDENTIALS.items():
        if key in settings:
            os.environ.setdefault(variable, _text(path, settings, key))


def _default_map(path: Path, settings: dict) -> dict:
    defaults: dict = {}

    def each(commands: tuple[str, ...], name: str, value: object) -> None:
        for command in commands:
            defaults.setdefault(command, {})[name] = value

    if "index" in settings:
        defaults["index_dir"] = Path(_text(path, settings, "index")).expanduser()
    if "taxonomy" in settings:
        each(TAXONOMY_COMMANDS, "taxonomy", Path(_text(path, settings, "taxonomy")).expanduser())
    if "color" in settings:
        colour = _text(path, settings, "color")
        if colour not in COLOURS:
            raise ConfigError(f"config file {path}: color must be one of {', '.join(COLOURS)}, not {colour!r}")
        each(COLOUR_COMMANDS, "colour", colour)
    if "limit" in settings:
        limit = settings["limit"]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ConfigError(f"config file {path}: limit must be a whole number of at least 1, not {limit!r}")
        each(LIMIT_COMMANDS, "limit", limit)
    return defaults


def _text(path: Path, settings: dict, key: str) -> str:
    value = settings[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"config file {path}: {key} must be a string, not {value!r}")
    return value.strip()


def describe(path: Path | None) -> tuple[str, list[tuple[str, str]]]:
    """For `searcher --help`: where the config file is (and whether it exists), and its keys."""
    if path is None:
        return f"none (${CONFIG_ENV} is empty)", []
    state = "" if path.is_file() else " (not created yet)"
    return f"{path}{state}", [(key, meaning) for key, meaning in KEYS.items()]
