"""The app and its content files: a broken file shows a readable message, and the content is read once."""

from psoas_explorer import settings
from psoas_explorer.content import load
from tests.support import edit_yaml, open_page


def test_app_shows_readable_message_not_traceback_for_broken_content(data_copy, monkeypatch):
    edit_yaml(data_copy, "safety.yaml", lambda d: d.pop("short"))
    monkeypatch.setenv(settings.DATA_DIR.name, str(data_copy))
    at = open_page()
    assert not at.exception
    (err,) = at.main.error
    assert "safety.yaml" in err.value and "short" in err.value and "content file is broken" in err.value
    assert not at.main.title


def test_content_is_loaded_once_per_process(monkeypatch, cold_caches):
    calls = []
    real = load.read_english
    monkeypatch.setattr(load, "read_english", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_page()
    at.run()
    at.switch_page("app_pages/evidence.py").run()
    assert len(calls) == 1
    # Spanish reads its overlays over the English already read and checked, not over a second reading (issue 25)
    at = open_page("app_pages/evidence.py", query={"lang": "es"})
    assert not at.exception and at.session_state["_lang"] == "es"
    assert len(calls) == 1
