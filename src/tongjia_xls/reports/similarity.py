"""Near-duplicate passages between 述职报告: the ``similarity`` rule (防止走过场).

Finds sentences copied between every pair of this year's reports, and between each report
and the same org's report of last year. Plain data in and out; near-linear in the number
of passages (no all-pairs comparison):

1. **Passages**: a report is cut after each sentence end (。！？； and their ASCII forms)
   and at line breaks; each piece, with its end mark, is a :class:`Passage`.
2. **Key** (normalized passage): punctuation and whitespace dropped (before NFKC, which is
   ten times slower on full-width punctuation, and after it), the report's own org name
   and its stems (青杠湾村, 青杠湾) replaced by one placeholder, each run of digits by "0".
   A sentence copied with another village's name and new figures has the same key.
   ``min_chars`` counts the characters without punctuation, before the placeholders.
3. **Boilerplate** is not copying: keys on the stop-list ``_BOILERPLATE`` (part and aspect
   headings, 附件1's 根据会议安排，现就…述职如下, 以上述职，请…评议, …), and keys found in
   more than half of this year's reports, or in ``STOCK_CAP`` of them in a large batch:
   what many write word for word is the genre's stock phrasing, not one village copying
   another (and without the cap a county-wide batch would report k(k-1)/2 pairs for every
   such sentence). That rule needs at least three such reports, or with two or three
   reports in all any copied pair would count as "more than half".
4. **Shingles**: character 3-grams. A Chinese character is about a word, so a 3-gram is a
   word and its neighbour. 2-grams are single common words (党员, 群众, 工作) that unrelated
   sentences share; longer ones punish edits: a two-character swap in a 43-character
   sentence scores 0.86 with 3-grams, 0.77 with 5-grams (under ~40 characters it drops
   just under 0.8 for any n). Three 21-bit code points pack exactly into 63 bits.
5. **MinHash + LSH**: 96 hash functions ``(a*x + b) mod 2**32`` (a odd) over a SplitMix64
   mix of the packed 3-gram, from a fixed numpy seed (never Python's randomized
   ``hash()``). Bands of ``r`` rows: ``r`` is the largest of 6, 3, 1 for which a pair at
   exactly ``threshold`` shares a band with probability ≥ 0.99. At the default 0.8 that is
   16 bands of 6 rows: 99.2 % at 0.8, 99.99 % at 0.85, 1.2 % at 0.3. The heights divide
   each other, so a lower threshold's bands contain a higher one's: raising the threshold
   never adds a match. Pairs whose signatures agree on fewer than ``threshold - 0.2`` of
   the rows (4.9 standard deviations at 0.8) are dropped before the exact check.
6. **Confirmation**: exact Jaccard of the 3-gram sets, kept when ``score >= threshold``;
   equal keys score 1.0. Each passage pair is reported once: ``org < other_org`` for two
   orgs, this year's passage first against last year's. The output is as large as the
   number of matching pairs, so a sentence shared by k reports (k ≤ half) gives k(k-1)/2.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, product

import numpy as np

__all__ = ["Match", "Passage", "find_similar", "split_passages", "summarize"]

SHINGLE = 3
NUM_HASHES = 96
ROW_LADDER = (6, 3, 1)  # each divides the one before: bands nest
CANDIDATE_RECALL = 0.99
ESTIMATE_MARGIN = 0.2  # 4.9 standard deviations of a 96-hash estimate at Jaccard 0.8
MIN_COMMON = 3
#: A passage word for word in this many reports is stock phrasing, whatever the batch size.
STOCK_CAP = 20
SEED = 0x7A6F6E67  # any fixed value: signatures must be the same on every run
NUMBER_MARK = "0"  # digits are collapsed to one "0", so "0" is unambiguous
ORG_MARK = "\ue000"  # private use: never in a real report
_CHUNK = 1 << 14  # characters (or pairs) per numpy block: 6 MB of hashes, measured best

_ENDS = "。！？；!?;"
_SENTENCE = re.compile(rf"[^{_ENDS}\r\n\u2028\u2029]+(?:[{_ENDS}]+[”’」』）)\"']*)?")
_NON_WORD = re.compile(r"[^\w\n]+|_")  # keeps "\n", the separator of a report's passages
_DIGITS = re.compile(r"\d+")
_Occurrence = tuple[str, bool, int, str]  # org, of last year?, passage index, text
_ORG_SUFFIXES = ("党总支部", "党总支", "党支部", "党委", "居委会", "村委会", "社区", "村")

# Stop-list of normalized passages (punctuation gone, "（一）" became "一", digits "0").
_ORDINAL = r"(?:[一二三四五六七八九十]+|0)?"
_BOILERPLATE = re.compile(
    _ORDINAL + r"(?:主要(?:工作)?做法[和及与]?(?:主要)?成效|存在的?(?:主要)?问题[及和与]?"
    r"(?:原因分析|原因)?|下一?步(?:工作)?(?:打算|计划|思路|举措))"
    rf"|{_ORDINAL}(?:加强政治建设|服务保障中心大局|推进基层党建工作重点任务落实"
    r"|落实(?:主体)?责任)(?:方面|情况)*"
    r"|.{0,30}抓基层党建工作(?:情况)?述职报告"
    r"|(?:根据|按照|遵照).{0,40}(?:安排|部署|要求).{0,12}(?:现就|现将|下面|现把|就).{0,120}"
    r"(?:述职|报告|汇报)如下"
    r"|以上述职.{0,10}请.{0,20}评议.{0,20}"
    r"|(?:以上)?(?:述职)?(?:如有)?(?:不[当妥足]之处|不足之处).{0,12}请.{0,30}批评指正.{0,20}"
    r"|述职完毕.{0,30}|.{0,40}谢谢大家"
    # stock sentences of Party documents: everyone writes them, nobody copied them
    r"|(?:我们|我村|我)?(?:始终)?坚持以习近平新时代中国特色社会主义思想为指导.{0,80}"
    r"|(?:全面|深入)(?:学习)?贯彻(?:落实)?党的二十大(?:和二十届.中全会)?精神.{0,60}"
    r"|.{0,20}全面从严治党永远在路上.{0,60}|.{0,20}打铁(?:还|必)须自身硬.{0,40}"
    # 附件1's instructions, left in by secretaries who fill the template in place
    r"|主要包括.*|以及上年度述职评议考核整改落实情况.*"
)


@dataclass(frozen=True)
class Passage:
    """A sentence-level span of one report; ``index`` counts the report's passages from 0."""

    org: str
    index: int
    text: str


