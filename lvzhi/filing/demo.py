"""The demo year of filing review (CaseKind.demo of `filing`): the filings first, then the review
requests on them, then the 发文目录, special reviews and the annual report built from both."""

from __future__ import annotations

from typing import Any


def build(builder: Any) -> None:
    from lvzhi.filing import demo_filings, demo_reports, demo_requests

    demo_filings.build(builder)
    demo_requests.build(builder)
    demo_reports.build(builder)
