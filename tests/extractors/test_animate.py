"""Adobe Animate XFL documents (.fla zips, loose DOMDocument.xml)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.events import events_for
from forensics.extractors.animate import (
    AnimateExtractor,
    AnimateItemRecord,
    AnimatePublishRecord,
    AnimateRecord,
    AnimateSymbolRecord,
)
from forensics.extractors.base import Context
from forensics.records import FileRef, Note
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = AnimateExtractor()
URL = next(u for u in TRUTH if u.endswith(".fla"))


def _dom(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("DOMDocument.xml")


def test_the_sample_document_and_its_library() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/vnd.adobe.xfl"
    items = extract(EX, data)
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.saved_by == "Saved by Animate Windows 22.0 build 186"
    assert (doc.width, doc.height, doc.frame_rate, doc.timelines) == (1920, 1080, 24.0, ("C099",))
    bitmap, symbol = [i for i in items if isinstance(i, AnimateItemRecord)]
    want = dt.datetime.fromisoformat(TRUTH[URL]["timestamps"]["Animate sourceLastImported"])
    assert bitmap.imported == want and "Users\\jihoon\\" in (bitmap.source_path or "")
    assert symbol.modified is not None and symbol.item_type == "symbol"
    assert {e.zone_basis for e in events_for([bitmap, symbol])} == {"utc"}
    assert [n.text for n in items if isinstance(n, Note)] == ["배경"]
    # the same document loose, as in an uncompressed XFL folder
    assert sniff(_dom(data)[:4096]) == "application/x-xfl-document"
    assert len(extract(EX, _dom(data))) == len(items)


def test_in_a_case_the_fla_is_one_scene_and_names_its_importer(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / URL, dump / "cut.fla")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    assert files.loc["cut.fla", "work"] == "scene"
    assert set(files.loc[files.index.str.startswith("cut.fla!/"), "work"]) == {"part"}
    records = case.records
    mine = records[records["extractor"] == "animate"]
    assert set(mine.loc[mine["kind"] != "animate_symbol", "path"]) == {"cut.fla"}  # read once
    assert set(mine.loc[mine["kind"] == "animate_symbol", "path"]) == {
        "cut.fla!/LIBRARY/Symbol 1.xml"  # each library symbol as its own member
    }
    found = set(zip(case.entities["role"], case.entities["value"], strict=True))
    assert {("user", "jihoon"), ("software", "Saved by Animate Windows 22.0 build 186")} <= found


def test_not_animate_damaged_and_hostile() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<svg/>")
    cut = _dom(sample_bytes(URL))[:400]
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, cut)
    bomb = b'<!DOCTYPE d [<!ENTITY a "aaaa">]><DOMDocument versionInfo="&a;"/>'
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, bomb)


def _as_animate_writes(data: bytes) -> bytes:
    """The sample .fla as Animate 24 writes a document: the `mimetype`
    member's directory record left out, but counted in the directory's
    size (46 bytes and its name) by the end record."""
    import struct

    whole = bytearray(data)
    eocd = whole.rindex(b"PK\x05\x06")
    count, _, _, offset = struct.unpack_from("<HHII", whole, eocd + 8)
    record = whole.index(b"PK\x01\x02", offset)
    assert whole[record + 46 : record + 54] == b"mimetype"
    del whole[record : record + 54]
    eocd -= 54
    struct.pack_into("<HH", whole, eocd + 8, count - 1, count - 1)  # the size stays
    return bytes(whole)


def test_a_document_animate_rewrote_reads_without_a_warning(tmp_path: Path) -> None:
    """Real Animate 24 documents fail the standard library ("Bad magic
    number for central directory"); their directory is whole."""
    data = _as_animate_writes(sample_bytes(URL))
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(data))
    assert sniff(data[:65536]) == "application/vnd.adobe.xfl"
    [rec] = [r for r in extract(EX, data) if isinstance(r, AnimateRecord)]
    assert rec.saved_by == "Saved by Animate Windows 22.0 build 186"
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "rewritten.fla").write_bytes(data)
    damaged = bytearray(data)
    eocd = damaged.rindex(b"PK\x05\x06")
    damaged[eocd + 16 : eocd + 20] = b"\x10\x00\x00\x00"  # the directory's offset lost
    (dump / "damaged.fla").write_bytes(bytes(damaged))
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    problems = case.problems
    assert set(problems.loc[problems["kind"] == "corrupt_archive", "path"]) == {"damaged.fla"}
    members = case.files[case.files["path"].str.startswith("rewritten.fla!/")]
    assert set(members["path"]) == {
        "rewritten.fla!/DOMDocument.xml",
        "rewritten.fla!/LIBRARY/Symbol 1.xml",
        "rewritten.fla!/PublishSettings.xml",
    }
    zips = case.records[(case.records["kind"] == "zip") & (case.records["path"] == "rewritten.fla")]
    assert "Animate" in zips["body"].iloc[0]  # the zip record says how it was read
    assert data == (dump / "rewritten.fla").read_bytes()  # the evidence untouched


