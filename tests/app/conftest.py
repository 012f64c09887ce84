"""Fixtures of the AppTest page tests."""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The PDF bytes and file name the download button hands to Streamlit's media store."""
    got: dict[str, object] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if mimetype == "application/pdf":
            got["pdf"], got["filename"] = path_or_data, filename
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return got
