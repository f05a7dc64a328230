"""Ballot codes and postcode districts: pure functions, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.fund import secrecy


def test_ballot_codes_are_long_random_and_readable():
    codes = {secrecy.new_ballot_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == secrecy.CODE_LENGTH
        assert set(code) <= set(secrecy.CODE_ALPHABET)
        assert not set(code) & set("01ILOU")


@given(st.text(alphabet=secrecy.CODE_ALPHABET, min_size=secrecy.CODE_LENGTH, max_size=secrecy.CODE_LENGTH))
def test_a_code_typed_in_groups_or_lower_case_is_the_same_code(code):
    typed = secrecy.grouped(code).lower().replace("-", " - ")
    assert secrecy.normalise_code(typed) == code
    assert secrecy.looks_like_code(typed)
    assert secrecy.code_hash(7, typed) == secrecy.code_hash(7, code)


def test_the_hash_is_tied_to_the_round_and_hides_the_code():
    code = secrecy.new_ballot_code()
    assert secrecy.code_hash(1, code) != secrecy.code_hash(2, code)
    assert code not in secrecy.code_hash(1, code)
    assert len(secrecy.code_hash(1, code)) == 64


@pytest.mark.parametrize("text", ["", "ABC", "A" * 21, "ABCD-EFGH-JKMN-PQRS-TVW1"])
def test_it_knows_a_code_that_cannot_be_right(text):
    assert not secrecy.looks_like_code(text)


@pytest.mark.parametrize(
    ("text", "district"),
    [("cm1 1aa", "CM1"), ("CM11AA", "CM1"), (" ss14 ", "SS14"), ("co15 1ab", "CO15"), ("E1", "E1")],
)
def test_only_the_postcode_district_is_kept(text, district):
    assert secrecy.district_of(text) == district


@pytest.mark.parametrize("text", ["", "Chelmsford", "12345", "CM1 1A"])
def test_it_refuses_text_that_is_not_a_postcode(text):
    with pytest.raises(secrecy.NotADistrict):
        secrecy.district_of(text)


def test_areas_are_read_one_a_line():
    text = "Chelmsford: CM1, cm2 1AA\n\nHarlow:CM17,CM18"
    assert secrecy.parse_areas(text) == [("Chelmsford", ["CM1", "CM2"]), ("Harlow", ["CM17", "CM18"])]
    assert secrecy.parse_areas(secrecy.format_areas(secrecy.parse_areas(text))) == secrecy.parse_areas(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Chelmsford CM1", "Line 1: write the area's name, a colon"),
        ("Chelmsford: CM1\nHarlow: CM1", "Line 2: CM1 is already in Chelmsford"),
        ("Chelmsford: CM1\nchelmsford: CM2", "Line 2: chelmsford is listed twice"),
        ("Chelmsford: nowhere", "Line 1: nowhere is not a postcode district"),
        ("Chelmsford:", "Line 1: give at least one postcode district"),
        ("", "Give at least one area"),
    ],
)
def test_areas_that_cannot_be_read_are_explained_by_line(text, message):
    with pytest.raises(ValueError, match=message):
        secrecy.parse_areas(text)
