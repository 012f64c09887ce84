"""A static SVG of a 2D anatomy figure: the diagram's first paint, shown before plotly.js has loaded.

Why: a first visit waits ~0.5 s for the 1.1 MB plotly.js bundle to arrive, parse and draw. The SVG drawn
here from the same figure dict (figures.anatomy_figure, 2D scatter traces only) is in the component's first
message, so the drawing shows when the component mounts; Plotly then draws over it and it is removed.

What it mimics of Plotly, so the swap is not jarring: the axis ranges with equal aspect (Plotly widens one
range to fill the plot area, as ``preserveAspectRatio="xMidYMid meet"`` does), fills and lines in px widths
(``vector-effect: non-scaling-stroke``) with Plotly's dash patterns, marker symbols and sizes in px, text
labels placed as Plotly places them beside a point, paper-anchored annotations and the horizontal legend
under the drawing. What depends on the drawing's pixel size (the plot area, where a marker or label sits)
is left to the component's script (``place`` in diagram.js), which sizes the SVG as it sizes Plotly's
graph: the geometry sits in a nested ``<svg>`` whose ``viewBox`` is the figure's ranges, and every pin
(marker, label, annotation, legend) carries its data or paper coordinates in ``data-*`` attributes.

Pure: no Streamlit, no browser. Every text is escaped; the figure holds only the app's own words.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from html import escape, unescape
from typing import Any

Json = Mapping[str, Any]

LINE_SPACING = 1.3  # Plotly's line height for multi-line text (em)
HALO = "1px 1px 1px #fff,-1px -1px 1px #fff,1px -1px 1px #fff,-1px 1px 1px #fff"  # Plotly's textfont.shadow "auto"
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _num(v: float, digits: int = 1) -> str:
    """A rounded coordinate without a trailing ``.0`` (the SVG stays small)."""
    text = f"{round(v, digits):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _dash(dash: str | None, width: float) -> str | None:
    """Plotly's dash patterns (drawing.dashStyle), in px of a line ``width`` px wide."""
    d = max(width, 3.0)
    patterns = {
        "dot": [d, d],
        "dash": [3 * d, 3 * d],
        "longdash": [5 * d, 5 * d],
        "dashdot": [3 * d, d, d, d],
        "longdashdot": [5 * d, 2 * d, d, 2 * d],
    }
    if not dash or dash == "solid":
        return None
    pattern = patterns.get(dash)
    if pattern is None:  # a custom "5px,10px" list
        return ",".join(_num(float(p.strip().removesuffix("px")), 2) for p in dash.split(",") if p.strip())
    return ",".join(_num(p, 2) for p in pattern)


def _segments(xs: Sequence[Any], ys: Sequence[Any]) -> list[list[tuple[float, float]]]:
    """The trace's points split at its ``None`` gaps, as Plotly splits them (connectgaps off)."""
    out: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    for x, y in zip(xs, ys, strict=False):
        if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append((float(x), float(y)))
    if cur:
        out.append(cur)
    return out


def _path(segs: Sequence[Sequence[tuple[float, float]]], close: bool) -> str:
    """Path data in whole figure units (mm), y pointing down, relative moves: "M33-320l-11 0-12 1...".

    A millimetre is about 1-1.5 px of the drawing on a laptop or a wall screen: enough for a first paint, and
    the SVG stays a quarter the size of the figure's own JSON.
    """
    parts = []
    for seg in segs:
        pts = [(round(x), round(-y)) for x, y in seg]
        (px, py), rest = pts[0], []
        for x, y in pts[1:]:
            rest += [x - px, y - py]
            px, py = x, y
        parts.append(f"M{_join([pts[0][0], pts[0][1]])}" + (f"l{_join(rest)}" if rest else "") + ("z" if close else ""))
    return "".join(parts)


def _join(numbers: Sequence[int]) -> str:
    """SVG number list: a minus sign separates numbers as a space does."""
    out = []
    for k, n in enumerate(numbers):
        out.append(str(n) if k == 0 or n < 0 else f" {n}")
    return "".join(out)