def test_a_recovered_document_is_told_by_its_xfl_member() -> None:
    """Animate's RECOVER_ copies put the stale `a.xfl` (PROXY-CS5) first."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.xfl", "PROXY-CS5")
        zf.writestr("DOMDocument.xml", _dom(sample_bytes(URL)))
    assert sniff(buf.getvalue()[:65536]) == "application/vnd.adobe.xfl"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("notes.xfl", "something else")
    assert sniff(plain.getvalue()[:65536]) == "application/zip"


OLD = next(u for u in TRUTH if u.endswith("_old.fla"))


def _generator() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_binary_fla_its_scenes_symbols_and_imports() -> None:
    """Flash CS3/CS4's OLE .fla: scenes, symbols and an imported file with its
    source path and times, read from the Contents stream; its UTF-16 XMP is
    the xmp extractor's."""
    from forensics.extractors.xmp import XmpExtractor, XmpRecord
    from forensics.records import FileRef

    data = sample_bytes(OLD)
    assert sniff(data[:65536]) == "application/vnd.adobe.fla"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, AnimateRecord)]
    assert rec.timelines == ("C099 오프닝", "C099 본편") and rec.symbols == ("캐릭터 A",)
    [item] = [i for i in items if isinstance(i, AnimateItemRecord)]
    assert item.source_path == "C:\\Users\\jihoon\\Desktop\\KMR_C099_BG.png"
    assert item.imported is not None and item.source_modified is not None
    assert item.source_modified < item.imported
    ref = FileRef(url="x.fla", path=None, payload=data)
    xmp = [
        r
        for r in XmpExtractor().extract(ref, io.BytesIO(data), Context(head=data[:4096]))
        if isinstance(r, XmpRecord)
    ]
    assert [x.creator_tool for x in xmp] == ["Adobe Flash CS4 Professional"]
    assert xmp[0].modify_date is not None
    assert xmp[0].modify_date.isoformat() == TRUTH[OLD]["timestamps"]["XMP xmp:ModifyDate"]


def test_a_compound_file_that_is_not_a_fla_or_is_cut() -> None:
    make = _generator()
    other = make.compound_file({"WordDocument": b"\x00" * 10})  # type: ignore[attr-defined]
    with pytest.raises(NotMyFormat):
        extract(EX, other)
    with pytest.raises(CorruptInput, match="does not read"):
        extract(EX, sample_bytes(OLD)[:-400])  # its allocation table cut off


def test_a_font_item_names_its_typeface_and_import() -> None:
    dom = (
        b'<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" versionInfo="Saved by Adobe Flash '
        b'Windows 12.0 build 481" fileGUID="6457A144FDFBB44F8D17A0B8E6BFA954"><fonts>'
        b'<DOMFontItem name="Font 1" font="Champagne&amp;Limousines" '
        b'sourceLastImported="1388489034"/>'
        b"</fonts></DOMDocument>"
    )
    items = extract(EX, dom)
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.file_guid == "6457A144FDFBB44F8D17A0B8E6BFA954"
    [font] = [i for i in items if isinstance(i, AnimateItemRecord)]
    assert (font.item_type, font.name, font.font) == ("font", "Font 1", "Champagne&Limousines")
    assert font.imported == dt.datetime(2013, 12, 31, 11, 23, 54, tzinfo=dt.UTC)


