"""Long lists split over pages, and the pagers that join those pages."""

from __future__ import annotations

from build_scripts.pipeline.plan import chunks


def _window(total_pages: int, number: int) -> list[int | None]:
    parts = chunks("x/index.md", "x", "index", list(range(total_pages * 10)), 10)
    return [entry and entry[0] for entry in parts[number - 1].window]


def test_pager_names_first_last_and_near_pages_with_gaps_between() -> None:
    assert _window(100, 50) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert _window(100, 1) == [1, 2, 3, None, 100]
    assert _window(100, 100) == [1, None, 98, 99, 100]
    assert _window(100, 4) == [1, 2, 3, 4, 5, 6, None, 100]


def test_short_lists_name_every_page() -> None:
    assert _window(5, 3) == [1, 2, 3, 4, 5]
    assert _window(1, 1) == [1]


def test_pager_length_does_not_grow_with_the_list() -> None:
    sizes = {len(_window(pages, pages // 2)) for pages in (10, 100, 1000, 10000)}
    assert sizes == {9}


def test_pager_entries_point_at_their_own_pages() -> None:
    parts = chunks("x/index.md", "x", "index", list(range(300)), 10)
    window = [entry for entry in parts[14].window if entry]
    assert window[0] == (1, "x/index.md")
    assert (15, "x/index-15.md") in window
    assert window[-1] == (30, "x/index-30.md")
