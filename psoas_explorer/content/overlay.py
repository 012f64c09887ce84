"""Content in another language: an overlay per data file (``data/<lang>/<same name>.yaml``) read over the English.

The format is docs/translation.md's: mappings by the same keys, lists of items with an ``id`` by id, other lists
of mappings (the glossary) and lists of plain strings whole, in the same order and length. An overlay holds only
text a visitor reads: ids, vocabulary, numbers, dates, pointers, references' bibliographic fields and review
records are the same in every language and stay the English file's. A field an overlay leaves out is shown in
English with a visible mark (" (sin traducir)"), and listed as a gap (the parity report); safety text may have
none (``safety_gaps``, checked by the test command). A malformed overlay stops the app with a message naming file,
entry and field, as the English loader does, so a translation cannot quietly show the wrong thing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from psoas_explorer.content.model import ContentError
from psoas_explorer.i18n import N_, Lang, tr

MARK = N_("not yet translated")  # after an English text shown on a page in another language

# Keys whose words or ids are the same in every language (a string, or a list of ids): vocabulary ids, pointers,
# badge letters, the pose's and dose's ids, and ``basis`` (a dose's or picture's record of what it follows,
# checked in English by the content rules and shown nowhere).
FIXED = frozenset(
    {
        "id", "badge", "refs", "chips", "findings", "type", "goals", "goal", "audiences", "settings", "performer",
        "intensity", "equipment", "contraindications", "related_techniques", "related_faqs", "kind", "body", "side",
        "acts_at", "acts_by", "props", "basis", "changed",
    }
)  # fmt: skip
REVIEWS = "reviews"  # review records: what was checked, kept as written
BIBLIOGRAPHIC = frozenset({"short", "citation", "doi", "pmid", "pmcid", "url"})  # references.yaml: as published
_ID = re.compile(r"^[a-z0-9][a-z0-9_#.-]*$")  # an id or a finding pointer, never a sentence

# The safety text (docs/translation.md): all of safety.yaml, and each technique's and kind's safety fields.
SAFETY_FIELDS = {"techniques.yaml": ("stop_if", "precautions", "why_not"), "technique_types.yaml": ("caution",)}
SAFETY_FILES = ("safety.yaml",)

_MISSING: Any = object()


@dataclass(frozen=True)
class Gap:
    """One visible text without a translation: file, entry (its id, or #n) and field."""

    file: str
    entry: str
    field: str

    def __str__(self) -> str:
        return f"{self.file}, entry {self.entry}, field '{self.field}'"

    @property
    def safety(self) -> bool:
        """Safety text, which may have no gap."""
        if self.file in SAFETY_FILES:
            return True
        top = re.split(r"[.\[]", self.field, maxsplit=1)[0]
        return top in SAFETY_FIELDS.get(self.file, ())


def fixed(file: str, key: str, value: Any) -> bool:
    """True for a field that is the same in every language (left out of an overlay)."""
    if key == REVIEWS or value is None or isinstance(value, bool | int | float | dt.date):
        return True
    if file == "references.yaml" and key in BIBLIOGRAPHIC:
        return True
    if key in FIXED:
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) and _ID.match(v) for v in value)
        )
    return False


def read(path: Path) -> Any:
    """An overlay file's data; missing (or empty): nothing translated yet."""
    if not path.is_file():
        return _MISSING
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.parent.name}/{path.name}: not valid YAML ({exc}).") from None
    return _MISSING if data is None else data


def merge(file: str, english: Any, over: Any, lang: Lang) -> tuple[Any, list[Gap]]:
    """The English data of ``file`` with the overlay's text read over it, and every text left untranslated.

    ``over`` is the overlay's data (``read``); a gap's English text gets the visible mark.
    """
    m = _Merge(f"{lang}/{file}", file, f" ({tr(lang, MARK)})")
    return m.node(english, over, "(top level)", ""), m.gaps


