"""NHS numbers: the modulus-11 check, as a pure function."""

from hypothesis import given
from hypothesis import strategies as st

from rosc.record.nhs import is_valid_nhs_number, nhs_check_digit, normalise_nhs_number


def test_it_accepts_a_known_valid_number_however_it_is_written():
    assert is_valid_nhs_number("9434765919")
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("943-476-5919")


def test_it_refuses_a_wrong_check_digit_the_wrong_length_and_letters():
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    assert not is_valid_nhs_number("94347659190")
    assert not is_valid_nhs_number("94347659l9")
    assert not is_valid_nhs_number("")


def test_it_works_the_check_digit_out_by_modulus_eleven():
    assert nhs_check_digit("100000000") == 1  # 1 x 10 = 10, 11 - 10 = 1
    assert nhs_check_digit("000000050") == 7  # 5 x 3 = 15, remainder 4, 11 - 4 = 7
    assert nhs_check_digit("000000000") == 0  # remainder 0 gives 11, which counts as 0
    assert nhs_check_digit("000000006") is None  # 6 x 2 = 12, remainder 1 gives 10: no valid number


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_number_built_from_its_check_digit_is_valid_and_any_other_last_digit_is_not(nine):
    check = nhs_check_digit(nine)
    if check is None:
        assert not any(is_valid_nhs_number(nine + str(d)) for d in range(10))
        return
    assert is_valid_nhs_number(nine + str(check))
    assert not any(is_valid_nhs_number(nine + str(d)) for d in range(10) if d != check)


@given(st.text(max_size=20))
def test_normalising_never_leaves_spaces_or_dashes(text):
    assert " " not in normalise_nhs_number(text)
    assert "-" not in normalise_nhs_number(text)
