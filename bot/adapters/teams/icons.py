"""The app package's two icons, drawn in pure Python so no binary lives in the repository.

The glyph is three rising bars (levels growing towards a target) under a target line. Teams
wants a 192×192 full-colour icon and a 32×32 outline icon: white on transparent.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

ACCENT = "#1F6F8B"
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
BARS = ((0.20, 0.36, 0.58), (0.42, 0.58, 0.42), (0.64, 0.80, 0.28))
"""Each bar as (left, right, top) in unit coordinates; all stand on the baseline."""
BASELINE = 0.80
TARGET = (0.16, 0.84, 0.18, 0.22)
"""The target line as (left, right, top, bottom)."""

Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG, one filter byte (none) per row."""
    rows = b"".join(
        b"\x00" + bytes(channel for x in range(width) for channel in pixel(x, y))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _glyph(u: float, v: float) -> bool:
    """Whether the unit-square point (u, v) is part of the bars-and-target glyph."""
    left, right, top, bottom = TARGET
    if left <= u <= right and top <= v <= bottom:
        return True
    return any(start <= u <= end and peak <= v <= BASELINE for start, end, peak in BARS)


def _rounded(u: float, v: float, radius: float = 0.18) -> bool:
    """Whether (u, v) lies inside a unit square with rounded corners."""
    cu = min(max(u, radius), 1 - radius)
    cv = min(max(v, radius), 1 - radius)
    return (u - cu) ** 2 + (v - cv) ** 2 <= radius**2


def _rgb(hex_colour: str) -> Pixel:
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16 & 255, value >> 8 & 255, value & 255, 255)


def color_icon(size: int = 192) -> bytes:
    background = _rgb(ACCENT)

    def pixel(x: int, y: int) -> Pixel:
        u, v = (x + 0.5) / size, (y + 0.5) / size
        if not _rounded(u, v):
            return CLEAR
        return WHITE if _glyph(u, v) else background

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    def pixel(x: int, y: int) -> Pixel:
        return WHITE if _glyph((x + 0.5) / size, (y + 0.5) / size) else CLEAR

    return png(size, size, pixel)
