"""MS-OVBA compression: the specification's examples, and round trips through olevba."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongjia_xls.book import vba_project
from tongjia_xls.book.ovba_compression import CHUNK, compress

#: MS-OVBA 3.2.2's input. Its printed output differs in three copy tokens from what its own
#: pseudocode gives (the nearest of equally long matches); both decompress to the input.
SPEC_INPUT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_OUTPUT = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30"
    " 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)


def _decompress(data: bytes) -> bytes:
    """Decompress with olevba, an implementation independent of ours."""
    return bytes(vba_project._import("oletools.olevba").decompress_stream(bytearray(data)))


def _upstream(data: bytes) -> bytes:
    """ms-ovba-compression's output, its copy length corrected: the pseudocode, slowly."""
    from tongjia_xls.book.ovba_compression import _bit_count

    upstream = vba_project._import("ms_ovba_compression.ms_ovba").MsOvba
    original = upstream.__dict__["copytoken_help"]

    def fixed(difference: int) -> dict[str, int]:
        bits = _bit_count(difference)
        mask = 0xFFFF >> bits
        return {"lengthMask": mask, "offsetMask": ~mask & 0xFFFF, "bitCount": bits,
                "maxLength": mask + 3}

    upstream.copytoken_help = staticmethod(fixed)
    try:
        return upstream().compress(data)
    finally:
        upstream.copytoken_help = original


@pytest.mark.parametrize(("data", "expected"), [
    # MS-OVBA 3.2.1, no compression possible: literals only.
    (b"abcdefghijklmnopqrstuv.", "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F"
                                 " 70 00 71 72 73 74 75 76 2E"),
    # One literal, then one copy of offset 1 that runs into itself.
    (b"a" * 15, "01 03 B0 02 61 0B 00"),
    (b"", "01"),
])
def test_known_containers(data: bytes, expected: str) -> None:
    assert compress(data) == bytes.fromhex(expected)


def test_the_specifications_example_decompresses_the_same() -> None:
    assert _decompress(SPEC_OUTPUT) == SPEC_INPUT
    assert _decompress(compress(SPEC_INPUT)) == SPEC_INPUT
    assert len(compress(SPEC_INPUT)) == len(SPEC_OUTPUT)


def test_the_longest_copy_at_the_end_of_a_chunk_is_cut_to_what_a_token_holds() -> None:
    # Past byte 2048 a token has 12 offset bits and 4 length bits: 18 bytes at most.
    data = bytes(range(256)) * 9 + b"x" * 2000 + b"y" * 3000
    assert _decompress(compress(data)) == data


_TEXT = st.text(alphabet="ab \r\nSub()End", max_size=3 * CHUNK).map(str.encode)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_repetitive_text_comes_back_exactly(data: bytes) -> None:
    assert _decompress(compress(data)) == data


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2 * CHUNK + 100))
def test_any_bytes_come_back_with_at_most_a_raw_chunks_padding(data: bytes) -> None:
    back = _decompress(compress(data))
    # An incompressible chunk is stored raw, padded to 4096 bytes, as the format requires.
    assert back[: len(data)] == data
    assert set(back[len(data):]) <= {0}


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet="abc\r\n ", max_size=1500).map(str.encode))
def test_the_same_choices_as_the_specifications_pseudocode(data: bytes) -> None:
    assert compress(data) == _upstream(data)
