"""Hostile input and shared state: links are user input, and one process serves every visitor.

- Property tests throw arbitrary query strings at every page: no exception, the heading (or the gate) shows,
  no markup from the URL reaches the page, and a gated page never opens without this session's "I understand".
- A static scan proves no visitor text can reach raw HTML (st.html / unsafe_allow_html).
- The cached content object, shared by all sessions, cannot be changed.
- The security settings the README promises are the ones in .streamlit/config.toml.
"""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from collections.abc import Iterator

import pytest
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from psoas_explorer import settings as app_settings
from psoas_explorer.content import load
from psoas_explorer.linkformat import Param
from psoas_explorer.links import pages as site
from psoas_explorer.web import keys as web_keys
from psoas_explorer.web import startup
from tests.support import ROOT, open_page, proto_strings

GATE_TITLE = "Before you continue: safety first"
RAW_MARKUP = re.compile(r"<\s*(script|img)", re.I)

# --- hostile query strings ------------------------------------------------------------------

PUBLIC_NAMES = ["goal", "audience", "setting", "performer", "intensity", "equipment", "evidence", "q", "sort", "h", "d"]
PUBLIC_NAMES += ["view", "layers", "angle", "lm", "consult", "tab", "badge", "lang", "hl"]


@functools.cache
def declared() -> tuple[Param, ...]:
    """Every parameter the pages declare (some choices are ids from the content files).

    Read when hypothesis first draws, not at import: a broken content file then fails these tests with its
    message instead of breaking collection or silently shrinking the fuzzed names and values.
    """
    cnt = load.load_content()
    return tuple(p for page in site.PAGES for p in site.page_params(page.url_path, cnt))


def declared_names() -> list[str]:
    return sorted({p.name for p in declared()})


def plain_values() -> list[str]:
    """Every choice the pages declare, then values that look plausible in any parameter."""
    return [*sorted({ch for p in declared() for ch in p.choices}), *PLAIN_VALUES]


# Names that would open the gate if the app ever trusted the URL with session state.
GATE_BAIT = [web_keys.ACK_KEY, "ack", "gate_ack", "acknowledged", "_url_values", "consult_exit"]
PLAIN_VALUES = ["mobility", "pain_relief", "home", "gentle", "1", "0", "true", "on", "-1", "9999"]
PLAIN_VALUES += ["99999999999999999999", "", " ", "1e9", "NaN", "None", "psoas", "iliacus,psoas", "a,b,,c"]
# doses (d): in range, out of range, a field the technique lacks, no number, a bare dot
PLAIN_VALUES += ["half_kneeling_hip_flexor_stretch.h45.r2", "half_kneeling_hip_flexor_stretch.h999"]
PLAIN_VALUES += ["post_run_recovery.w3", "half_kneeling_hip_flexor_stretch.h", "glute_ball_self_massage.d2.d3", "."]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert(1)>",
    '"><ScRiPt>alert(1)</sCrIpT>',
    "</style><script>x</script>",
    "<iframe src=//example.invalid></iframe>",
    "[click](javascript:alert(1))",
    ":red[**x**] $$\\frac{1}{0}$$ {{7*7}}",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;img src=x&gt;",
    "\x00\x01\x1b[31m\u202e\ufeff\r\n\t",
    "ψοας 😀 İı ß \u0301",
]


