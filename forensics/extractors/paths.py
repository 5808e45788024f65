"""CJK words in file and folder names, as notes (origin `path`): studios
name folders 原画, 수정, 作監 and files after what was done to them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..records import FileRef, Note, Record
from .base import Context, Extractor, ExtractorDoc

_CJK_RUN = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\u3005]+"
)


@dataclass(frozen=True)
class PathWordsRecord(Record):
    KIND: ClassVar[str] = "path_words"

    words: tuple[str, ...] = ()


class PathWordsExtractor(Extractor):
    name = "path_words"
    version = "1.0"
    doc = ExtractorDoc(
        summary="CJK words in the file's path (folders, archive members, name) as notes.",
        reads="The file's url in the case.",
        limits="Only runs of Hangul, kana and Chinese characters; Latin words are left alone.",
    )
    record_kinds = (PathWordsRecord,)
    needs_bytes = False

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return bool(_CJK_RUN.search(ref.url))

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        words: list[str] = []
        for part in re.split(r"!/|/", ref.url):
            for word in _CJK_RUN.findall(part):
                if word not in words:
                    words.append(word)
        yield PathWordsRecord(extractor=self.name, source="path", words=tuple(words))
        for word in words:
            yield Note(text=word, origin="path", source=ref.url)
