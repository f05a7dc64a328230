"""Reading and writing Pabulib .pb files."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.fund.allocation import Election, PabulibError, Project, read_pb, write_pb

GOOD = """META
key;value
description;"Parks ""for all""; a test"
country;United Kingdom
unit;Essex
instance;2026
num_projects;3
num_votes;4
budget;1000
vote_type;approval
rule;equalshares/add1
date_begin;01.05.2026
date_end;2026
min_length;1
currency;GBP
PROJECTS
project_id;cost;votes;name;selected;category
1;600;3;"The ""Big"" Garden";1;environment,health
2;300;2;Café; a place;0;
10;150.0;1;"Two
lines";1;culture
VOTES
voter_id;vote;age;sex
a;1,2;34;F
b;1;;
c;1,10;40-59;O
d;2;71;M
"""


def refused(text: str) -> PabulibError:
    with pytest.raises(PabulibError) as caught:
        read_pb(text)
    return caught.value


def test_it_reads_meta_projects_and_votes_with_quoted_fields():
    text = GOOD.replace("2;300;2;Café; a place;0;", '2;300;2;"Café; a place";0;')

    file = read_pb(text)

    assert file.meta["description"] == 'Parks "for all"; a test'
    assert file.meta["rule"] == "equalshares/add1"
    election = file.election
    assert election.budget == 1000
    assert election.vote_type == "approval"
    assert election.currency == "GBP"
    assert election.projects == (
        Project("1", 600, 'The "Big" Garden'),
        Project("2", 300, "Café; a place"),
        Project("10", 150, "Two\nlines"),
    )
    assert election.ballots == ({"1": 1, "2": 1}, {"1": 1}, {"1": 1, "10": 1}, {"2": 1})
    assert file.official_selected == ("1", "10")
    assert file.project_fields["1"]["category"] == "environment,health"


def test_it_reads_windows_line_endings_a_byte_order_mark_bytes_and_paths(tmp_path):
    text = GOOD.replace("2;300;2;Café; a place;0;", '2;300;2;"Café; a place";0;')
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode()
    path = tmp_path / "round.pb"
    path.write_bytes(data)

    assert read_pb(data).election == read_pb(text).election
    assert read_pb(path).election == read_pb(text).election
    assert read_pb(str(path)).election == read_pb(text).election


def test_it_reads_cumulative_ballots_as_points():
    text = """META