def _stroke(line: Json, *, default_width: float = 2.0) -> str:
    width = float(line.get("width", default_width))
    if width <= 0:
        return ' stroke="none"'
    out = f' stroke="{_attr(line.get("color", "#444"))}" stroke-width="{_num(width, 2)}"'
    dash = _dash(line.get("dash"), width)
    if dash:
        out += f' stroke-dasharray="{dash}"'
    return out + ' stroke-linejoin="round" vector-effect="non-scaling-stroke"'


def _symbol(symbol: str, size: float) -> tuple[str, bool]:
    """Plotly's marker path around (0, 0) for ``symbol`` of ``size`` px, and whether it is an open symbol."""
    base = symbol.removesuffix("-open")
    r = size / 2
    if base == "square":
        s = _num(r, 2)
        d = f"M{s},{s}H-{s}V-{s}H{s}Z"
    elif base == "diamond":
        s = _num(r * 1.3, 2)
        d = f"M{s},0L0,{s}L-{s},0L0,-{s}Z"
    else:  # circle, and anything this figure does not use
        s = _num(r, 2)
        d = f"M{s},0A{s},{s} 0 1,1 0,-{s}A{s},{s} 0 0,1 {s},0Z"
    return d, symbol.endswith("-open")


def _at(value: Any, i: int, default: Any = None) -> Any:
    """A per-point property: the i-th item of a list, else the scalar."""
    if isinstance(value, list):
        return value[i] if i < len(value) else default
    return default if value is None else value


def _text_lines(text: str) -> list[tuple[str, bool]]:
    """Plotly's pseudo-HTML reduced to lines of escaped text and whether each is bold (``<b>``)."""
    lines = []
    for raw in _BR.split(text):
        bold = "<b>" in raw.lower()
        lines.append((escape(unescape(_TAG.sub("", raw)), quote=False), bold))
    return lines


def _text(text: str, *, size: float, color: str, anchor: str, x: float, y0: float, halo: bool) -> str:
    """A text element with one tspan per line; ``y0`` is the first baseline (px, relative to its pin)."""
    lines = _text_lines(text)
    style = ' class="pd-halo"' if halo else ""
    at = f'x="{_num(x, 2)}" y="{_num(y0, 2)}" font-size="{_num(size, 2)}"'
    out = [f'<text {at} fill="{_attr(color)}" text-anchor="{anchor}"{style}>']
    for k, (line, bold) in enumerate(lines):
        weight = ' font-weight="bold"' if bold else ""
        dy = f' x="{_num(x, 2)}" dy="{_num(size * LINE_SPACING, 2)}"' if k else ""
        out.append(f"<tspan{dy}{weight}>{line}</tspan>")
    out.append("</text>")
    return "".join(out)


def _point_text(text: str, position: str, size: float, color: str, marker_px: float, halo: bool) -> str:
    """A label beside its point, offset as Plotly's textPointPosition offsets it."""
    v = "top" if "top" in position else "bottom" if "bottom" in position else "middle"
    h = "end" if "left" in position else "start" if "right" in position else "middle"
    sign = {"start": 1, "end": -1, "middle": 0, "bottom": 1, "top": -1}
    r = marker_px / 2 / 0.8 + 1 if marker_px else 0.0
    n = (len(_text_lines(text)) - 1) * LINE_SPACING + 1
    dx = sign[h] * r
    dy = size * 0.75 + sign[v] * r + (sign[v] - 1) * n * size / 2
    return _text(text, size=size, color=color, anchor=h, x=dx, y0=dy, halo=halo)


def _pin(x: float, y: float, body: str, kind: str = "data") -> str:
    """A group the component's script moves to the pixel of (x, y): figure units, or paper fractions."""
    digits = 4 if kind == "paper" else 1
    return f'<g class="pd-pin" data-{kind}="{_num(x, digits)},{_num(y, digits)}">{body}</g>'


def _visible(trace: Json) -> bool:
    return trace.get("visible", True) is True and trace.get("type", "scatter") == "scatter"