@dataclass(frozen=True)
class Match:
    """Two near-duplicate passages. ``last_year``: other is the same org's previous report.

    ``score`` is the Jaccard similarity of the normalized passages' 3-gram sets. ``index``
    and ``other_index`` locate the passages (see :func:`split_passages`).
    """

    org: str
    other_org: str
    last_year: bool
    text: str
    other_text: str
    score: float
    index: int = -1
    other_index: int = -1


def split_passages(org: str, text: str) -> list[Passage]:
    """Cut a report after each sentence end and at line breaks, blank pieces left out."""
    return [Passage(org, index, piece) for index, piece in enumerate(_pieces(text))]


def _pieces(text: str) -> list[str]:
    return [piece for piece in map(str.strip, _SENTENCE.findall(text)) if piece]


def find_similar(
    reports: Mapping[str, str],
    last_year: Mapping[str, str] | None = None,
    *,
    threshold: float = 0.8,
    min_chars: int = 30,
) -> list[Match]:
    """Return near-duplicate passage pairs, sorted by org, then score (highest first).

    ``reports`` and ``last_year`` map an org name to the text of its report.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if min_chars < 0:
        raise ValueError(f"min_chars must not be negative, got {min_chars}")
    occurrences: list[_Occurrence] = []  # (org, last year?, index, text)
    groups: dict[str, list[int]] = {}  # key -> its occurrences
    for past, texts in ((False, reports), (True, last_year or {})):
        for org, text in texts.items():
            for index, raw, key in _keyed(org, text, min_chars):
                groups.setdefault(key, []).append(len(occurrences))
                occurrences.append((org, past, index, raw))
    for key in _common_keys(groups, occurrences, len(reports)):
        del groups[key]
    keys = list(groups)
    members = list(groups.values())

    scored = [(k, k, 1.0) for k in range(len(keys)) if len(members[k]) > 1]
    shingles: dict[int, set[str]] = {}
    floor = threshold - ESTIMATE_MARGIN
    for a, b in _candidates(_signatures(keys), _rows_for(threshold), floor):
        score = _jaccard(a, b, keys, shingles)
        if score >= threshold:
            scored.append((a, b, score))

    matches = [
        match
        for a, b, score in scored
        for match in _pair_up(occurrences, members[a], members[b], score, same=a == b)
    ]
    matches.sort(key=_order)
    return matches


def summarize(matches: Sequence[Match]) -> dict[str, list[Match]]:
    """Group matches per org, each seen from that org: its own passage is ``text``.

    A match between two orgs appears under both (flipped for ``other_org``), so the
    feedback for one report lists every passage it shares.
    """
    by_org: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        by_org[match.org].append(match)
        if match.other_org != match.org:
            by_org[match.other_org].append(_flip(match))
    return {org: sorted(found, key=_order) for org, found in sorted(by_org.items())}


def _flip(m: Match) -> Match:
    # Every field given: dataclasses.replace reads them all by name first, five times slower,
    # and a summary flips every match between two reports (45 000 for 400 demo reports).
    return Match(m.other_org, m.org, m.last_year, m.other_text, m.text, m.score,
                 m.other_index, m.index)


def _order(m: Match) -> tuple[str, float, str, bool, int, int]:
    return (m.org, -m.score, m.other_org, m.last_year, m.index, m.other_index)


def _org_variants(org: str) -> list[str]:
    """The org's name and its stems (青杠湾村 → 青杠湾), longest first, at least 2 chars."""
    name = _NON_WORD.sub("", unicodedata.normalize("NFKC", org))
    variants = []
    while len(name) >= 2:
        variants.append(name)
        stem = next((name[: -len(s)] for s in _ORG_SUFFIXES if name.endswith(s)), name)
        if stem == name:
            break
        name = stem
    return variants


