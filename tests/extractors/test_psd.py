"""PSD/PSB: layer tree, note layers, text layers, layer times."""

from __future__ import annotations

import datetime as dt

import pytest

from forensics.extractors.psd import PsdExtractor, PsdLayerRecord, PsdRecord
from forensics.records import Note

from .util import CORPUS, TRUTH, extract, sample_bytes

EX = PsdExtractor()


def test_sample_psds_have_their_note_group_and_text_layers() -> None:
    psds = [u for u in TRUTH if u.endswith(".psd")]
    assert psds
    for url in psds:
        items = extract(EX, sample_bytes(url))
        [doc] = [r for r in items if isinstance(r, PsdRecord)]
        assert doc.layer_count >= 6 and doc.text_layer_count >= 1
        assert {"수정", "修改"} & set(doc.layer_names)
        texts = [n for n in items if isinstance(n, Note) and n.origin == "text_layer"]
        assert len(texts) == doc.text_layer_count and all(n.box for n in texts)
        names = {n.text for n in items if isinstance(n, Note) and n.origin == "layer_name"}
        assert {"用紙", "線画"} <= names


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_real_text_layers_psb_and_16_bit() -> None:
    items = extract(EX, (CORPUS / "psd-tools" / "text.psd").read_bytes())
    assert any(isinstance(n, Note) and n.origin == "text_layer" for n in items)
    gray = extract(EX, (CORPUS / "psd-tools" / "gray0.psd").read_bytes())
    [layer] = [r for r in gray if isinstance(r, PsdLayerRecord)]
    assert layer.modified == dt.datetime(2013, 9, 21, 17, 13, 9, 501072, tzinfo=dt.UTC)
    psb = [p for p in (CORPUS / "psd-tools").rglob("*.psb")][:3]
    deep = [p for p in (CORPUS / "psd-tools").rglob("*16*.psd")][:3]
    assert psb and deep
    for path in psb + deep:
        [doc] = [r for r in extract(EX, path.read_bytes()) if isinstance(r, PsdRecord)]
        assert doc.width > 0
        if path.suffix == ".psb":
            assert doc.format == "PSB"
