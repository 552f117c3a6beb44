"""What the subcommands share: exit codes, the config options every command
takes, settings from config plus command line, the output stream."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from newslint.cli.progress import Progress
from newslint.config import ConfigError, Settings, load_settings, load_user_settings
from newslint.results import RunResult
from newslint.text.safe import escaped, one_line
from newslint.trust import user_config_path
from newslint.run.engine import Engine

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def config_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="use this newslint.toml or pyproject.toml instead of searching upward")
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR",
                   help="also load declarative rules from DIR (repeatable)")


def settings_for(args, start: Path | None = None) -> Settings:
    settings = load_settings(args.config, start)
    for notice in settings.notices:
        warn(notice)
    apply_user_settings(settings)
    settings.rule_dirs += [str(d) for d in args.rule_dir]
    for name in ("select", "ignore", "extend_select", "exclude", "corpus"):
        value = getattr(args, name, None)
        if value:
            current = getattr(settings, name)
            setattr(settings, name, value if name == "select" else [*(current or []), *value])
    for name in ("cache_dir", "index", "index_namespace", "jobs", "max_file_size"):
        value = getattr(args, name, None)
        if value is not None:
            if name in ("jobs", "max_file_size") and value < 0:
                raise ConfigError(f"--{name.replace('_', '-')} must be a whole number >= 0 "
                                  f"(got {value})")
            setattr(settings, name, value)
    for name in ("respect_gitignore", "force_exclude"):
        if getattr(args, name, None) is not None:
            setattr(settings, name, getattr(args, name))
    if getattr(args, "no_cache", False):
        settings.cache = False
    return settings


def apply_user_settings(settings: Settings) -> None:
    """The user's own config (see newslint.trust): its lists extend the
    project's, its other values replace them; the command line comes after."""
    path = user_config_path()
    if path is None:
        return
    for key, value in load_user_settings(path).items():
        setattr(settings, key, [*getattr(settings, key), *value] if isinstance(value, list) else value)


def warn(message: str) -> None:
    """A warning on stderr, on one line whatever the message quotes."""
    print(f"newslint: warning: {one_line(message)}", file=sys.stderr)


def run_and_tell(engine: Engine, paths: list[str], progress: bool) -> RunResult:
    """`engine.run(paths)` with a progress bar, its notices and input errors
    told on stderr (for commands whose output is not a findings list)."""
    with Progress(enabled=progress) as bar:
        result = engine.run(paths, progress=bar.advance)
    for notice in result.notices:
        warn(notice)
    for error in result.errors:
        where = f"{escaped(error.path)}:{error.line}" if error.line else escaped(error.path)
        print(f"newslint: error: {where}: {one_line(error.message)}", file=sys.stderr)
    return result


def make_engine(args, start: Path | None = None) -> Engine:
    return Engine(settings_for(args, start))


@contextmanager
def output(args):
    """The report's stream: stdout, or `--output-file` written to a temporary
    file beside it and renamed into place once complete, so a full disk or an
    interrupted run never leaves a truncated report. A write that fails (full
    disk, closed pipe aside) is a one-line error (exit 2)."""
    path = getattr(args, "output_file", None)
    if path is None:
        _tolerant(sys.stdout)
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            _silence_stdout()
            raise ConfigError(f"<stdout>: cannot write the report: {exc.strerror or exc}") from None
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ConfigError(f"{escaped(str(path))}: cannot write: {exc.strerror or exc}") from None
    try:
        with open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{escaped(str(path))}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _tolerant(stream) -> None:
    """Undecodable file-name bytes (lone surrogates) are written as escapes
    (`\\udcff`, a valid JSON escape too) rather than crash the output."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null: the interpreter's own
    flush at exit would fail again and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def usage_error(message: str) -> int:
    print(f"newslint: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE
