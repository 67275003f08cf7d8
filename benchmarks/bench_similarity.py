"""How fast ``find_similar`` is, and whether it finds planted copies, at 21 to 10 000 reports.

Run: ``python benchmarks/bench_similarity.py`` (in the project's venv). Prints a Markdown
table; not a pass/fail test. Each org gets this year's and last year's report, ~1 650 字
(Word's count) each, written from a phrase bank with seeded random mixing. The demo's
``compose`` is not used: its 21 reports share most sentences by construction (one small
phrase bank, and the same seed every year), which would make every report "copied".

Copies are planted on purpose: 30 % of reports copy one or two sentences from another
org's report, 30 % reuse sentences of their own last-year report. A copy is verbatim,
has new figures and the copier's own org name, or in addition one two-character word
changed. A planted copy is recovered when a match links exactly those two passages.
"""

from __future__ import annotations

import platform
import random
import sys
import time
from dataclasses import dataclass

from tongjia_xls.reports.similarity import find_similar, split_passages

SIZES = (21, 1_000, 10_000)
THRESHOLD = 0.8
COPY_RATE = 0.3
SENTENCES_PER_PART = (22, 6, 5)  # part 一 ≈ 2/3 of the text, as 四、5 asks

LEADS = (
    "{org}党支部坚持", "一年来，我们始终坚持", "本人牵头", "围绕年初确定的目标，我们", "我带头",
    "村“两委”班子", "全体党员干部", "我们注重", "结合{org}实际，我们", "在镇党委指导下，我们",
    "今年以来，本人", "我和班子成员", "支部委员会", "我们主动", "按照上级部署，本支部",
    "针对群众反映的问题，我们", "我坚持每月", "我们以党建为引领",
)
VERBS = (
    "扎实推进", "深入开展", "全面落实", "持续深化", "认真组织", "大力实施", "统筹抓好", "着力加强",
    "创新推行", "规范开展", "稳步推动", "切实抓好", "系统谋划", "精心组织",
)
OBJECTS = (
    "党员积分制管理", "“三会一课”制度", "主题党日活动", "党员先锋岗创建", "软弱涣散整顿",
    "集体经济发展", "人居环境整治", "矛盾纠纷排查化解", "网格化服务管理", "产业结构调整",
    "农村宅基地改革", "防汛减灾工作", "森林防火巡查", "道路交通安全整治", "养老服务提升",
    "留守儿童关爱", "移风易俗宣传", "志愿服务活动", "党员教育培训", "后备干部培养",
    "村务公开监督", "清廉村居建设", "乡村治理积分", "高标准农田建设", "耕地保护督查",
    "食品安全检查", "消防安全隐患排查", "就业技能培训", "医保参保动员", "特色产业培育",
)
MEASURES = (
    "全年开展集中学习{n}次", "组织党员志愿服务{n}场", "走访困难群众{n}户", "召开院坝会{n}场",
    "排查安全隐患{n}处", "调处矛盾纠纷{n}起", "新修产业道路{n}公里", "发展特色种植{n}亩",
    "培训党员{n}人次", "收集群众意见{n}条", "落实帮扶项目{n}个", "建成便民服务点{n}个",
    "吸纳本地务工{n}人", "开展专题党课{n}次", "整治房前屋后{n}处", "发放宣传资料{n}份",
    "慰问老党员{n}名", "帮助销售农产品{n}万元", "新发展党员{n}名", "培养入党积极分子{n}名",
    "组织应急演练{n}次", "更换老旧消防器材{n}套", "完成农房整治{n}户", "安装路灯{n}盏",
    "清理沟渠{n}公里", "办理民生实事{n}件", "开展法治讲座{n}场", "建立微网格{n}个",
    "签订安全责任书{n}份", "引进经营主体{n}家", "流转土地{n}亩", "回引青年人才{n}名",
)
SUBJECTS = (
    "党员队伍", "群众", "村集体经济", "基层治理", "村容村貌", "党组织", "干部作风", "产业发展",
    "公共服务", "安全形势", "邻里关系", "班子凝聚力", "服务效能", "乡风文明", "党员形象",
)
PREDICATES = (
    "明显增强", "持续向好", "稳步提升", "得到改善", "焕然一新", "更加规范", "总体平稳",
    "显著提高", "不断巩固", "日益和谐", "逐步完善", "明显好转",
)
# Two-character word swaps a copier makes so the sentence "looks different".
SWAPS = (("扎实", "切实"), ("深入", "广泛"), ("全年", "今年"), ("持续", "不断"), ("明显", "显著"))
NAME_CHARS = (
    "青松白金石桂柏梨双龙新红马凤柳大杏观水童南黄",
    "杠林鹭竹堰花树园河井桥岩鞍凰田心华土家坪山溪",
    "湾坪溪岭坝垭沟口坡铺嘴台塘庙岩街路寨场坎桥冲",
)
FRAME_TOP = (
    "{year}年度抓基层党建工作述职报告",
    "根据会议安排，现就{year}年度抓基层党建工作情况述职如下：",
)
PART_HEADINGS = ("一、主要做法和成效", "二、存在问题及原因分析", "三、下步工作打算")
FRAME_END = ("以上述职，请各位领导和同志们评议。", "不当之处，请批评指正。")

Spec = tuple[int, int, int, int, int, int, int, tuple[int, int]]  # phrase choices, figures


@dataclass
class Planted:
    org: str
    source: str
    last_year: bool
    text: str  # the copy, as written in ``org``'s report of this year
    original: str  # the copied passage, as written in ``source``'s report


