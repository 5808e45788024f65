"""CJK words in paths become notes, with their language."""

from __future__ import annotations

import io

from forensics.extractors.base import Context
from forensics.extractors.paths import PathWordsExtractor
from forensics.pipeline import extract_one
from forensics.records import FileRef, Note


def test_cjk_words_in_paths() -> None:
    ref = FileRef(url="uploads/原画_0401.zip!/수정/作監チェック/A_0001.jpg", path=None, payload=b"")
    items = list(PathWordsExtractor().extract(ref, io.BytesIO(), Context()))
    assert [n.text for n in items if isinstance(n, Note)] == ["原画", "수정", "作監チェック"]
    result = extract_one(ref, (PathWordsExtractor(),))
    assert [(n.text, n.lang) for n in result.notes] == [
        ("原画", "ja"),  # shared by all three; the file's sure note (作監チェック) is Japanese
        ("수정", "ko"),
        ("作監チェック", "ja"),
    ]
    assert not PathWordsExtractor().applies(FileRef(url="INV/EP05/x.jpg", path=None), "", b"")
