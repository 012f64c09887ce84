"""Process-wide memos for what every visitor sees the same: the content, its derived text, figures, tables.

Why not st.cache_resource / st.cache_data: a hit there hashes every argument and inspects the function's
signature on every call (cache_data also copies the value), ~0.1-0.5 ms per lookup, several per rerun. A hit
here is one dict lookup on a few strings and ids.

What may be memoized here (each use's docstring says why it qualifies):
- the value is immutable (str, bytes, tuple, frozen model, read-only Arrow table) or never mutated by callers;
- it holds nothing of one visitor: no session state, no name or note, no safety answer;
- its key holds no text a visitor typed (a search, a name, a note): such values are computed per run or kept
  in the visitor's own session state, never where another session can reach them (tests check `all_keys()`).

`per_folder` memos take the content too but are keyed by the folder it was loaded from and its language (one
content object per folder and language, see startup.content; `folder()` is that key, so every memo of content
text, and of interface words translated inside it, is kept per language). `clear()` empties every memo at once
(a cold start, as after a deploy): the test fixture calls it with st.cache_*.clear() before each test.
Streamlit's "Clear caches" does not reach these; the content only changes with a new deploy, which starts a new process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from psoas_explorer import settings
from psoas_explorer.i18n import DEFAULT, Lang
from psoas_explorer.web import lang

T = TypeVar("T")

_memos: list[dict[tuple[Any, ...], Any]] = []


def _store(maxsize: int | None) -> Callable[[tuple[Any, ...], Callable[[], T]], T]:
    """A dict memo; beyond `maxsize` entries the oldest goes first.

    A hit takes no lock. A miss builds under a lock of its own key, as Streamlit's cache locks per key: sessions
    that miss the same key at once (a cold start under load) build it once, while a miss on another key (another
    plan's PDF) builds at the same time instead of waiting behind it. Memos only nest outer to inner (a card's
    text asks for claim lines, never the reverse), so two locks are never taken in opposite orders.
    """
    memo: dict[tuple[Any, ...], Any] = {}
    locks: dict[tuple[Any, ...], threading.RLock] = {}  # one per key being built; dropped once it is stored
    guard = threading.Lock()  # held only to look up a key's lock and to store a value, never while building
    _memos.append(memo)

    def get(key: tuple[Any, ...], build: Callable[[], T]) -> T:
        try:
            return memo[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with guard:
            lock = locks.setdefault(key, threading.RLock())
        with lock:
            if key in memo:  # built by another session while this one waited
                return memo[key]  # type: ignore[no-any-return]
            value = build()
            with guard:
                if maxsize is not None and len(memo) >= maxsize:
                    memo.pop(next(iter(memo)), None)
                memo[key] = value
                locks.pop(key, None)  # later misses of this key (after an eviction) take a fresh lock
        return value

    return get


def _memoize(maxsize: int | None, key_of: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[..., Any]:
    """A decorator memoizing `fn(*args)` under `key_of(args)` in a store of its own."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        get = _store(maxsize)

        @functools.wraps(fn)
        def memoized(*args: Any) -> T:
            return get(key_of(args), lambda: fn(*args))

        return memoized

    return wrap


def shared(maxsize: int | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoize `fn(*args)` by its (hashable) positional arguments, for the whole process."""
    return _memoize(maxsize, lambda args: args)  # type: ignore[no-any-return]


def per_folder(maxsize: int | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoize `fn(cnt, folder, *key)` by `(folder, *key)`: the content object is a function of its folder."""
    return _memoize(maxsize, lambda args: args[1:])  # type: ignore[no-any-return]


def folder() -> str:
    """The content as the memos key it: the folder (`str(settings.data_dir())`), and for a language other than
    English its language after a ``#`` (a path never holds one here), without building a Path on every call."""
    return _folder(settings.DATA_DIR.raw(), lang.current())


def data_folder() -> str:
    """The content folder alone (`str(settings.data_dir())`), where the content is read from."""
    return _folder(settings.DATA_DIR.raw(), DEFAULT)


@functools.lru_cache(maxsize=16)
def _folder(env: str | None, language: Lang) -> str:
    base = str(settings.data_dir(env or ""))  # what settings.data_dir() gives for this environment
    return base if language == DEFAULT else f"{base}#{language}"


def all_keys() -> Iterator[tuple[Any, ...]]:
    """Every key held in any memo (for tests: none may hold a visitor's words)."""
    for memo in _memos:
        yield from list(memo)


def clear() -> None:
    """Empty every memo (a cold start, as after a new deploy): the test fixture calls it before each test."""
    for memo in _memos:
        memo.clear()