def _spec(rng: random.Random) -> Spec:
    return (
        rng.randrange(len(LEADS)), rng.randrange(len(VERBS)), rng.randrange(len(OBJECTS)),
        rng.randrange(len(MEASURES)), rng.randrange(len(MEASURES)),
        rng.randrange(len(SUBJECTS)), rng.randrange(len(PREDICATES)),
        (rng.randint(2, 300), rng.randint(2, 300)),
    )


def _render(spec: Spec, org: str) -> str:
    lead, verb, obj, one, two, subject, predicate, (n1, n2) = spec
    return (
        f"{LEADS[lead].format(org=org)}{VERBS[verb]}{OBJECTS[obj]}，"
        f"{MEASURES[one].format(n=n1)}，{MEASURES[two].format(n=n2)}，"
        f"{SUBJECTS[subject]}{PREDICATES[predicate]}。"
    )


def _text(org: str, year: int, bodies: list[list[str]]) -> str:
    lines = [line.format(year=year) for line in FRAME_TOP]
    for heading, sentences in zip(PART_HEADINGS, bodies, strict=True):
        lines.append(heading)
        lines.extend("".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
    lines.extend(FRAME_END)
    return "\n".join(lines)


def _copy(spec: Spec, org: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return _render(spec, org)
    lead, verb, obj, one, two, subject, predicate, _ = spec
    figures = (rng.randint(2, 300), rng.randint(2, 300))
    text = _render((lead, verb, obj, one, two, subject, predicate, figures), org)
    if kind == 2:
        old, new = next(((a, b) for a, b in SWAPS if a in text), ("", ""))
        text = text.replace(old, new, 1) if old else text
    return text


def _name(number: int) -> str:
    """A distinct village name for each number below 22**3, e.g. 青杠湾村."""
    first, rest = divmod(number, len(NAME_CHARS[1]) * len(NAME_CHARS[2]))
    second, third = divmod(rest, len(NAME_CHARS[2]))
    return f"{NAME_CHARS[0][first]}{NAME_CHARS[1][second]}{NAME_CHARS[2][third]}村"


def generate(count: int, seed: int = 2024) -> tuple[dict[str, str], dict[str, str], list[Planted]]:
    """``count`` orgs' reports of this year and last year, and the copies planted in them."""
    rng = random.Random(seed)
    orgs = [_name(i) for i in range(count)]
    specs = {org: [[_spec(rng) for _ in range(n)] for n in SENTENCES_PER_PART] for org in orgs}
    past = {org: [[_spec(rng) for _ in range(n)] for n in SENTENCES_PER_PART] for org in orgs}
    bodies = {org: [[_render(s, org) for s in part] for part in specs[org]] for org in orgs}
    planted: list[Planted] = []
    for org in orgs:
        for source, last_year in ((rng.choice(orgs), False), (org, True)):
            if rng.random() >= COPY_RATE or (source == org and not last_year):
                continue
            pool = (past if last_year else specs)[source][0]
            for spec in rng.sample(pool, rng.randint(1, 2)):
                text = _copy(spec, org, rng)
                part = bodies[org][0]
                part[rng.randrange(len(part))] = text
                planted.append(Planted(org, source, last_year, text, _render(spec, source)))
    # A later copy may overwrite a copy or its source: count only pairs still in the text.
    written = {org: {s for part in bodies[org] for s in part} for org in orgs}
    planted = [
        p
        for p in planted
        if p.text in written[p.org] and (p.last_year or p.original in written[p.source])
    ]
    this_year = {org: _text(org, 2024, bodies[org]) for org in orgs}
    last = {
        org: _text(org, 2023, [[_render(s, org) for s in part] for part in past[org]])
        for org in orgs
    }
    return this_year, last, planted


def _alone(planted: Planted, threshold: float) -> list[object]:
    """Match the planted copy with its original, the two passages on their own."""
    if planted.last_year:
        return find_similar({planted.org: planted.text}, {planted.org: planted.original},
                            threshold=threshold)
    pair = {planted.org: planted.text, planted.source: planted.original}
    return find_similar(pair, threshold=threshold)


def run(count: int) -> dict[str, float]:
    reports, last_year, planted = generate(count)
    passages = sum(len(split_passages(o, t)) for m in (reports, last_year) for o, t in m.items())
    start = time.perf_counter()
    matches = find_similar(reports, last_year, threshold=THRESHOLD)
    seconds = time.perf_counter() - start
    linked = set()
    for m in matches:
        linked.add((m.org, m.text, m.other_org, m.last_year))
        linked.add((m.other_org, m.other_text, m.org, m.last_year))
    missed = [p for p in planted if (p.org, p.text, p.source, p.last_year) not in linked]
    # A miss is the threshold's doing when the pair alone scores under it; otherwise LSH's.
    lsh_missed = sum(bool(_alone(p, THRESHOLD)) for p in missed)
    return {
        "reports": count,
        "passages": passages,
        "seconds": seconds,
        "per_report_ms": 1000 * seconds / count,
        "matches": len(matches),
        "planted": len(planted),
        "recall": 1 - len(missed) / len(planted) if planted else 1.0,
        "lsh_missed": lsh_missed,
    }


def main() -> None:
    print(
        f"Python {platform.python_version()} on {platform.machine()}, one core; every org has "
        "this year's and last year's report; one timed run of find_similar per size.\n"
    )
    print(
        "| reports | passages | seconds | ms per report | matches | planted copies "
        "| recovered | missed although ≥ threshold |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in SIZES:
        row = run(count)
        print(
            f"| {row['reports']:,} | {row['passages']:,} | {row['seconds']:.2f} "
            f"| {row['per_report_ms']:.2f} | {row['matches']:,} | {row['planted']:,} "
            f"| {row['recall']:.1%} | {row['lsh_missed']:,} |"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