def test_the_library_its_symbols_bitmaps_and_exported_classes() -> None:
    dom = (
        b'<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" versionInfo="Saved by Adobe Flash '
        b'Windows 11.0 build 485"><media>'
        b'<DOMBitmapItem name="1 cut.jpg" linkageExportForAS="true" linkageClassName="cut1" '
        b'sourceExternalFilepath=".\\bg\\1 cut.jpg" sourceLastImported="1350451062"/>'
        b'<DOMBitmapItem name="Bitmap 3" sourceLastImported="1348660744"/>'
        b"</media><symbols>"
        b'<Include href="Button.xml"/><Include href="Skins/Button_downSkin.xml"/>'
        b"</symbols></DOMDocument>"
    )
    items = extract(EX, dom)
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.symbols == ("Button.xml", "Skins/Button_downSkin.xml")
    assert (doc.symbol_count, doc.bitmaps, doc.items) == (2, 2, 4)
    bitmaps = [i for i in items if isinstance(i, AnimateItemRecord)]
    assert [(b.name, b.linkage_class) for b in bitmaps] == [
        ("1 cut.jpg", "cut1"),
        ("Bitmap 3", None),
    ]
    assert bitmaps[0].source_path == ".\\bg\\1 cut.jpg"


def test_the_publish_history_and_the_paths_animate_kept() -> None:
    dom = (
        b'<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" versionInfo="Saved by Adobe Flash '
        b'Windows 14.1 build 96"><persistentData>'
        b'<PD n="flash.fla.filepath" v="D:/Users/cole/Desktop/cut/C012.xfl"/>'
        b'<PD n="ane.tmp.unzipped.folder" v="C:\\Users\\cole\\AppData\\Local\\Temp\\x"/>'
        b'<PD n="flash.swf.basename" v="C012"/><PD n="com.air.sdk.path"/>'
        b"</persistentData><publishHistory>"
        b'<PublishItem publishSize="6631" publishTime="1422834227" publishDebug="true"/>'
        b'<PublishItem publishSize="6390" publishTime="1422833927"/>'
        b"</publishHistory></DOMDocument>"
    )
    items = extract(EX, dom)
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.publishes == 2 and ("flash.swf.basename", "C012") in doc.persistent
    assert doc.paths == (
        "D:/Users/cole/Desktop/cut/C012.xfl",
        "C:\\Users\\cole\\AppData\\Local\\Temp\\x",
    )
    published = [i for i in items if isinstance(i, AnimatePublishRecord)]
    assert [(p.published, p.size, p.debug) for p in published] == [
        (dt.datetime(2015, 2, 1, 23, 43, 47, tzinfo=dt.UTC), 6631, True),
        (dt.datetime(2015, 2, 1, 23, 38, 47, tzinfo=dt.UTC), 6390, False),
    ]
    assert {e.zone_basis for e in events_for(published)} == {"utc"}


def test_a_document_left_with_merge_conflict_markers_reads_both_sides() -> None:
    """XFL folders live in git; one committed mid-merge is not XML. Both
    sides of the conflict are read, and the problem row says so."""
    dom = (
        b'<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" versionInfo="Saved by Adobe Flash '
        b'Windows 15.0 build 173">\n<publishHistory>\n<<<<<<< HEAD\n'
        b'<PublishItem publishSize="11598" publishTime="1464919214"/>\n=======\n'
        b'<PublishItem publishSize="21385" publishTime="1469742278"/>\n'
        b">>>>>>> 5d2c1e0 (menus)\n</publishHistory>\n</DOMDocument>\n"
    )
    ctx = Context()
    items = list(EX.extract(FileRef(url="DOMDocument.xml", path=None), io.BytesIO(dom), ctx))
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.saved_by == "Saved by Adobe Flash Windows 15.0 build 173" and doc.publishes == 2
    [warning] = ctx.problems
    assert warning.kind == "corrupt" and "3 git merge conflict marker lines" in warning.message
    with pytest.raises(CorruptInput):  # markers or not, a document cut short stays corrupt
        list(EX.extract(FileRef(url="d.xml", path=None), io.BytesIO(dom[:-40]), Context()))


