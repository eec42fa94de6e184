"""The chart is a valid PNG image: signature, chunk CRCs, and it decodes."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime, timedelta

from bot.features.report.chart import render_png
from bot.features.report.figures import Figures, Split

LABELS = {
    "title": "Activity",
    "active": "active",
    "consumers": "reading",
    "reactors": "reacting",
    "creators": "creating",
    "share": "%",
}


def series() -> list[Figures]:
    end = datetime(2026, 3, 30, tzinfo=UTC)
    out = []
    for i in range(12):
        until = end - timedelta(weeks=11 - i)
        out.append(
            Figures(
                since=until - timedelta(weeks=1),
                until=until,
                members_total=100,
                active_members=10 + i,
                split=Split(creators=1 + i % 3, reactors=9 + i, consumers=90 - i - i % 3),
            )
        )
    return out


def test_chart_is_a_valid_png() -> None:
    data = render_png(series(), LABELS)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append(kind)
        pos += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 600)

    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (600, 800)


def test_chart_of_an_empty_community_still_renders() -> None:
    empty = [Figures(since=f.since, until=f.until) for f in series()]
    assert render_png(empty, LABELS)[:8] == b"\x89PNG\r\n\x1a\n"