def _keyed(org: str, text: str, min_chars: int) -> Iterator[tuple[int, str, str]]:
    """Yield (index, text as written, key) of the passages that take part in matching."""
    raws = _pieces(text)
    if not raws:
        return
    # A whole report at a time through the C-level string functions, not passage by
    # passage: "\n" cannot occur inside a passage, so it safely separates them.
    stripped = _NON_WORD.sub("", "\n".join(raws))
    normal = unicodedata.normalize("NFKC", stripped)
    if normal != stripped:  # e.g. full-width letters, or ㈠ giving "(一)"
        stripped = _NON_WORD.sub("", normal)
    marked = stripped
    for variant in _org_variants(org):
        marked = marked.replace(variant, ORG_MARK)
    keys = _DIGITS.sub(NUMBER_MARK, marked).split("\n")
    lengths = map(len, stripped.split("\n"))
    for index, (raw, key, length) in enumerate(zip(raws, keys, lengths, strict=True)):
        if length >= min_chars and len(key) >= SHINGLE and not _BOILERPLATE.fullmatch(key):
            yield index, raw, key


def _common_keys(groups: Mapping[str, list[int]], occurrences: Sequence[_Occurrence],
                 reports: int) -> list[str]:
    """Keys in more than half of this year's reports, or in STOCK_CAP (at least MIN_COMMON)."""
    need = max(MIN_COMMON, min(reports // 2 + 1, STOCK_CAP))
    return [key for key, found in groups.items() if len(found) >= need
            and len({occurrences[n][0] for n in found if not occurrences[n][1]}) >= need]


def _rows_for(threshold: float) -> int:
    """The most selective band height that still catches a pair at ``threshold``."""
    for rows in ROW_LADDER:
        if 1.0 - (1.0 - threshold**rows) ** (NUM_HASHES // rows) >= CANDIDATE_RECALL:
            return rows
    return ROW_LADDER[-1]


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: spreads the packed code points over all 64 bits."""
    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = z ^ (z >> np.uint64(31))
    return mixed


def _signatures(keys: Sequence[str]) -> np.ndarray:
    """MinHash signatures, one row of NUM_HASHES uint32 per key (each ≥ SHINGLE chars).

    Blocks of about _CHUNK characters keep the temporaries in cache and the time linear.
    A block is hashed hash-major (``minimum.reduceat`` along contiguous memory is five
    times faster) and stored key-major (comparing candidates reads contiguous rows).
    """
    signatures = np.empty((len(keys), NUM_HASHES), dtype=np.uint32)
    if not keys:
        return signatures
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    rng = np.random.Generator(np.random.PCG64(SEED))
    scale = rng.integers(1, 2**32, NUM_HASHES, dtype=np.uint32) | np.uint32(1)  # odd: 1:1
    shift = rng.integers(0, 2**32, NUM_HASHES, dtype=np.uint32)[:, None]
    buffer = np.empty((NUM_HASHES, _CHUNK + int(lengths.max())), dtype=np.uint32)
    first = 0
    while first < len(keys):
        last = int(np.searchsorted(offsets, offsets[first] + _CHUNK, "right")) - 1
        last = min(max(last, first + 1), len(keys))
        text = "".join(keys[first:last])
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        packed = (points[:-2] << np.uint64(42)) | (points[1:-1] << np.uint64(21)) | points[2:]
        ends = offsets[first + 1 : last] - offsets[first]  # inner key ends in this block
        keep = np.ones(packed.size, dtype=bool)
        keep[np.concatenate((ends - 2, ends - 1))] = False  # 3-grams across two keys
        hashed = (_mix64(packed[keep]) >> np.uint64(32)).astype(np.uint32)
        block = buffer[:, : hashed.size]
        np.multiply.outer(scale, hashed, out=block)
        block += shift
        starts = offsets[first:last] - offsets[first] - np.arange(last - first) * (SHINGLE - 1)
        signatures[first:last] = np.minimum.reduceat(block, starts, axis=1).T
        first = last
    return signatures


def _same_bucket(bucket: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (a < b) of positions holding equal values, without a Python loop per pair."""
    order = np.argsort(bucket, kind="stable")
    ranked = bucket[order]
    same = ranked[1:] == ranked[:-1]
    inside = np.zeros(ranked.size, dtype=bool)
    inside[1:] |= same
    inside[:-1] |= same
    order, ranked = order[inside], ranked[inside]  # buckets of one never make a pair
    same = ranked[1:] == ranked[:-1]
    firsts, seconds = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    mask, step = same, 1
    while mask.any():  # mask[i]: ranked[i] == ranked[i + step], so runs give all their pairs
        at = np.flatnonzero(mask)
        firsts.append(order[at])
        seconds.append(order[at + step])
        mask = mask[:-1] & same[step:]
        step += 1
    one, two = np.concatenate(firsts), np.concatenate(seconds)
    return np.minimum(one, two), np.maximum(one, two)


def _candidates(signatures: np.ndarray, rows: int, floor: float) -> list[tuple[int, int]]:
    """Pairs of keys (a < b) agreeing on all rows of a band, and on ≥ ``floor`` of all rows.

    A band is folded into one 64-bit bucket value. Two different bands colliding there has
    a chance of about 1e-7 per run at 10 000 reports and only adds a candidate for the
    exact check, so bands are not compared row by row.
    """
    size = max(len(signatures), 1)
    codes = [np.empty(0, np.int64)]
    for start in range(0, NUM_HASHES, rows):
        bucket = signatures[:, start].astype(np.uint64)
        for column in range(start + 1, start + rows):
            bucket = _mix64(bucket) ^ signatures[:, column]
        one, two = _same_bucket(bucket)
        codes.append(one * size + two)
    merged = np.sort(np.concatenate(codes))  # np.unique's hash path is 10x slower here
    first = np.ones(merged.size, dtype=bool)
    first[1:] = merged[1:] != merged[:-1]
    merged = merged[first]
    one, two = merged // size, merged % size
    # The MinHash estimate of their Jaccard weeds out most pairs before the exact one.
    keep = np.empty(merged.size, dtype=bool)
    for lo in range(0, merged.size, _CHUNK):
        hi = lo + _CHUNK
        agree = np.count_nonzero(signatures[one[lo:hi]] == signatures[two[lo:hi]], axis=1)
        keep[lo:hi] = agree >= floor * NUM_HASHES
    return list(zip(one[keep].tolist(), two[keep].tolist(), strict=True))


def _jaccard(a: int, b: int, keys: Sequence[str], cache: dict[int, set[str]]) -> float:
    one, two = cache.get(a), cache.get(b)
    if one is None:
        key = keys[a]
        one = cache[a] = {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}
    if two is None:
        key = keys[b]
        two = cache[b] = {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}
    common = len(one & two)
    return common / (len(one) + len(two) - common)


def _pair_up(occurrences: Sequence[_Occurrence], left: Sequence[int], right: Sequence[int],
             score: float, *, same: bool) -> Iterator[Match]:
    """Matches between the occurrences of two keys (or within one key when ``same``)."""
    for x, y in combinations(left, 2) if same else product(left, right):
        (org, past, index, text), (org2, past2, index2, text2) = occurrences[x], occurrences[y]
        if past and past2:
            continue  # two passages of last year: not this year's copying
        if past or past2:
            if org == org2:  # last year counts only against the same org's report
                if past:
                    index, text, index2, text2 = index2, text2, index, text
                yield Match(org, org, True, text, text2, score, index, index2)
        elif org != org2:
            if org2 < org:
                org, text, index, org2, text2, index2 = org2, text2, index2, org, text, index
            yield Match(org, org2, False, text, text2, score, index, index2)