key;value
budget;100
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost;votes;score
a;60;2;6
b;50;1;1
VOTES
voter_id;vote;points
1;a,b;4,1
2;a;2
"""
    file = read_pb(text)

    assert file.election.vote_type == "cumulative"
    assert file.election.ballots == ({"a": 4, "b": 1}, {"a": 2})
    assert file.official_selected is None


def test_it_treats_choose_one_as_approval():
    text = "META\nkey;value\nbudget;10\nvote_type;choose-1\nPROJECTS\nproject_id;cost\nx;5\nVOTES\nvoter_id;vote\n1;x\n"

    assert read_pb(text).election.vote_type == "approval"


def test_the_line_number_counts_lines_inside_quoted_fields():
    # The quoted name of project 10 spans lines 20 and 21, so voter b's line is 25.
    text = GOOD.replace("2;300;2;Café; a place;0;", '2;300;2;"Café; a place";0;').replace("b;1;;", "b;7;;")

    error = refused(text)

    assert (error.line, error.reason) == (25, "voter b voted for project '7', which is not in PROJECTS")


BASE = GOOD.replace("2;300;2;Café; a place;0;", '2;300;2;"Café; a place";0;')


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("META\n", "PROJECTS\n", 1), 1, "the PROJECTS section must come after META"),
        (("key;value", "key;value;extra", 1), 2, "the META header must be key;value"),
        (
            ("budget;1000", "budget;1000,50", 1),
            9,
            "the budget uses a comma as the decimal mark ('1000,50'); use a full stop",
        ),
        (("budget;1000", "budget;lots", 1), 9, "the budget must be a number (found 'lots')"),
        (("budget;1000\n", "", 1), 1, "META has no budget"),
        (("vote_type;approval", "vote_type;ordinal", 1), 10, "ordinal (ranked) ballots are not supported"),
        (("vote_type;approval", "vote_type;ranked", 1), 10, "vote_type 'ranked' is not a Pabulib vote type"),
        (("num_votes;4", "num_votes;5", 1), 8, "num_votes is 5 but the file has 4 votes"),
        (("currency;GBP", "currency;pounds", 1), 15, "currency must be a three-letter ISO 4217 code"),
        (("date_begin;01.05.2026", "date_begin;May 2026", 1), 12, "date_begin must be a year or a date"),
        (("1;600;3;", "1;600,5;3;", 1), 18, "the cost of project 1 uses a comma as the decimal mark"),
        (("1;600;3;", "1;600.5;3;", 1), 18, "the cost of project 1 must be a whole number of currency units"),
        (("1;600;3;", "1;0;3;", 1), 18, "project 1 has no cost (0)"),
        (("10;150.0;1;", "1;150.0;1;", 1), 20, "project_id '1' appears twice"),
        (("1;600;3;", "1;600;4;", 1), 18, "project 1 has votes 4 but 3 voters chose it"),
        (("1;600;3;", "1;600;3;1;", 1), 18, "expected 6 fields"),
        (("a;1,2;34;F", "a;1,1;34;F", 1), 24, "voter a chose the same project twice"),
        (("b;1;;", "a;1;;", 1), 25, "voter_id 'a' appears twice"),
        (("d;2;71;M", "d;;71;M", 1), 27, "voter d chose 0 projects; min_length is 1"),
        (("d;2;71;M", "d;2;71;X", 1), 27, "voter d has sex 'X'; Pabulib allows M, F or O"),
        (("d;2;71;M", "d;2;old;M", 1), 27, "voter d has age 'old'"),
        (
            ("VOTES\nvoter_id;vote;age;sex", "VOTES\nvoter;vote;age;sex", 1),
            23,
            "the VOTES header has no voter_id column",
        ),
        (("PROJECTS\n", "\nPROJECTS\n", 1), 16, "empty line inside the file"),
        (("b;1;;", 'b;"1;;', 1), 25, "the line cannot be read"),
    ],
)
def test_it_refuses_a_malformed_file_naming_the_line_and_the_reason(change, line, reason):
    old, new, count = change
    assert old in BASE
    error = refused(BASE.replace(old, new, count))

    assert error.line == line
    assert error.reason.startswith(reason)
    assert str(error).startswith(f"Line {line}: ")


def test_it_refuses_a_file_without_a_votes_section():
    error = refused(BASE[: BASE.index("VOTES")])

    assert error.reason == "the file has no VOTES section"


def test_it_refuses_text_before_the_meta_section():
    assert refused("hello\n" + BASE).reason == "the file must start with a line reading META"


def test_it_lists_every_problem_it_finds_not_just_the_first():
    text = BASE.replace("currency;GBP", "currency;pounds").replace("d;2;71;M", "d;2;71;X")

    error = refused(text)

    assert [line for line, _ in error.errors] == [15, 27]


def test_it_refuses_bytes_that_are_not_utf8():
    error = refused(BASE.encode().replace(b"Garden", b"Gard\xffn"))

    assert (error.line, error.reason) == (18, "the file is not UTF-8 text")


def test_a_missing_file_is_refused_plainly(tmp_path):
    with pytest.raises(PabulibError, match="cannot be opened"):
        read_pb(tmp_path / "missing.pb")


def test_blank_lines_at_the_very_end_are_allowed():
    assert read_pb(BASE + "\n\n").election == read_pb(BASE).election


# --- Writing -------------------------------------------------------------------------------------------


def test_it_writes_a_file_that_reads_back_the_same():
    election = Election(
        budget=5000,
        projects=(Project("A1", 1200, 'Walks; "every" week'), Project("B2", 800, "Two\nlines"), Project("C3", 50)),
        ballots=({"A1": 1, "B2": 1}, {"C3": 1}, {}),
        currency="GBP",
    )
    meta = {"description": "Essex Recovery Fund", "country": "United Kingdom", "unit": "Essex", "num_votes": "99"}

    text = write_pb(election, meta, selected=["A1"])
    file = read_pb(text)

    assert file.election == election
    assert file.meta["num_votes"] == "3"  # counts come from the election, not from the meta given
    assert file.meta["description"] == "Essex Recovery Fund"
    assert file.official_selected == ("A1",)
    assert text.startswith("META\nkey;value\ndescription;Essex Recovery Fund\n")


def test_it_writes_cumulative_ballots_with_points_and_scores():
    election = Election(90, (Project("x", 40), Project("y", 50)), ({"x": 3, "y": 2}, {"y": 5}), vote_type="cumulative")

    text = write_pb(election, {"max_sum_points": "5"}, voter_ids=["v1", "v2"])

    assert "x;40;1;3;\n" in text
    assert "v1;x,y;3,2\n" in text
    assert read_pb(text).election == election


def test_it_refuses_to_write_ids_that_would_break_the_vote_lists():
    with pytest.raises(ValueError, match="without commas"):
        write_pb(Election(10, (Project("a,b", 5),), ()), {})


names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(';"\n,'), max_size=12)
ids = st.from_regex(r"[A-Za-z0-9_\-]{1,6}", fullmatch=True)


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "cumulative"]))
    project_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    projects = tuple(Project(pid, draw(st.integers(1, 10**7)), draw(names).strip()) for pid in project_ids)
    ballots = []
    for _ in range(draw(st.integers(0, 8))):
        chosen = draw(st.lists(st.sampled_from(project_ids), unique=True))
        ballots.append({pid: 1 if vote_type == "approval" else draw(st.integers(1, 9)) for pid in chosen})
    return Election(draw(st.integers(0, 10**8)), projects, tuple(ballots), vote_type=vote_type, currency="EUR")


@settings(max_examples=150, deadline=None, database=None)
@given(elections())
def test_any_election_survives_a_round_trip(election):
    assert read_pb(write_pb(election, {"description": "round trip"})).election == election


# --- Real elections ------------------------------------------------------------------------------------


def data_dir() -> Path:
    """The real elections: PABULIB_DIR, else the shared data folder beside the repository
    (``../shared/data/pabulib``, as for the ORUK schemas). In CI a missing folder fails."""
    import os

    from django.conf import settings

    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "pabulib"
    for candidate in (os.environ.get("PABULIB_DIR"), shared, Path(__file__).parent / "pabulib"):
        if candidate and Path(candidate, "netherlands_assen_2024.pb").exists():
            return Path(candidate)
    if os.environ.get("CI"):
        pytest.fail("Pabulib reference files not found in ../shared/data/pabulib (or PABULIB_DIR)")
    pytest.skip("Pabulib reference files not found (../shared/data/pabulib or PABULIB_DIR)")


def test_every_reference_file_but_two_reads_and_round_trips():
    folder = data_dir()
    refused_files = {
        "checker_example_invalid.pb": (20, "currency must be a three-letter ISO 4217 code"),
        "poland_krakow_2018_wzgorza-krzeslawickie.pb": (12, "ordinal (ranked) ballots are not supported"),
    }
    read = 0
    for path in sorted(folder.glob("*.pb")):
        if path.name in refused_files:
            line, reason = refused_files[path.name]
            with pytest.raises(PabulibError) as caught:
                read_pb(path)
            assert caught.value.line == line
            assert caught.value.reason.startswith(reason)
            continue
        file = read_pb(path)
        assert len(file.election.ballots) == int(file.meta["num_votes"])
        assert read_pb(write_pb(file.election, file.meta)).election == file.election
        read += 1
    assert read == 8


def test_it_reads_doubled_quotes_in_a_real_file():
    file = read_pb(data_dir() / "checker_example_valid_mturk.pb")

    assert file.meta["acknowledgments"].startswith('The dataset was created in an experiment as part of the paper "')
    assert len(file.election.projects) == 10


def test_trailing_semicolons_are_ignored():
    text = (
        "META\nkey;value;\nbudget;10;\nvote_type;approval;\n"
        "PROJECTS\nproject_id;cost;\nx;5;\nVOTES\nvoter_id;vote;\n1;x;\n"
    )

    assert read_pb(text).election == Election(10, (Project("x", 5),), ({"x": 1},), currency="")