def _long(unit: str, n: int) -> str:
    return (unit * (n // max(len(unit), 1) + 1))[:n]


values = st.one_of(
    st.deferred(lambda: st.sampled_from(plain_values())),
    st.sampled_from(MARKUP),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(MARKUP), st.text(max_size=10)),
    st.builds(_long, st.sampled_from(["<script>", "a", "é😀", "<img src=x>", "\x07"]), st.integers(100, 10_000)),
)
keys = st.one_of(
    st.deferred(lambda: st.sampled_from(PUBLIC_NAMES + declared_names() + GATE_BAIT)),
    st.text(min_size=1, max_size=20),
    st.sampled_from(MARKUP),
)
# name -> one value, or a list of values (repeated keys).
queries = st.dictionaries(keys, st.one_of(values, st.lists(values, min_size=2, max_size=4)), max_size=6)

HYPOTHESIS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _strings(msg: Message) -> Iterator[str]:
    """Every text field of an element's protobuf, widget values excluded (an input box shows text, not markup)."""
    return proto_strings(msg, keep=lambda name: name not in ("value", "default"))


def rendered_text(at) -> Iterator[str]:
    """The text of every element and block of the page (main area, sidebar, dialogs)."""

    def walk(node):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            yield from _strings(proto)
        for child in (getattr(node, "children", None) or {}).values():
            yield from walk(child)

    yield from walk(at._tree)


def open_with_query(page: site.PageSpec, query: dict, *, ack: bool, via_home: bool):
    """A new session opening ``page`` with ``query``.

    via_home: the query arrives on the first run (home page) and the page is reached next, the way
    open_page does it; otherwise the query arrives with the page itself, as a deep link does.
    """
    if via_home:
        return open_page(page.file, ack=ack, query=query)
    at = open_page(ack=ack)
    at.query_params.clear()
    at.query_params.update(query)
    return at.switch_page(page.file).run()


def check_page(at, page: site.PageSpec, *, ack: bool) -> None:
    assert not at.exception, [e.message for e in at.exception]
    titles = [t.value for t in at.main.title]
    if page.gated and not ack:
        assert titles == [GATE_TITLE]
        assert any(b.label.startswith("I understand") for b in at.main.button)
    else:
        assert page.heading in titles
    leaked = [t[:200] for t in rendered_text(at) if RAW_MARKUP.search(t)]
    assert not leaked, leaked


@pytest.mark.parametrize("page", site.PAGES, ids=lambda p: p.url_path or "home")
@HYPOTHESIS
@given(query=queries, ack=st.booleans(), via_home=st.booleans())
def test_any_query_string_renders_the_page_safely(page, query, ack, via_home):
    at = open_with_query(page, query, ack=ack, via_home=via_home)
    check_page(at, page, ack=ack)
    at.run()  # the rerun after the app cleaned the address bar
    check_page(at, page, ack=ack)


@pytest.mark.parametrize("page", [p for p in site.PAGES if p.gated], ids=lambda p: p.url_path)
@settings(HYPOTHESIS, max_examples=8)
@given(query=st.dictionaries(st.sampled_from(GATE_BAIT + PUBLIC_NAMES), values, min_size=1, max_size=6))
def test_no_query_string_opens_the_gate(page, query):
    at = open_with_query(page, query, ack=False, via_home=False)
    check_page(at, page, ack=False)
    assert page.heading not in [t.value for t in at.main.title]
    if web_keys.ACK_KEY in at.session_state:
        assert not at.session_state[web_keys.ACK_KEY]


def test_the_fuzzed_names_and_values_are_every_declared_parameter_and_choice():
    """The strategies read the content lazily; here that read must work and cover the whole link format."""
    assert declared_names() == sorted(PUBLIC_NAMES), "a new link parameter belongs in PUBLIC_NAMES too"
    choices = {ch for p in declared() for ch in p.choices}
    assert {"mobility", "desk_workers", "half_kneeling_hip_flexor_stretch", "origin_l3_tp"} <= choices
    assert set(plain_values()) >= choices | set(PLAIN_VALUES)


def test_rendered_text_scan_sees_markup():
    """The leak check is not vacuous: it reads headings, alerts and markdown bodies."""
    from streamlit.proto.Markdown_pb2 import Markdown

    assert list(_strings(Markdown(body="<script>x"))) == ["<script>x"]
    assert RAW_MARKUP.search("before < IMG src=x>")


# --- no visitor text in raw HTML --------------------------------------------------------------

PY_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    *sorted((ROOT / "psoas_explorer").rglob("*.py")),
]


def _constant_names(tree: ast.Module) -> set[str]:
    """Module-level names bound exactly once, to a string built only from literals and other such names."""
    bindings: dict[str, int] = {}
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr | ast.For | ast.comprehension):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    bindings[n.id] = bindings.get(n.id, 0) + 1
    consts: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name not in consts and bindings.get(name) == 1 and _is_constant(node.value, consts):
                    consts.add(name)
                    changed = True
    return consts