def test_layers_instances_sounds_and_an_actionscript_2_linkage() -> None:
    """A Flash CS5.5 document: its layers' names are notes, its symbol
    instances' names kept, an ActionScript 2 item's linkage identifier read as
    the class, its sounds counted."""
    dom = (
        '<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" width="600" frameRate="40" '
        'versionInfo="Saved by Adobe Flash Windows 11.5 build 325"><media>'
        '<DOMSoundItem name="boom.wav" linkageExportForAS="true" linkageIdentifier="sExp" '
        'sourceExternalFilepath="../../Game/LIBRARY/boom.wav" sourceLastImported="1466936852"/>'
        '<DOMSoundItem name="music.wav" sourceLastImported="1491817622"/></media>'
        '<timelines><DOMTimeline name="Монтажный кадр 1"><layers>'
        '<DOMLayer name="Слой 1"><frames><DOMFrame index="0"><elements>'
        '<DOMSymbolInstance libraryItemName="Symbol 329" name="loadingmc"/>'
        '<DOMSymbolInstance libraryItemName="Symbol 2"/>'
        "</elements></DOMFrame></frames></DOMLayer>"
        '<DOMLayer name="Слой 2"/><DOMLayer name="Слой 1"/></layers></DOMTimeline></timelines>'
        "</DOMDocument>"
    ).encode()
    items = extract(EX, dom)
    [rec] = [i for i in items if isinstance(i, AnimateRecord)]
    assert (rec.sounds, rec.bitmaps, rec.instance_names) == (2, 0, ("loadingmc",))
    assert [n.text for n in items if isinstance(n, Note)] == ["Слой 1", "Слой 2"]
    boom = next(i for i in items if isinstance(i, AnimateItemRecord) and i.name == "boom.wav")
    assert (boom.linkage_class, boom.source_path) == ("sExp", "../../Game/LIBRARY/boom.wav")


SYMBOL = (
    '<DOMSymbolItem xmlns="http://ns.adobe.com/xfl/2008/" name="images/scanner/popupBox" '
    'itemID="4e69e4b1-00000390" linkageExportForAS="true" linkageClassName="popupBox" '
    'lastModified="1321763729"><timeline><DOMTimeline name="popupBox"><layers>'
    '<DOMLayer name="Слой 1"><frames><DOMFrame index="0"><elements>'
    '<DOMSymbolInstance libraryItemName="images/scanner/scanButton" name="scanButton"/>'
    '<DOMBitmapInstance libraryItemName="Растровое изображение 46"/>'
    '<DOMDynamicText name="status" width="303"><textRuns><DOMTextRun>'
    "<characters>Click to start&#xD;the CT scanner.</characters><textAttrs>"
    '<DOMTextAttrs face="TimesNewRomanPSMT"/></textAttrs></DOMTextRun></textRuns>'
    '</DOMDynamicText></elements></DOMFrame><DOMFrame index="4"/></frames></DOMLayer>'
    "</layers></DOMTimeline></timeline></DOMSymbolItem>"
).encode()


def test_a_library_symbols_own_file(tmp_path: Path) -> None:
    """LIBRARY/NAME.xml of an XFL folder: the symbol's last change is an
    event (UTC), its layers and its text fields' words are notes."""
    assert sniff(SYMBOL) == "application/x-xfl-symbol"
    items = extract(EX, SYMBOL)
    [rec] = [i for i in items if isinstance(i, AnimateSymbolRecord)]
    assert (rec.name, rec.linkage_class, rec.layers, rec.frames) == (
        "images/scanner/popupBox",
        "popupBox",
        1,
        2,
    )
    assert rec.modified == dt.datetime(2011, 11, 20, 4, 35, 29, tzinfo=dt.UTC)
    assert (rec.instance_names, rec.text_fields, rec.fonts) == (
        ("scanButton",),
        ("status",),
        ("TimesNewRomanPSMT",),
    )
    assert rec.uses == ("images/scanner/scanButton", "Растровое изображение 46")
    notes = [(n.text, n.origin) for n in items if isinstance(n, Note)]
    assert notes == [("Слой 1", "layer_name"), ("Click to start\nthe CT scanner.", "text_layer")]
    dump = tmp_path / "dump"
    (dump / "game" / "LIBRARY").mkdir(parents=True)
    (dump / "game" / "LIBRARY" / "popupBox.xml").write_bytes(SYMBOL)
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    events = case.events[case.events["path"] == "game/LIBRARY/popupBox.xml"]
    assert dt.datetime(2011, 11, 20, 4, 35, 29, tzinfo=dt.UTC) in set(events["utc"])
    assert case.files.set_index("path").loc["game/LIBRARY/popupBox.xml", "work"] == "drawing"


