"""Synfig documents (.sif, and .sifz through the walker)."""

from __future__ import annotations

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.synfig import SynfigExtractor, SynfigRecord, seconds
from forensics.records import Note
from forensics.sniff import sniff

from .util import TRUTH, extract, sample_bytes

EX = SynfigExtractor()
URL = next(u for u in TRUTH if u.endswith(".sifz!/KMR_S01_EP12_SC099_C099_fx"))


def test_the_sample_read_out_of_its_gzip() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:4096]) == "application/x-synfig"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, SynfigRecord)]
    assert (rec.name, rec.description, rec.width, rec.height, rec.fps) == (
        "KMR EP12 C099 fx",
        "빛 효과",
        1920,
        1080,
        24.0,
    )
    assert rec.duration_seconds == 2.0 and rec.layers == 2
    assert rec.imported == ("C:/Users/sora.lee/Desktop/KMR_C099_BG.png",)
    assert [n.text for n in items if isinstance(n, Note)] == ["배경", "glow"]


def test_synfig_times() -> None:
    assert seconds("2s", 24) == 2.0 and seconds("48f", 24) == 2.0
    assert seconds("1m 2s 12f", 24) == 62.5 and seconds("48f", None) is None
    assert seconds("nonsense", 24) is None


def test_not_synfig_damaged_and_hostile() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<svg></svg>")
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, sample_bytes(URL)[:300])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE canvas [<!ENTITY a "aaaaaaaaaa">]>'
        b"<canvas><name>&a;</name></canvas>"
    )
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, bomb)


def test_keyframes_and_their_labels() -> None:
    """A keyframe's label is the artist's own words for the moment (French
    here): a note; the keyframes, labelled or not, stay on the record."""
    sif = (
        b'<?xml version="1.0"?>\n<canvas version="0.7" width="720" height="405" fps="12.000" '
        b'begin-time="0f" end-time="30s">\n <name>ECMusicG</name>\n'
        b' <keyframe time="0f">titre ECG</keyframe>\n <keyframe time="2s 8f"/>\n'
        b' <keyframe time="8s">d&#xE9;but boucle 1</keyframe>\n'
        b' <layer type="outline" desc="basse"/>\n</canvas>\n'
    )
    items = extract(EX, sif)
    [rec] = [i for i in items if isinstance(i, SynfigRecord)]
    assert rec.keyframes == (("0f", "titre ECG"), ("2s 8f", ""), ("8s", "début boucle 1"))
    notes = [(n.text, n.source) for n in items if isinstance(n, Note)]
    assert notes == [
        ("basse", "layer 'basse'"),
        ("titre ECG", "keyframe 0f"),
        ("début boucle 1", "keyframe 8s"),
    ]


def test_text_layers_words_and_fonts() -> None:
    """A text layer's words are a note (origin text_layer), its font family
    kept (a lip-sync chart of Russian and English phonemes)."""
    sif = (
        '<?xml version="1.0"?>\n<canvas version="0.9" width="480" height="270" fps="24">\n'
        ' <layer type="text" desc="Text053"><param name="text"><string>м, п, б</string>'
        '</param><param name="family"><string>Sans Serif</string></param></layer>\n'
        ' <layer type="text" desc="ru"><param name="text"><string> </string></param></layer>\n'
        ' <layer type="import" desc="bg"><param name="filename"><string>bg.png</string></param>'
        "</layer>\n</canvas>\n"
    ).encode()
    items = extract(EX, sif)
    [rec] = [i for i in items if isinstance(i, SynfigRecord)]
    assert (rec.fonts, rec.imported) == (("Sans Serif",), ("bg.png",))
    texts = [(n.text, n.source) for n in items if isinstance(n, Note) and n.origin == "text_layer"]
    assert texts == [("м, п, б", "text layer 'Text053'")]
