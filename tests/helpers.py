"""Helpers shared by the tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

ORG_NAMES = ("青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "南华路社区")
SECRETARIES = ("李德明", "张玉华", "王建国", "赵春梅", "谢文斌")


def write_roster_csv(
    path: Path, encoding: str = "utf-8-sig", names: tuple[str, ...] = ORG_NAMES
) -> Path:
    """Write a roster CSV of ``names`` with their secretaries and types."""
    lines = ["党组织名称,书记姓名,类型"]
    for name, secretary in zip(names, SECRETARIES, strict=False):
        lines.append(f"{name},{secretary},{'社区' if name.endswith('社区') else '村'}")
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path
