"""The notebook runs top to bottom on the samples, and is committed clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore_case.ipynb"


def test_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    """From a working directory that is not the notebook's (any folder an
    analyst opens it from), with only what `make setup` installs."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "+09:00" in text and "changed" in text and "gone" in text
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "data:image/png;base64," in html  # the notes' thumbnails