def _trace_svg(trace: Json, ink: str, defs: dict[str, str]) -> tuple[str, list[str]]:
    """(geometry in figure units, pins in px) for one scatter trace; each marker shape goes once into ``defs``
    (markup -> id) and each marker is a ``<use>`` of it."""
    mode = str(trace.get("mode") or "lines")
    xs, ys = trace.get("x") or [], trace.get("y") or []
    segs = _segments(xs, ys)
    key = _attr((trace.get("meta") or {}).get("key", ""))
    opacity = trace.get("opacity")
    op = f' opacity="{_num(float(opacity), 3)}"' if opacity is not None and float(opacity) < 1 else ""
    geo = []
    line = trace.get("line") or {}
    if trace.get("fill") == "toself" and segs:
        color = trace.get("fillcolor") or line.get("color") or "rgba(0,0,0,0.5)"
        geo.append(f'<path d="{_path(segs, True)}" fill="{_attr(color)}" stroke="none"/>')
    if "lines" in mode and segs:
        geo.append(f'<path d="{_path(segs, False)}" fill="none"{_stroke(line)}/>')
    pins: list[str] = []
    marker = trace.get("marker") or {}
    marker_px = 0.0
    if "markers" in mode:
        mline = marker.get("line") or {}
        for i, (x, y) in enumerate(zip(xs, ys, strict=False)):
            if x is None or y is None:
                continue
            size = float(_at(marker.get("size"), i, 6))
            marker_px = max(marker_px, size)
            d, is_open = _symbol(str(_at(marker.get("symbol"), i, "circle")), size)
            color = str(_at(marker.get("color"), i, line.get("color", "#1f77b4")))
            width = float(_at(mline.get("width"), i, 0) or 0)
            if is_open:
                paint = f'fill="none" stroke="{_attr(color)}" stroke-width="{_num(width or 1, 2)}"'
            else:
                lc = str(_at(mline.get("color"), i, "#444"))
                stroke = f' stroke="{_attr(lc)}" stroke-width="{_num(width, 2)}"' if width else ""
                paint = f'fill="{_attr(color)}"{stroke}'
            mop = _at(marker.get("opacity"), i)
            if mop is not None and float(mop) < 1:
                paint += f' opacity="{_num(float(mop), 3)}"'
            ref = defs.setdefault(f'<path d="{d}" {paint}/>', f"pdm{len(defs)}")
            pins.append(f'<use class="pd-pin" href="#{ref}" data-data="{_num(float(x))},{_num(float(y))}"/>')
    if "text" in mode:
        font = trace.get("textfont") or {}
        texts = trace.get("text")
        halo = bool(font.get("shadow")) and font.get("shadow") != "none"
        for i, (x, y) in enumerate(zip(xs, ys, strict=False)):
            text = _at(texts, i, "")
            if x is None or y is None or not text:
                continue
            size = float(_at(font.get("size"), i, 12))
            color = str(_at(font.get("color"), i, ink))
            position = str(_at(trace.get("textposition"), i, "middle center"))
            pins.append(_pin(float(x), float(y), _point_text(str(text), position, size, color, marker_px, halo)))
    if not geo and not pins:
        return "", []
    body = f'<g data-key="{key}"{op}>{"".join(geo)}</g>' if geo else ""
    return body, pins


def _annotation(a: Json, ink: str, base_size: float) -> str:
    """A paper-anchored note (which side is which, the footnote): anchored as Plotly anchors it."""
    font = a.get("font") or {}
    size = float(font.get("size", base_size))
    anchor = {"left": "start", "right": "end", "center": "middle"}.get(str(a.get("xanchor", "center")), "middle")
    n = (len(_text_lines(str(a.get("text", "")))) - 1) * LINE_SPACING + 1
    yanchor = str(a.get("yanchor", "middle"))
    height = n * size * LINE_SPACING
    top = {"bottom": -height, "top": 0.0}.get(yanchor, -height / 2)
    body = _text(
        str(a.get("text", "")),
        size=size,
        color=str(font.get("color", ink)),
        anchor=anchor,
        x=0,
        y0=top + size * 1.05,
        halo=False,
    )
    if a.get("xref") == "paper" and a.get("yref") == "paper":
        return _pin(float(a.get("x", 0.5)), float(a.get("y", 0.5)), body, "paper")
    return _pin(float(a.get("x", 0)), float(a.get("y", 0)), body)


