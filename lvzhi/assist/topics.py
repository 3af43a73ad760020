"""Hot topics of a congress over a period: its cases clustered by what they raise, ranked.

The clustering is lvzhi.intelligence.hot_topics; what is the platform's own is the text it is
given: deputies' suggestions share drafting boilerplate ("代表在走访中了解到……"), which is cut
first so that it does not hold unrelated cases together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from lvzhi.intelligence.hot_topics import HotDoc, Topic
from lvzhi.intelligence.hot_topics import find_topics as cluster
from lvzhi.intelligence.text import normalize

_CLAUSE = re.compile(r"[。；;！!？?，,：:\n]")
_ENUM = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]\s*")


def strip_common(titles: Sequence[str], bodies: Sequence[str]) -> list[str]:
    """Drop the clauses many cases share word for word ("代表在走访中了解到……", "建立长效管理
    机制"): they are how suggestions are written, not what they are about, and would make
    every case look like every other. A clause is counted once per distinct title, so five
    re-posts of one complaint do not strip their own words."""
    split = [[_ENUM.sub("", c.strip()) for c in _CLAUSE.split(normalize(b)) if c.strip()] for b in bodies]
    seen: dict[str, set[str]] = {}
    for title, clauses in zip(titles, split, strict=True):
        for c in clauses:
            if len(c) >= 6:
                seen.setdefault(c, set()).add(normalize(title))
    limit = max(5, 0.03 * len(bodies))
    return ["。".join(c for c in clauses if len(seen.get(c, ())) < limit) for clauses in split]


def find_topics(docs: Sequence[HotDoc], embeddings: np.ndarray | None = None) -> list[Topic]:
    """Ranked topics. ``embeddings``: the cases' stored sentence vectors (one row per doc, from
    their full title and body), or None for the character and word path; nothing is encoded
    here because this runs inside a page request."""
    docs = list(docs)
    if not docs:
        return []
    bodies = strip_common([d.title for d in docs], [d.body for d in docs])
    cleaned = [HotDoc(d.id, d.title, b, d.time, d.likes) for d, b in zip(docs, bodies, strict=True)]
    found = cluster(cleaned, use_embeddings=embeddings is not None, embeddings=embeddings)
    return sorted(found, key=lambda t: (-t.score, -t.size, -t.likes))


def months_between(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def as_chart(topic: Topic, months: list[str]) -> dict[str, Any]:
    return {"months": months, "values": [topic.trend.get(m, 0) for m in months]}
