"""What renderers keep from one document to the next in a process, and forgetting it.

A ``watch`` session or a batch renders the same labels, chips and unchanged paragraphs again and
again. The renderers keep what they worked out for them (parsed markup, broken lines, the styled
Word template, text widths, script runs) in caches whose keys hold everything the result
depends on, so that an entry made for another text, style, font or document is never used:
a build gives the same bytes whatever the process built before (a test checks it).

:func:`memo` is the one way to make such a cache of a function. :func:`forget` empties them
all, for a benchmark that measures a first build. With ``BRIEFKIT_CHECK_KEPT=1`` in the
environment every call of a memo is also computed afresh and compared with what the cache
gives: a key that misses something the result depends on raises :class:`KeptMismatch`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, runtime_checkable


class _Dict(Protocol):
    def clear(self) -> None: ...


@runtime_checkable
class _LruCache(Protocol):
    def cache_clear(self) -> None: ...


Cache = TypeVar("Cache", bound=_Dict | _LruCache)
Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")
_CLEARS: list[Callable[[], Any]] = []


def kept(cache: Cache) -> Cache:
    """Register *cache* (a dict, or a function wrapped in functools.lru_cache) and return it."""
    clear = cache.cache_clear if isinstance(cache, _LruCache) else cache.clear
    _CLEARS.append(clear)
    return cache


Params = ParamSpec("Params")
Result = TypeVar("Result")


class KeptMismatch(AssertionError):
    """A cache gave what its function no longer computes for the same key."""


def checking() -> bool:
    return os.environ.get("BRIEFKIT_CHECK_KEPT", "") not in ("", "0")


def memo(
    maxsize: int | None = None,
    *,
    key: Callable[..., Hashable] | None = None,
    same: Callable[[Any, Any], bool] | None = None,
) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
    """A registered cache of a function's results, by its arguments (or by *key* of them), at
    most *maxsize* of them (None: unbounded). *same* compares a kept result with a fresh one
    in the checking mode (default ``==``)."""

    def wrap(function: Callable[Params, Result]) -> Callable[Params, Result]:
        name = f"{function.__module__}.{function.__qualname__}"
        if key is None:
            cached: Any = kept(functools.lru_cache(maxsize=maxsize)(function))
            clear = cached.cache_clear
        else:
            entries: Recent[Hashable, tuple[Result]] = Recent(maxsize)

            def cached(*args: Any, **kwargs: Any) -> Result:
                k = key(*args, **kwargs)
                hit = entries.get(k)
                if hit is None:
                    hit = entries.put(k, (function(*args, **kwargs),))
                return hit[0]

            clear = entries._entries.clear

        @functools.wraps(function)
        def call(*args: Params.args, **kwargs: Params.kwargs) -> Result:
            result: Result = cached(*args, **kwargs)
            if checking():
                fresh = function(*args, **kwargs)
                if not (same or _equal)(result, fresh):
                    raise KeptMismatch(f"{name}: the kept result for {args!r} {kwargs!r} differs")
            return result

        call.cache_clear = clear  # type: ignore[attr-defined]
        return call

    return wrap


def _equal(a: Any, b: Any) -> bool:
    return bool(a == b)


def forget() -> None:
    """Empty every cache the renderers keep."""
    for clear in _CLEARS:
        clear()


class Recent(Generic[Key, Value]):
    """At most *size* entries, the least recently used forgotten first: the labels and chips
    every document repeats stay while a huge brief's paragraphs come and go."""

    def __init__(self, size: int | None) -> None:
        self.size = size
        self._entries: dict[Key, Value] = {}  # in order of use, the latest last
        kept(self._entries)

    def get(self, key: Key) -> Value | None:
        value = self._entries.pop(key, None)
        if value is not None:
            self._entries[key] = value
        return value

    def put(self, key: Key, value: Value) -> Value:
        self._entries[key] = value
        if self.size is not None and len(self._entries) > self.size:
            del self._entries[next(iter(self._entries))]
        return value

    def __len__(self) -> int:
        return len(self._entries)
