"""Download progress reaches the status line as bytes, not as a count of finished files."""

from __future__ import annotations

from lsp_server.runtime import ModelRuntime, ModelSettings
from lsp_server.runtime.hub import _tqdm_class


def test_only_byte_bars_report_and_they_say_how_much() -> None:
    seen: list[tuple[float, str]] = []
    bar_class = _tqdm_class(lambda fraction, what: seen.append((fraction, what)))
    # As snapshot_download does: a bar counting files, and a bar of bytes whose total grows.
    files = bar_class(total=4, desc="Fetching 4 files", disable=False)
    data = bar_class(total=0, unit="B", unit_scale=True, desc="Downloading bytes", disable=False)
    files.update(3)  # the three small config files are done: no claim of 75 %
    assert seen == []
    data.total = 1_000_000_000
    data.update(250_000_000)
    assert seen == [(0.25, "downloading 250 MB of 1.00 GB")]
    files.close()
    data.close()


def test_the_runtime_status_line_carries_the_percentage() -> None:
    rt = ModelRuntime(ModelSettings())
    rt._report(0.05 + 0.45 * 0.25, "downloading 250 MB of 1.00 GB")
    ready, line = rt.status()
    assert not ready
    assert line == "loading 16%: downloading 250 MB of 1.00 GB"
    rt._report(0.01, "importing torch")  # late reports never move the bar backwards
    assert rt.status()[1].startswith("loading 16%")
