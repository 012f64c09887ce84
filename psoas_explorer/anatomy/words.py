"""The geometry's words in another language: ``data/<lang>/geometry.yaml`` read over model.yaml's texts by id.

model.yaml holds numbers and words together; only the words a visitor reads change with the language (each
muscle's, landmark's, structure's and organ's name, label, plain and technical text, and the drawing's noted
uncertainties and sources). The overlay is a mapping ``id -> {field: text}`` (ids are unique across the model); a
text it leaves out shows the English with the visible "not yet translated" mark, as content overlays do
(docs/translation.md). The translated geometry shares the meshes and numbers and carries its ``lang``, so every
figure, label and text alternative drawn from it speaks that language, and every memo keyed by the geometry is
kept per language.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from psoas_explorer.anatomy import model as gm
from psoas_explorer.content.model import ContentError
from psoas_explorer.content.overlay import MARK, read
from psoas_explorer.i18n import DEFAULT, Lang, tr
from psoas_explorer.settings import DEFAULT_DATA_DIR

# The fields a visitor reads; the rest is the same in every language. A source's citation keeps a paper's authors
# and title as published, and translates what the app says it took from it.
FIELDS = ("name", "label", "plain", "technical", "text", "citation", "licence")
FILE = "geometry.yaml"


def in_language(geom: gm.Geometry, lang: Lang, data_dir: Path = DEFAULT_DATA_DIR) -> gm.Geometry:
    """``geom`` with its words in ``lang`` (the same object for English), built once per geometry and language."""
    return geom if lang == DEFAULT else _worded(geom, lang, Path(data_dir))


def _described(model: gm.GeometryModel) -> Iterator[BaseModel]:
    yield from model.sources
    yield from model.muscle_paths
    yield from model.psoas_major.fascicles
    yield from (*model.landmarks, *model.structures, *model.organs, *model.disagreements)


def _texts(item: BaseModel) -> dict[str, str]:
    return {f: v for f in FIELDS if isinstance(v := getattr(item, f, None), str)}


def gaps(geom: gm.Geometry, lang: Lang, data_dir: Path = DEFAULT_DATA_DIR) -> list[str]:
    """Every ``id.field`` of the model without a ``lang`` text (the parity check)."""
    words = _read(lang, Path(data_dir), geom.model)
    ids = [(getattr(i, "id", ""), i) for i in _described(geom.model)]
    return [f"{ident}.{f}" for ident, i in ids for f in _texts(i) if f not in words.get(ident, {})]


def _read(lang: Lang, data_dir: Path, model: gm.GeometryModel) -> dict[str, dict[str, str]]:
    """The overlay, checked: known ids and fields only, each a non-empty text."""
    name = f"{lang}/{FILE}"
    data: Any = read(data_dir / lang / FILE)
    raw: dict[str, dict[str, str]] = data if isinstance(data, dict) else {}
    known = {getattr(i, "id", ""): _texts(i) for i in _described(model)}
    for ident, fields in raw.items():
        if ident not in known:
            raise ContentError(f"{name}, entry '{ident}': no entry of model.yaml has this id.")
        if not isinstance(fields, dict):
            raise ContentError(f"{name}, entry '{ident}': expected a mapping of field to text.")
        for f, text in fields.items():
            if f not in known[ident]:
                raise ContentError(f"{name}, entry '{ident}', field '{f}': not a text field of the English entry.")
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"{name}, entry '{ident}', field '{f}': expected translated text.")
    return raw


@functools.lru_cache(maxsize=8)
def _worded(geom: gm.Geometry, lang: Lang, data_dir: Path) -> gm.Geometry:
    words = _read(lang, data_dir, geom.model)
    mark = f" ({tr(lang, MARK)})"

    def worded(item: Any) -> Any:
        own = words.get(item.id, {})
        return item.model_copy(update={f: own.get(f, en + mark) for f, en in _texts(item).items()})

    m = geom.model
    pm = m.psoas_major.model_copy(update={"fascicles": tuple(worded(f) for f in m.psoas_major.fascicles)})
    model = m.model_copy(
        update={
            "sources": tuple(worded(x) for x in m.sources),
            "muscle_paths": tuple(worded(p) for p in m.muscle_paths),
            "psoas_major": pm,
            **{k: tuple(worded(x) for x in getattr(m, k)) for k in ("landmarks", "structures", "organs")},
            "disagreements": tuple(worded(d) for d in m.disagreements),
        }
    )
    return dataclasses.replace(geom, model=model, lang=lang)
