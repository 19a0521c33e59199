"""Every JSON report of the command line carries a ``version`` (a script reading it can tell
when a key changed meaning)."""

from __future__ import annotations

import inspect
from typing import Any

from briefkit.absorb.run import Report
from briefkit.brief.model import Brief
from briefkit.cli import reports
from briefkit.versions.compare import FolderComparison
from briefkit.versions.semantic_diff import diff_briefs
from tests.conftest import MINIMAL


def _samples() -> dict[str, dict[str, Any]]:
    from ruamel.yaml import YAML

    brief = Brief.model_validate(YAML(typ="safe").load(MINIMAL))
    return {
        "check_report": reports.check_report([], 0, 0),
        "diff_report": reports.diff_report(diff_briefs(brief, brief)),
        "folders_report": reports.folders_report("HEAD", None, FolderComparison([], [])),
        "absorb_report": reports.absorb_report(Report(docx="a.docx", brief="a.yaml")),
    }


def test_every_report_has_a_version() -> None:
    builders = {
        name
        for name, function in inspect.getmembers(reports, inspect.isfunction)
        if name.endswith("_report") and function.__module__ == reports.__name__
    }
    samples = _samples()
    assert builders == set(samples), "give each report builder a sample here"
    assert {name: type(s["version"]) for name, s in samples.items()} == dict.fromkeys(samples, int)
