"""Bar charts as SVG geometry, computed on the server: no JavaScript, readable without colour."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 240, 40, 40, 16


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    show_label: bool


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    top: int  # the value of the highest grid line
    baseline: float
    title: str


def bar_chart(series: list[tuple[str, int]], title: str) -> Chart:
    top = max([v for _, v in series] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(1, len(series))
    every = max(1, len(series) // 12)  # at most about twelve labels under the axis
    bars = tuple(Bar(PAD_LEFT + i * step + step * 0.1, PAD_TOP + plot_h * (1 - v / top), step * 0.8,
                     plot_h * v / top, label, v, i % every == 0) for i, (label, v) in enumerate(series))
    return Chart(bars, WIDTH, HEIGHT, top, PAD_TOP + plot_h, title)
