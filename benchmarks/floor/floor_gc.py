"""Freeze the startup heap once per process (the `gc.freeze()` variant of the benchmark).

Streamlit calls `gc.collect(2)` after every script run (`runner.postScriptGC`, on by default). With
pandas, Plotly and pyarrow imported, that walks hundreds of thousands of long-lived objects on every
rerun. `gc.freeze()` moves every object alive now into a permanent generation that later collections
skip; objects created afterwards are still collected. The flag lives in this module, which stays in
`sys.modules`, so the freeze happens once per process, not once per rerun (the entrypoint module is
re-created on every run, so a flag there would not survive).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Iterable

# The libraries Psoas Explorer loads (requirements.txt), plus what Streamlit loads lazily for its
# charts and tables. Imported before the freeze so their module objects are frozen too.
LIBRARIES = (
    "streamlit",
    "plotly.graph_objects",
    "plotly.io",
    "pandas",
    "pyarrow",
    "pydantic",
    "yaml",
    "fpdf",
    "numpy",
)

_frozen = False


def freeze_once(extra_modules: Iterable[str] = ()) -> bool:
    """Import the libraries, collect once, then freeze. Returns True only on the call that froze."""
    global _frozen
    if _frozen:
        return False
    for name in (*LIBRARIES, *extra_modules):
        with contextlib.suppress(Exception):  # an optional library missing must not stop the app
            importlib.import_module(name)
    gc.collect()
    gc.freeze()
    _frozen = True
    return True
