"""What renderers keep from one document to the next in a process, and forgetting it.

A ``watch`` session or a batch renders the same labels, chips and unchanged paragraphs again and
again. The renderers keep what they worked out for them (parsed markup, broken lines, the styled
Word template, text widths, script runs) in caches whose keys hold everything the result
depends on, so that an entry made for another text, style, font or document is never used:
a build gives the same bytes whatever the process built before (a test checks it).

:func:`forget` empties them all, for a benchmark that measures a first build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable


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


def forget() -> None:
    """Empty every cache the renderers keep."""
    for clear in _CLEARS:
        clear()


class Recent(Generic[Key, Value]):
    """At most *size* entries, the least recently used forgotten first: the labels and chips
    every document repeats stay while a huge brief's paragraphs come and go."""

    def __init__(self, size: int) -> None:
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
        if len(self._entries) > self.size:
            del self._entries[next(iter(self._entries))]
        return value

    def __len__(self) -> int:
        return len(self._entries)
