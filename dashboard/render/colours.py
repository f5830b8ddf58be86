"""The app's colours: the Okabe–Ito palette for categories and three ColorBrewer scales (the stops
plotly and Vega use under the same names), sampled by linear interpolation in RGB.

Charts (Vega-Lite) and maps (pydeck) both colour from here, so a street has the same colour on
the overview's choropleth and on the street map.
"""
from __future__ import annotations

import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
ACCENT = "#b22222"
MISSING = "#dddddd"

# evenly spaced stops, low → high
SCALES = {
    "OrRd": [(255, 247, 236), (254, 232, 200), (253, 212, 158), (253, 187, 132), (252, 141, 89),
             (239, 101, 72), (215, 48, 31), (179, 0, 0), (127, 0, 0)],
    "RdYlBu": [(165, 0, 38), (215, 48, 39), (244, 109, 67), (253, 174, 97), (254, 224, 144), (255, 255, 191),
               (224, 243, 248), (171, 217, 233), (116, 173, 209), (69, 117, 180), (49, 54, 149)],
    "Purples": [(252, 251, 253), (239, 237, 245), (218, 218, 235), (188, 189, 220), (158, 154, 200),
                (128, 125, 186), (106, 81, 163), (84, 39, 143), (63, 0, 125)],
}


def hex_of(rgb: tuple[float, float, float]) -> str:
    """(r, g, b) in 0–255 → '#rrggbb'."""
    return "#" + "".join(f"{int(round(c)):02x}" for c in rgb)


def rgb_of(css: str) -> tuple[int, int, int]:
    """'#rrggbb' → (r, g, b)."""
    return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))


def sample(scale: str, positions) -> list[str]:
    """The colours of `scale` at each position in [0, 1], as '#rrggbb'."""
    stops = SCALES[scale]
    out = []
    for p in positions:
        x = min(max(float(p), 0.0), 1.0) * (len(stops) - 1)
        i = min(int(x), len(stops) - 2)
        f = x - i
        out.append(hex_of(tuple(a + (b - a) * f for a, b in zip(stops[i], stops[i + 1]))))
    return out


def stops(scale: str) -> list[str]:
    """The scale's stops, low → high, as '#rrggbb' (for a chart's colour range or a legend's gradient)."""
    return [hex_of(s) for s in SCALES[scale]]


def colors_for(values: pd.Series, scale: str) -> list[str]:
    """Each value's colour on `scale` stretched over the values' range (min → first stop); NaN → grey."""
    lo, hi = values.min(), values.max()
    span = (hi - lo) or 1.0
    return [MISSING if pd.isna(v) else sample(scale, [(v - lo) / span])[0] for v in values]


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` ('#rrggbb')."""
    r, g, b = rgb_of(fill)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b  # sRGB weights, 0–255
    return "#111111" if luminance > 140 else "#ffffff"
