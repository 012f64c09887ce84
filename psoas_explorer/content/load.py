"""The one loader every page and test uses: every data file read and validated, then the content rules.

Apart from the models (``content/model.py``) so that the rules, which read the models, sit between the two and
no import runs in a circle.
"""

from __future__ import annotations

from pathlib import Path

from psoas_explorer import settings
from psoas_explorer.content import model as c
from psoas_explorer.content import rules as content_rules


def load_content(folder: Path | None = None, check_rules: bool = True) -> c.Content:
    """Read and validate every content file; raise ContentError naming file, entry and field.

    After the per-file models, the cross-file content rules run (``content_rules``); every problem they
    find is listed in one message, so a broken data set is fixed in one pass.
    """
    folder = Path(folder) if folder else settings.data_dir()
    parts = {name.removesuffix(".yaml"): c.read_validated(folder / name, model) for name, model in c.FILES.items()}
    content = c.Content(**parts)
    if check_rules and (problems := content_rules.folder_problems(content, folder)):
        listed = "\n".join(f"- {p}" for p in problems)
        raise c.ContentError(f"{len(problems)} content rule problem(s):\n{listed}")
    return content