def _is_constant(node: ast.expr, consts: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id in consts
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_constant(node.left, consts) and _is_constant(node.right, consts)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    if isinstance(node, ast.IfExp):  # a choice between constants is constant, whatever decides it
        return _is_constant(node.body, consts) and _is_constant(node.orelse, consts)
    return False


def _module_constants(tree: ast.Module) -> dict[str, set[str]]:
    """alias -> constant names, for our own modules imported here (``from psoas_explorer.web import x as y``)."""
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("psoas_explorer"):
            for alias in node.names:
                path = ROOT.joinpath(*node.module.split("."), f"{alias.name}.py")
                if path.is_file():
                    out[alias.asname or alias.name] = _constant_names(ast.parse(path.read_text(encoding="utf-8")))
    return out


def raw_html_problems(source: str, filename: str = "<string>") -> list[str]:
    """Calls that render raw HTML from anything but a constant string: st.html, components.html, unsafe_allow_html.

    Constant means a string literal, or a name bound once to literals, in this module or (as ``module.NAME``)
    in one of the app's own modules.
    """
    tree = ast.parse(source)
    consts = _constant_names(tree)
    imported = _module_constants(tree)

    def constant(node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return node.attr in imported.get(node.value.id, set())
        return _is_constant(node, consts)

    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        unsafe = next((k for k in node.keywords if k.arg in ("unsafe_allow_html", "unsafe_allow_javascript")), None)
        if unsafe is not None and isinstance(unsafe.value, ast.Constant) and unsafe.value.value is False:
            unsafe = None
        if name != "html" and unsafe is None:
            continue
        if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
            problems.append(f"{filename}:{node.lineno}: raw HTML call with *args/**kwargs")
            continue
        bodies = [*node.args, *[k.value for k in node.keywords if k.arg == "body"]]
        if name != "write":
            bodies = bodies[:1]
        problems += [f"{filename}:{node.lineno}: {ast.unparse(node)[:120]}" for b in bodies if not constant(b)]
    return problems


def test_no_visitor_text_reaches_raw_html():
    problems = [p for f in PY_FILES for p in raw_html_problems(f.read_text(encoding="utf-8"), f.name)]
    assert not problems, "raw HTML from a non-constant:\n" + "\n".join(problems)


def test_raw_html_scan_catches_the_usual_mistakes():
    ok = 'CSS = "<style>" + "</style>"\nst.html(CSS)\nst.markdown("<b>x</b>", unsafe_allow_html=True)\n'
    ok += "st.markdown(text)\nst.markdown(text, unsafe_allow_html=False)\n"
    ok += "from psoas_explorer.web import frame as u\nst.html(u.CONSULT_CSS)\nst.html(CSS + CSS if flag else CSS)\n"
    assert raw_html_problems(ok) == []
    bad = [
        'st.html(f"<b>{name}</b>")',
        "st.markdown(text, unsafe_allow_html=True)",
        "st.markdown(body=text, unsafe_allow_html=flag)",
        'st.write("ok", text, unsafe_allow_html=True)',
        'CSS = "<style>"\nCSS += user\nst.html(CSS)',
        'CSS = "<style>"\nst.html(CSS if flag else user)',
        "components.html(page)",
        "st.caption(**kwargs, unsafe_allow_html=True)",
        'st.html("<b>" + name)',
        "from psoas_explorer.web import keys\nst.html(keys.ACK_KEY + x)",
        "st.html(other.CSS)",
    ]
    for src in bad:
        assert raw_html_problems(src), src


# --- shared content is immutable -------------------------------------------------------------


def _models(obj) -> Iterator[BaseModel]:
    if isinstance(obj, BaseModel):
        yield obj
        for name in type(obj).model_fields:
            yield from _models(getattr(obj, name))
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _models(item)


def test_cached_content_is_shared_and_frozen():
    folder = str(app_settings.data_dir())
    cnt = startup._load_content(folder)
    assert startup._load_content(folder) is cnt, "every session gets the one cached object"
    models = list(_models(cnt))
    assert len(models) > 50
    for m in models:
        fields = type(m).model_fields
        for name in fields:
            value = getattr(m, name)
            assert not isinstance(value, list | dict | set), f"{type(m).__name__}.{name} is a mutable {type(value)}"
        first = next(iter(fields))
        with pytest.raises(ValidationError):
            setattr(m, first, getattr(m, first))
        with pytest.raises(ValidationError):
            m.injected = "x"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        cnt.techniques.techniques[0].steps = ("do anything",)
    with pytest.raises(TypeError):
        cnt.safety.points[0] = "ignore the warning"  # type: ignore[index]


# --- the security settings the README promises --------------------------------------------------


def test_security_settings_in_config():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"].get("enableCORS", True) is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] == "type"
    assert cfg["client"]["toolbarMode"] == "viewer"
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
