"""Our custom components (v2) load their scripts as files from web/assets/, never inline.

Why: inline ``js=`` reaches the browser as a blob: URL, which the Content-Security-Policy would have to allow
in script-src (psoas_explorer/web/headers.py). A script named by its file is served from our own origin, at
``/_stcore/bidi-components/<name>/<file>``, and cached instead of travelling in every message. Streamlit reads
asset folders only from the pyproject.toml of an installed package; this app runs from its checkout, so the same
declaration (a ComponentManifest) is registered here. AppTest starts a new runtime per test, so a component's
mount function repeats ``declare`` (a dict lookup).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from psoas_explorer.i18n import DEFAULT, tr
from psoas_explorer.web import lang

ASSETS = Path(__file__).parent / "assets"


def declare(name: str) -> None:
    """Give the component ``name`` ("psoas_explorer.<component>") the asset folder on the running Streamlit, once
    per runtime."""
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    manager = get_bidi_component_manager()
    if manager.get_component_asset_root(name) is None:
        package, component = name.split(".")
        manifest = ComponentManifest(name=package, version="1", components=[ComponentConfig(component, ASSETS.name)])
        manager.register_from_manifest(manifest, ASSETS.parent)


def script(name: str, file: str, inline: str) -> str:
    """What to pass as ``js=``: the script's file name on a running Streamlit; its text (``inline``) where nothing
    is served (the module imported by a test or a tool before any runtime exists: Streamlit would reject a file
    name there)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return inline
    declare(name)
    return file


def texts(messages: Iterable[str]) -> dict[str, str]:
    """A component script's own words in the session's language, for its data (English message -> translation):
    the script looks each message up and falls back to the English. Empty in English, so nothing extra travels."""
    here = lang.current()
    return {} if here == DEFAULT else {m: tr(here, m) for m in messages}


def component(name: str, file: str, **options: Any) -> Any:
    """Our custom component ``name`` whose script is the asset ``file`` (its text inline where nothing is served,
    see ``script``); ``options`` as Streamlit's ``st.components.v2.component`` takes them (css=, ...)."""
    import streamlit as st

    return st.components.v2.component(
        name, js=script(name, file, (ASSETS / file).read_text(encoding="utf-8")), **options
    )