class _Merge:
    def __init__(self, name: str, file: str, mark: str) -> None:
        self.name, self.file, self.mark = name, file, mark  # name: as messages say it ("es/safety.yaml")
        self.gaps: list[Gap] = []

    def fail(self, entry: str, field: str, problem: str) -> ContentError:
        return ContentError(f"{self.name}, entry {entry}, field '{field or '(whole entry)'}': {problem}.")

    def node(self, en: Any, over: Any, entry: str, field: str) -> Any:
        if isinstance(en, str):
            return self.text(en, over, entry, field)
        if isinstance(en, dict):
            return self.mapping(en, over, entry, field)
        if isinstance(en, list) and en and all(isinstance(v, dict) for v in en):
            return self.items(en, over, entry, field)
        if isinstance(en, list):
            return self.strings(en, over, entry, field)
        return en

    def text(self, en: str, over: Any, entry: str, field: str) -> str:
        if over is _MISSING:
            self.gaps.append(Gap(self.file, entry, field))
            return en + self.mark
        if not isinstance(over, str) or not over.strip():
            raise self.fail(entry, field, f"expected translated text, found {_kind(over)}")
        return over

    def mapping(self, en: dict[str, Any], over: Any, entry: str, field: str) -> dict[str, Any]:
        if over is _MISSING:
            over = {}
        if not isinstance(over, dict):
            raise self.fail(entry, field, f"expected a mapping as in the English, found {_kind(over)}")
        for key in over:
            where = _join(field, str(key))
            if key not in en:
                raise self.fail(entry, where, "not a field of the English entry")
            if key != "id" and fixed(self.file, str(key), en[key]):
                raise self.fail(entry, where, "the same in every language: leave it out of the overlay")
        return {
            k: v if fixed(self.file, k, v) else self.node(v, over.get(k, _MISSING), entry, _join(field, k))
            for k, v in en.items()
        }

    def items(self, en: list[dict[str, Any]], over: Any, entry: str, field: str) -> list[dict[str, Any]]:
        if over is _MISSING:
            over = []
        if not isinstance(over, list) or not all(isinstance(v, dict) for v in over):
            raise self.fail(entry, field, "expected a list of entries as in the English")
        if all("id" in v for v in en):  # matched by id, in any order
            ids = [v["id"] for v in en]
            by_id: dict[str, Any] = {}
            for i, item in enumerate(over):
                oid = item.get("id")
                if oid not in ids:
                    named = f"'{oid}'" if isinstance(oid, str) else f"#{i + 1} (it has no id)"
                    raise self.fail(named, field, "no entry of the English has this id")
                if oid in by_id:
                    raise self.fail(f"'{oid}'", field, "this id comes more than once")
                by_id[oid] = item
            return [self.node(v, by_id.get(v["id"], _MISSING), f"'{v['id']}'", "") for v in en]
        if over and len(over) != len(en):  # no ids (the glossary): the whole list, in the English order
            raise self.fail(entry, field, f"expected {len(en)} entries as in the English, found {len(over)}")
        return [self.node(v, over[i] if over else _MISSING, f"#{i + 1}", "") for i, v in enumerate(en)]

    def strings(self, en: list[Any], over: Any, entry: str, field: str) -> list[Any]:
        if over is _MISSING:
            self.gaps.append(Gap(self.file, entry, field))
            return [f"{v}{self.mark}" for v in en]
        if not isinstance(over, list) or len(over) != len(en):
            found = f"{len(over)} items" if isinstance(over, list) else _kind(over)
            raise self.fail(
                entry, field, f"expected the whole list of {len(en)} items as in the English, found {found}"
            )
        for i, v in enumerate(over):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(entry, f"{field}.{i + 1}", f"expected translated text, found {_kind(v)}")
        return list(over)


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _kind(value: Any) -> str:
    """What a value is, in words, without repeating it (it may be long)."""
    if isinstance(value, str):
        return "empty text"
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), f"a {type(value).__name__}")
