"""Draw the doorstep app's icons (a white front door on the campaign blue) with the standard library only.

Run `.venv/bin/python scripts/doorstep_icons.py` after changing the design; the PNGs and SVG it writes
under static/doorstep/icons/ are committed, so no image tool is needed to build or deploy.
"""

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "static" / "doorstep" / "icons"
BLUE = (11, 61, 110, 255)
WHITE = (255, 255, 255, 255)
YELLOW = (255, 191, 71, 255)
CLEAR = (0, 0, 0, 0)

# The design on a unit square: door, window and knob; all inside the maskable safe zone (the middle 80%).
DOOR = (0.33, 0.24, 0.67, 0.80)
WINDOW = (0.40, 0.31, 0.60, 0.41)
KNOB = (0.605, 0.55, 0.03)
CORNER = 0.18


def _inside(box, x, y):
    left, top, right, bottom = box
    return left <= x < right and top <= y < bottom


def _pixel(x: float, y: float, rounded: bool):
    if rounded:
        cx = min(max(x, CORNER), 1 - CORNER)
        cy = min(max(y, CORNER), 1 - CORNER)
        if (x - cx) ** 2 + (y - cy) ** 2 > CORNER**2:
            return CLEAR
    kx, ky, kr = KNOB
    if (x - kx) ** 2 + (y - ky) ** 2 <= kr**2:
        return YELLOW
    if _inside(WINDOW, x, y):
        return BLUE
    if _inside(DOOR, x, y):
        return WHITE
    return BLUE


def png(size: int, rounded: bool) -> bytes:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # no filter
        for i in range(size):
            rows.extend(_pixel((i + 0.5) / size, (j + 0.5) / size, rounded))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def svg() -> str:
    def rect(box, colour):
        left, top, right, bottom = (round(v * 512) for v in box)
        return f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="{colour}"/>'

    kx, ky, kr = (round(v * 512) for v in KNOB)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" rx="{round(CORNER * 512)}" fill="#0b3d6e"/>'
        + rect(DOOR, "#fff")
        + rect(WINDOW, "#0b3d6e")
        + f'<circle cx="{kx}" cy="{ky}" r="{kr}" fill="#ffbf47"/></svg>\n'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(png(192, rounded=True))
    (OUT / "icon-512.png").write_bytes(png(512, rounded=True))
    (OUT / "icon-maskable-512.png").write_bytes(png(512, rounded=False))
    (OUT / "icon.svg").write_text(svg())
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parents[2])}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
