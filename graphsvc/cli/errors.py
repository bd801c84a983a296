"""One way for every command to report our errors: a message in Dutch and English on
standard error (with the problems of a rejected import, one a line) and exit code 1,
never a stack trace."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

import click

from graphsvc.errors import GraphsvcError

__all__ = ["fail", "friendly"]

_F = TypeVar("_F", bound=Callable[..., Any])


def fail(exc: GraphsvcError) -> NoReturn:
    """Print ``exc`` for a person and exit 1."""
    click.echo(f"graphsvc: {exc.message_nl}\ngraphsvc: {exc.message_en}", err=True)
    for problem in exc.extra.get("errors") or exc.extra.get("problems") or []:
        where = ", ".join(
            str(x)
            for x in (
                problem.get("file"),
                problem.get("row") and f"rij/row {problem['row']}",
                problem.get("column"),
            )
            if x
        )
        prefix = f"{where}: " if where else ""
        click.echo(
            f"  - {prefix}{problem.get('message_nl')}\n    {problem.get('message_en')}", err=True
        )
    sys.exit(1)


def friendly(func: _F) -> _F:
    """Turn our errors raised by ``func`` into :func:`fail`."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraphsvcError as exc:
            fail(exc)

    return cast(_F, wrapper)
