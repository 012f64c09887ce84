"""The app's process-wide memos (web/memo.py): keyed as documented, bounded, and emptied by clear()."""

from __future__ import annotations

import threading

import pytest

from psoas_explorer.web import memo

pytestmark = pytest.mark.usefixtures("cold_caches")  # about what the memos hold: start from empty ones


def test_per_folder_keys_by_folder_and_key_not_by_the_content_object():
    calls: list[tuple[object, str, str]] = []

    @memo.per_folder()
    def build(cnt: object, folder: str, key: str) -> str:
        calls.append((cnt, folder, key))
        return f"{cnt}:{folder}:{key}"

    assert build("a", "/data", "x") == "a:/data:x"
    assert build("b", "/data", "x") == "a:/data:x", "the same folder's content: the first value is reused"
    assert build("a", "/other", "x") == "a:/other:x"
    assert build("a", "/data", "y") == "a:/data:y"
    assert len(calls) == 3


def test_maxsize_drops_the_oldest_entry_and_clear_empties_every_memo():
    calls: list[int] = []

    @memo.shared(maxsize=2)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    assert [square(1), square(2), square(1), square(3)] == [1, 4, 1, 9]
    assert calls == [1, 2, 3]
    square(1)  # 1 was the oldest when 3 came in
    assert calls == [1, 2, 3, 1]
    assert (2,) not in set(memo.all_keys()) and (3,) in set(memo.all_keys())
    memo.clear()
    assert not [k for k in memo.all_keys() if k in {(1,), (3,)}]
    square(3)
    assert calls == [1, 2, 3, 1, 3]


def test_sessions_that_miss_at_once_build_the_value_once():
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    @memo.shared()
    def slow(key: str) -> str:
        calls.append(key)
        started.set()
        release.wait(5)
        return key.upper()

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(slow("figure")))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: results.append(slow("figure")))
    second.start()  # misses while the first is still building, then waits for it
    release.set()
    first.join(5)
    second.join(5)
    assert results == ["FIGURE", "FIGURE"]
    assert calls == ["figure"]


def test_misses_on_two_keys_build_at_the_same_time():
    """A miss on one key never waits behind a miss on another (two plans' PDFs under load): both builds must be
    running at once to pass the barrier; with one lock per memo the second waits and the barrier breaks."""
    both_building = threading.Barrier(2, timeout=5)

    @memo.shared()
    def build(key: str) -> str:
        both_building.wait()
        return key.upper()

    results: dict[str, str] = {}
    threads = [threading.Thread(target=lambda k=k: results.update({k: build(k)})) for k in ("a4 plan", "letter plan")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert results == {"a4 plan": "A4 PLAN", "letter plan": "LETTER PLAN"}
