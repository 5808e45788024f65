"""Animate publish settings (PublishSettings.xml of an XFL folder or .fla)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.publishsettings import (
    AnimatePublishSettingsRecord,
    PublishSettingsExtractor,
)
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = PublishSettingsExtractor()
FLA = next(u for u in TRUTH if u.endswith("C099.fla"))


def _settings() -> bytes:
    with zipfile.ZipFile(io.BytesIO(sample_bytes(FLA))) as zf:
        return zf.read("PublishSettings.xml")


def test_the_sample_documents_settings_name_the_artist_and_the_installation() -> None:
    data = _settings()
    assert sniff(data[:4096]) == "application/x-animate-publish-settings"
    [rec] = extract(EX, data)
    assert isinstance(rec, AnimatePublishSettingsRecord)
    assert (rec.profiles, rec.current_profile) == (("기본값",), "기본값")
    assert rec.outputs == ("KMR_S01_EP12_SC099_C099.swf",)
    assert (rec.product, rec.locale) == ("Animate 2022", "ko_KR")
    assert rec.template is not None and rec.paths == (rec.template,)
    assert rec.template.startswith("C:\\Users\\jihoon\\AppData")


def test_class_paths_a_mac_installation_and_a_flash_cs55_profile() -> None:
    """Path lists split on `;` (only the absolute ones are paths); a macOS
    configuration path; the document class and player."""
    data = (
        b'<flash_profiles>\n<flash_profile version="1.0" name="Default" current="true">\n'
        b"<PublishFormatProperties><flashFileName>game.swf</flashFileName>"
        b"<htmlFileName>game.html</htmlFileName></PublishFormatProperties>\n"
        b"<PublishHtmlProperties><TemplateFileName>/Users/ana/Library/Application Support/"
        b"Adobe/Flash CS5.5/es_ES/Configuration/HTML/Default.html</TemplateFileName>"
        b"</PublishHtmlProperties>\n<PublishFlashProperties><ExternalPlayer>FlashPlayer10.2"
        b"</ExternalPlayer><AS3PackagePaths>.;/Users/ana/Desktop/juego/src/</AS3PackagePaths>"
        b"<DocumentClass>Juego</DocumentClass></PublishFlashProperties>\n"
        b'</flash_profile>\n<flash_profile name="Movil"/>\n</flash_profiles>\n'
    )
    [rec] = extract(EX, data)
    assert isinstance(rec, AnimatePublishSettingsRecord)
    assert rec.profiles == ("Default", "Movil")
    assert rec.outputs == ("game.swf", "game.html")
    assert (rec.document_class, rec.player) == ("Juego", "FlashPlayer10.2")
    assert (rec.product, rec.locale) == ("Flash CS5.5", "es_ES")
    assert rec.paths[1] == "/Users/ana/Desktop/juego/src/"
    assert "." not in rec.paths


def test_in_a_case_the_user_and_the_product_are_entities(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / FLA, dump / "cut.fla")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    mine = case.entities[case.entities["path"] == "cut.fla!/PublishSettings.xml"]
    assert ("user", "jihoon") in set(zip(mine["role"], mine["value"], strict=True))
    assert ("software", "Animate 2022") in set(zip(mine["role"], mine["value"], strict=True))


def test_not_publish_settings_and_damaged() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<DOMDocument/>")
    with pytest.raises(CorruptInput):
        extract(EX, _settings()[:150])
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE flash_profiles [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><flash_profiles>&b;</flash_profiles>'
    )
    with pytest.raises(CorruptInput):
        extract(EX, hostile)


def test_an_html5_canvas_documents_profiles_and_class_paths() -> None:
    """Animate 2017 on writes an HTML5 canvas document's settings under
    <profiles>, each format's as <Property name=...> pairs; class paths
    are kept as written, relative ones too."""
    data = (
        b'<profiles>\n<profile version="1.0" name="Default" current="true">\n'
        b'  <PublishFormatProperties enabled="true">\n'
        b"    <oamFileName>EFMod_Soda.oam</oamFileName>\n  </PublishFormatProperties>\n"
        b'  <PublishProperties name="JavaScript/HTML" enabled="true">\n'
        b'    <Property name="filename">EFMod_Soda.js</Property>\n'
        b'    <Property name="templateTitle">ISP_Template (Custom)</Property>\n'
        b'    <Property name="SiteUrl"> </Property>\n  </PublishProperties>\n'
        b"  <PublishFlashProperties>"
        b"<AS3PackagePaths>.;ASPiratePig/src;D:\\lib\\as3</AS3PackagePaths>"
        b"</PublishFlashProperties>\n</profile>\n</profiles>\n"
    )
    assert sniff(data) == "application/x-animate-publish-settings"
    assert sniff(b"<profiles><profile name='x'/></profiles>") != sniff(data)
    [rec] = extract(EX, data)
    assert isinstance(rec, AnimatePublishSettingsRecord)
    assert (rec.profiles, rec.current_profile) == (("Default",), "Default")
    assert rec.outputs == ("EFMod_Soda.oam", "EFMod_Soda.js")
    assert rec.template == "ISP_Template (Custom)"
    assert rec.class_paths == ("ASPiratePig/src", "D:\\lib\\as3")
    assert rec.paths == ("D:\\lib\\as3",)
    assert ("templateTitle", "ISP_Template (Custom)") in rec.properties


def test_a_template_is_not_an_output() -> None:
    data = (
        b'<flash_profiles><flash_profile name="Default" current="true">'
        b"<PublishFormatProperties><flashFileName>cut12.swf</flashFileName>"
        b"</PublishFormatProperties><PublishHtmlProperties>"
        b"<TemplateFileName>Default.html</TemplateFileName></PublishHtmlProperties>"
        b"</flash_profile></flash_profiles>"
    )
    [rec] = extract(EX, data)
    assert isinstance(rec, AnimatePublishSettingsRecord)
    assert (rec.outputs, rec.template, rec.paths) == (("cut12.swf",), "Default.html", ())