def test_a_flash_cs5_fla_and_what_its_frame_scripts_reach(tmp_path: Path) -> None:
    """Flash CS5 wrote its library's folders first and no `mimetype`
    member; its document is still the .fla's, read once. Frame scripts
    (ActionScript, an HTML5 canvas's JavaScript) name web and e-mail
    addresses."""
    dom = (
        b'<DOMDocument xmlns="http://ns.adobe.com/xfl/2008/" width="700" height="550" '
        b'frameRate="30" versionInfo="Saved by Adobe Flash Windows 11.0 build 485">'
        b'<timelines><DOMTimeline name="Scene 1"><layers><DOMLayer name="as"><frames>'
        b'<DOMFrame index="0"><Actionscript><script><![CDATA[navigateToURL(new URLRequest('
        b'"http://renren.com/profile.do?id=42"));// ask lee@studio.example.cn]]></script>'
        b"</Actionscript></DOMFrame></frames></DOMLayer></layers></DOMTimeline></timelines>"
        b"</DOMDocument>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("LIBRARY/", b"")
        zf.writestr("META-INF/", b"")
        zf.writestr("DOMDocument.xml", dom)
    data = buf.getvalue()
    assert sniff(data[:65536]) == "application/vnd.adobe.xfl"
    [rec] = [r for r in extract(EX, data) if isinstance(r, AnimateRecord)]
    assert (rec.width, rec.height, rec.frame_rate) == (700, 550, 30.0)
    assert rec.script_urls == ("http://renren.com/profile.do?id=42",)
    assert rec.script_emails == ("lee@studio.example.cn",)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "main.fla").write_bytes(data)
    case = forensics.scan(tmp_path / "in", tmp_path / "case", executor="serial", ocr=False)
    animate = case.records[case.records["kind"] == "animate"]
    assert animate["path"].tolist() == ["main.fla"]  # the member is not read a second time
    emails = case.entities[case.entities["role"] == "email"]["value"].tolist()
    assert emails == ["lee@studio.example.cn"]


def test_a_flash_cs3_fla_its_short_stream_names_settings_and_save() -> None:
    """Flash CS3 (9) names its streams "P 1 <Unix time>", "S 3 <Unix time>";
    its Contents names the version that saved it with the save's Unix time
    ("timecount"), a shared symbol's source document, and keeps the publish
    settings as key and value."""
    make = _generator()
    cstring = make.cstring  # type: ignore[attr-defined]

    def name(stream: str) -> bytes:
        return b"\x18" + bytes([len(stream)]) + stream.encode("utf-16le")

    contents = (
        b"\x00\x00\xff\xff\x01\x00\r\x00CDocumentPage"
        + name("P 1 1329273949")
        + cstring("場景 1")
        + b"\0" * 12
        + name("S 3 1329277386")
        + cstring("糖葫蘆")
        + b"\0" * 12
        + cstring("")  # after the name: an empty string, a fixed block, then the links
        + b"\0" * 40
        + cstring("tanghulu")  # its ActionScript 2 identifier
        + cstring("")
        + cstring("")  # its ActionScript 3 class (none)
        + cstring(".\\lib\\shared.fla")  # the document it is shared from
        + cstring("糖葫蘆")
        + cstring("PublishFormatProperties::flashFileName")
        + cstring("cut12.swf")
        + cstring("PublishHtmlProperties::Loop")
        + cstring("1")
        + cstring("PublishHtmlProperties::TemplateFileName")
        + cstring("C:\\Users\\mei\\AppData\\Local\\Adobe\\Flash CS3\\zh_TW\\Default.html")
        + b"\x00B\x00Saved by Adobe Flash Windows 9.0 build 494 timecount = 1329278382\x00"
    )
    data = make.compound_file(  # type: ignore[attr-defined]
        {"Contents": contents, "P 1 1329273949": b"\x01", "S 3 1329277386": b"\x01"}
    )
    assert sniff(data[:65536]) == "application/vnd.adobe.fla"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, AnimateRecord)]
    assert (rec.timelines, rec.symbols) == (("場景 1",), ("糖葫蘆",))
    [link] = [i for i in items if isinstance(i, AnimateItemRecord)]
    assert (link.item_type, link.name, link.linkage_class, link.source_path) == (
        "symbol",
        "糖葫蘆",
        "tanghulu",
        ".\\lib\\shared.fla",
    )
    assert rec.saved_by == "Saved by Adobe Flash Windows 9.0 build 494"
    assert rec.saved == dt.datetime(2012, 2, 15, 3, 59, 42, tzinfo=dt.UTC)
    template = "C:\\Users\\mei\\AppData\\Local\\Adobe\\Flash CS3\\zh_TW\\Default.html"
    assert rec.settings == (  # the switches ("Loop": "1") left out
        ("PublishFormatProperties::flashFileName", "cut12.swf"),
        ("PublishHtmlProperties::TemplateFileName", template),
    )
    assert rec.linked_files == (".\\lib\\shared.fla", template)
    assert rec.paths == (template,)
