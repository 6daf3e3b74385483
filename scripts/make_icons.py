"""Write the outreach page's app icons (`bot/channels/web/static/icon-*.png`): a white cross on the page's blue.

The cross sits inside the central 60%, so the same file serves as a maskable icon. Run after changing the
design: `.venv/bin/python scripts/make_icons.py`.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "bot" / "channels" / "web" / "static"
BLUE = (0x0B, 0x53, 0x94)
WHITE = (0xFF, 0xFF, 0xFF)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def icon(size: int) -> bytes:
    """An RGB PNG of `size` x `size`: a cross whose arms are a fifth of the side wide and three fifths long."""
    arm, reach = size // 5, size * 3 // 10
    mid = size // 2
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(size):
            dx, dy = abs(x - mid), abs(y - mid)
            cross = (dx < arm // 2 and dy < reach) or (dy < arm // 2 and dx < reach)
            row += bytes(WHITE if cross else BLUE)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main() -> None:
    """Write both sizes."""
    for size in (192, 512):
        (STATIC / f"icon-{size}.png").write_bytes(icon(size))


if __name__ == "__main__":
    main()
