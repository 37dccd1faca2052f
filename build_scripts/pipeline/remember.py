"""How a stage asks for a result an earlier run may already have: `remember(key, function,
*arguments)` is function(*arguments), where `key` names everything the result depends on (a
file's path and a digest of its text). The stage stays pure; whoever runs it decides whether
results are kept (state.memo keeps them between builds)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Remember(Protocol):
    """function(*arguments), perhaps as an earlier call under the same key returned it."""

    def __call__(self, key: str, function: Callable[..., T], *arguments: Any) -> T: ...


def recompute(key: str, function: Callable[..., T], *arguments: Any) -> T:
    """function(*arguments), every time."""
    return function(*arguments)


def text_key(kind: str, path: str, text: str) -> str:
    """A key for a result made from one file's text: what was made, the file, its text."""
    return f"{kind}:{path}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
