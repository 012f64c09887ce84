"""The one loader every page and test uses: every data file read and validated, then the content rules; in another
language, each file's overlay (``data/<lang>/``, content/overlay.py) read over the English first.

Apart from the models (``content/model.py``) so that the rules, which read the models, sit between the two and
no import runs in a circle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psoas_explorer import settings
from psoas_explorer.content import model as c
from psoas_explorer.content import overlay
from psoas_explorer.content import rules as content_rules
from psoas_explorer.i18n import DEFAULT, Lang


def load_content(folder: Path | None = None, check_rules: bool = True, lang: Lang = DEFAULT) -> c.Content:
    """Read and validate every content file; raise ContentError naming file, entry and field.

    After the per-file models, the cross-file content rules run (``content_rules``); every problem they
    find is listed in one message, so a broken data set is fixed in one pass. In another ``lang`` the English
    is read and checked as ever, then each overlay over it (``translated``).
    """
    folder = Path(folder) if folder else settings.data_dir()
    raw, content = read_english(folder, check_rules)
    return content if lang == DEFAULT else translated(folder, raw, lang)


def read_english(folder: Path, check_rules: bool = True) -> tuple[dict[str, Any], c.Content]:
    """The English files as read (the data an overlay is read over) and the validated, rule-checked content."""
    raw = {name: c._read_yaml(folder / name) for name in c.FILES}
    parts = {name.removesuffix(".yaml"): c.validate(name, raw[name], model) for name, model in c.FILES.items()}
    content = c.Content(**parts)
    if check_rules and (problems := content_rules.folder_problems(content, folder)):
        listed = "\n".join(f"- {p}" for p in problems)
        raise c.ContentError(f"{len(problems)} content rule problem(s):\n{listed}")
    return raw, content


def translated(folder: Path, raw: dict[str, Any], lang: Lang) -> c.Content:
    """The content in ``lang``: each overlay read over the English files as read (``raw``, from ``read_english``,
    which has checked them; it is not changed) and the result validated by the same models. A malformed overlay
    raises ContentError naming its file, entry and field; an untranslated text is the English with the visible
    mark. The content rules are the English's: ids, numbers and pointers are the same."""
    merged = _overlaid(folder, raw, lang)
    return c.Content(
        **{
            name.removesuffix(".yaml"): c.validate(f"{lang}/{name}", merged[name][0], model)
            for name, model in c.FILES.items()
        }
    )


def translation_gaps(folder: Path | None = None, lang: Lang = "es") -> list[overlay.Gap]:
    """The parity report: every visible text of the content without a ``lang`` text, file by file."""
    folder = Path(folder) if folder else settings.data_dir()
    raw = {name: c._read_yaml(folder / name) for name in c.FILES}
    return [gap for _data, gaps in _overlaid(folder, raw, lang).values() for gap in gaps]


def _overlaid(folder: Path, raw: dict[str, Any], lang: Lang) -> dict[str, tuple[Any, list[overlay.Gap]]]:
    return {name: overlay.merge(name, raw[name], overlay.read(folder / lang / name), lang) for name in c.FILES}