def _legend(traces: Sequence[Json], layout: Json, ink: str) -> tuple[str, float]:
    """Plotly's horizontal legend under the plot area (title row, then one sample line and name per entry), and
    the height it takes: Plotly grows the bottom margin to fit it."""
    entries = [(i, t) for i, t in enumerate(traces) if t.get("showlegend") and _visible(t)]
    legend = layout.get("legend") or {}
    if not layout.get("showlegend", True) or not entries:
        return "", 0.0
    entries.sort(key=lambda it: (float(it[1].get("legendrank", 1000)), it[0]))
    size = float((legend.get("font") or {}).get("size", (layout.get("font") or {}).get("size", 12)))
    title = legend.get("title") or {}
    tfont = title.get("font") or {}
    tsize = float(tfont.get("size", size))
    parts = []
    row_y = 0.0
    if title.get("text"):
        parts.append(
            _text(
                str(title["text"]),
                size=tsize,
                color=str(tfont.get("color", ink)),
                anchor="start",
                x=2,
                y0=tsize * LINE_SPACING,
                halo=False,
            )
        )
        row_y = tsize * LINE_SPACING + 15 + (size - 13) * 0.65
    x = 0.0
    for _, t in entries:
        line = t.get("line") or {}
        name = str(t.get("name", ""))
        stroke = _stroke(line).replace(' vector-effect="non-scaling-stroke"', "")  # px already: not scaled
        sample = f'<path d="M5,0h30" fill="none"{stroke}/>'
        label = _text(name, size=size, color=ink, anchor="start", x=40, y0=size * 0.39, halo=False)
        parts.append(f'<g transform="translate({_num(x, 2)},{_num(row_y, 2)})">{sample}{label}</g>')
        x += 40 + len(name) * size * 0.5 + 10  # Plotly measures the text; an estimate is enough for a first paint
    height = row_y + size * 1.19 if not title.get("text") else row_y + 15.45 + (size - 13) * 0.68
    return _pin(0.0, 0.0, "".join(parts), "paper"), height


def figure_svg(figure: Json, *, label: str = "") -> str:
    """The static SVG of a 2D scatter figure (figures.anatomy_figure); ``label`` is its accessible name, or it
    is hidden from assistive technology (``aria-hidden``) when the page already carries the text alternative."""
    layout = figure.get("layout") or {}
    traces = [t for t in figure.get("data") or [] if _visible(t)]
    ink = str((layout.get("font") or {}).get("color", "#444"))
    family = str((layout.get("font") or {}).get("family", "sans-serif"))
    base_size = float((layout.get("font") or {}).get("size", 12))
    (x0, x1) = (float(v) for v in layout["xaxis"]["range"])
    (y0, y1) = (float(v) for v in layout["yaxis"]["range"])
    m = layout.get("margin") or {}
    left, right, top, bottom = (float(m.get(k, 80)) for k in ("l", "r", "t", "b"))
    geo: list[str] = []
    pins: list[str] = []
    defs: dict[str, str] = {}
    for t in traces:
        g, p = _trace_svg(t, ink, defs)
        geo.append(g)
        pins.extend(p)
    notes = [_annotation(a, ink, base_size) for a in layout.get("annotations") or []]
    legend, legend_h = _legend(traces, layout, ink)
    bottom = max(bottom, legend_h + 4) if legend else bottom
    height = float(layout.get("height", 450))
    width = round((height - top - bottom) * abs(x1 - x0) / abs(y1 - y0) + left + right)
    view = f"{_num(min(x0, x1))} {_num(-max(y0, y1))} {_num(abs(x1 - x0))} {_num(abs(y1 - y0))}"
    access = f'role="img" aria-label="{_attr(label)}"' if label else 'aria-hidden="true" focusable="false"'
    bg = _attr(layout.get("paper_bgcolor", "white"))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pd-first-svg" {access} '
        f'width="{width}" height="{_num(height)}" '
        f'font-family="{_attr(family)}" data-margin="{_num(left)},{_num(right)},{_num(top)},{_num(bottom)}" '
        f'data-range="{_num(x0, 3)},{_num(x1, 3)},{_num(y0, 3)},{_num(y1, 3)}">'
    )
    plot = (
        f'<svg class="pd-geo" x="{_num(left)}" y="{_num(top)}" width="{_num(width - left - right)}" '
        f'height="{_num(height - top - bottom)}" viewBox="{view}" '
        'preserveAspectRatio="xMidYMid meet" overflow="hidden">'
        f"{''.join(geo)}</svg>"
    )
    return "".join(
        [
            head,
            f"<style>.pd-first-svg .pd-halo{{text-shadow:{HALO}}}</style>",
            f'<rect width="100%" height="100%" fill="{bg}"/>',
            "<defs>",
            *(markup.replace("<path ", f'<path id="{ref}" ', 1) for markup, ref in defs.items()),
            "</defs>",
            plot,
            '<g class="pd-pins">',
            *pins,
            "</g>",
            *notes,
            legend,
            "</svg>",
        ]
    )


