"""The national 政府收支分类科目, as far as a city's budget uses it: 功能分类 (支出) 类/款/项 in 3, 5
and 7 digits, 经济分类 类/款 in 3 and 5, 收入分类 类/款/项 in 3, 5 and 7.

Read once from data/classification.csv (kind, code, name). A code is valid when it is listed;
its parent is the code two digits shorter. An import names an unknown code with its row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FUNCTION, ECONOMIC, REVENUE = "function", "economic", "revenue"
KIND_LABELS = {FUNCTION: "支出功能分类科目", ECONOMIC: "支出经济分类科目", REVENUE: "收入分类科目"}
LEVEL_LABELS = {3: "类", 5: "款", 7: "项"}
RESERVE = "227"  # 预备费 (预算法 第四十条)
# 三公经费: 因公出国（境）费用, 公务接待费, 公务用车购置及运行维护费.
SANGONG = ("30212", "30217", "30231", "31013")


@dataclass(frozen=True)
class Code:
    kind: str
    code: str
    name: str

    @property
    def level(self) -> str:
        return LEVEL_LABELS.get(len(self.code), "")

    @property
    def parent(self) -> str:
        return self.code[:-2] if len(self.code) > 3 else ""


@cache
def _table() -> dict[str, dict[str, Code]]:
    table: dict[str, dict[str, Code]] = {FUNCTION: {}, ECONOMIC: {}, REVENUE: {}}
    with open(Path(__file__).with_name("data") / "classification.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            table[row["kind"]][row["code"]] = Code(row["kind"], row["code"], row["name"])
    return table


def get(kind: str, code: str) -> Code | None:
    return _table()[kind].get(code)


def is_valid(kind: str, code: str) -> bool:
    return code in _table()[kind]


def name(kind: str, code: str) -> str:
    c = get(kind, code)
    return c.name if c else code


def path(kind: str, code: str) -> str:
    """"社会保障和就业支出／最低生活保障／城市最低生活保障金支出" for 2081901."""
    parts = [code[:n] for n in (3, 5, 7) if len(code) >= n]
    return "／".join(name(kind, p) for p in parts)


def children(kind: str, code: str = "") -> list[Code]:
    """The codes one level below `code` ("" for the 类)."""
    n = len(code) + 2 if code else 3
    return [c for c in _table()[kind].values() if len(c.code) == n and c.code.startswith(code)]


def all_codes(kind: str) -> list[Code]:
    return list(_table()[kind].values())