@functools.lru_cache(maxsize=256)
def figure_svg_from_json(figure_json: str, label: str = "") -> str:
    """figure_svg of a figure already serialised (what the app caches per view, layers, angle and selection)."""
    return figure_svg(json.loads(figure_json), label=label)


_HEAD = re.compile(r'width="([\d.]+)" height="([\d.]+)"[^>]*data-margin="([^"]+)" data-range="([^"]+)"')
_PIN = re.compile(r'class="pd-pin"(?: href="[^"]*")? data-(data|paper)="(-?[\d.]+),(-?[\d.]+)"')


def placed(svg: str, width: float | None = None) -> str:
    """``svg`` (figure_svg's output) with every pin moved to its pixel at the SVG's own size (``width`` px wide
    if given: the drawing centred, as Plotly centres it in a wider graph), as ``place`` in diagram.js moves them:
    a picture complete without any script, which an ``<img>`` (a Markdown image, the page's first paint before
    any component has loaded) can show. Scaled, it scales as a whole."""
    head = _HEAD.search(svg)
    if head is None:
        return svg
    own, height = float(head.group(1)), float(head.group(2))
    width = own if width is None else float(width)
    left, right, top, bottom = (float(v) for v in head.group(3).split(","))
    x0, x1, y0, y1 = (float(v) for v in head.group(4).split(","))
    pw, ph = max(1.0, width - left - right), max(1.0, height - top - bottom)
    if width != own:
        svg = svg.replace(f'width="{head.group(1)}"', f'width="{_num(width)}"', 1)
        svg = re.sub(r'(class="pd-geo" x="[^"]*" y="[^"]*" width=")[^"]*"', rf'\g<1>{_num(pw)}"', svg, count=1)
    k = min(pw / abs(x1 - x0), ph / abs(y1 - y0))
    xc, yc = (x0 + x1) / 2, (y0 + y1) / 2

    def move(m: re.Match[str]) -> str:
        kind, x, y = m.group(1), float(m.group(2)), float(m.group(3))
        if kind == "data":
            px, py = left + pw / 2 + (x - xc) * k, top + ph / 2 - (y - yc) * k
        else:
            px, py = left + x * pw, top + (1 - y) * ph
        return f'{m.group(0)} transform="translate({_num(px)},{_num(py)})"'

    return _PIN.sub(move, svg)


def picture(svg: str) -> str:
    """figure_svg's output as a picture complete in itself, at least as wide as it is high (Plotly draws the
    diagram into the width of its column, the drawing centred): what the page shows first, as an image."""
    head = _HEAD.search(svg)
    return placed(svg, max(float(head.group(1)), float(head.group(2)))) if head else svg


def markdown_image(svg: str) -> str:
    """The SVG as a Markdown image with an empty text alternative (a data URL: the page's CSP allows
    ``img-src data:``, and Streamlit's Markdown, in its first bundle, shows it with the heading). Empty alt:
    the diagram's description is carried once, by the component that replaces the picture."""
    return f"![](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()})" if svg else ""
