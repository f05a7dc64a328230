"""manage.py allocate FILE.pb"""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rosc.fund.allocation import Election, write_pb
from rosc.fund.tests.test_allocation import EXAMPLE_1, PROJECTS

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def example_file(tmp_path):
    election = Election(1100, PROJECTS, tuple(dict.fromkeys(ballot, 1) for ballot in EXAMPLE_1), currency="GBP")
    path = tmp_path / "example.pb"
    path.write_text(write_pb(election, {"description": "Worked example"}, selected=["bike", "playground", "library"]))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("allocate", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_chosen_projects_one_per_line_then_the_total_cost(example_file):
    out, err = run(example_file)

    assert out == "bike\nplayground\nlibrary\nTotal cost: 1000\n"
    assert "11 voters, 5 projects, approval ballots, budget £1,100; rule equal-shares-add1." in err
    assert "This is the selection marked in the file." in err


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("greedy", "bike\ngym\nTotal cost: 1100\n"), ("equal-shares", "bike\nplayground\nlibrary\nTotal cost: 1000\n")],
)
def test_it_counts_with_the_rule_asked_for(example_file, rule, expected):
    out, err = run(example_file, "--rule", rule)

    assert out == expected
    if rule == "greedy":
        assert "The file marks a different selection: not chosen here library, playground; chosen here only gym." in err


def test_it_shows_the_completion_progress_and_can_be_silenced(example_file):
    _, err = run(example_file)
    assert "share" in err
    assert "(over the budget: stop)" in err

    _, quiet = run(example_file, "-v", "0")
    assert quiet == ""


def test_it_explains_the_result_when_asked(example_file):
    out, _ = run(example_file, "--explain")

    assert out.startswith("bike\nplayground\nlibrary\nTotal cost: 1000\n\nEvery voter starts with an equal share")
    assert "Share per voter: £129\n" in out
    assert "gym (not chosen): Its 6 supporters had £174 left between them" in out


def test_a_malformed_file_is_refused_with_the_line_and_the_reason(tmp_path, example_file):
    bad = tmp_path / "bad.pb"
    bad.write_text(example_file.read_text().replace("bike;700;", "bike;7,5;"))

    with pytest.raises(CommandError) as caught:
        run(bad)

    assert str(caught.value) == (
        f"{bad}: line 12: the cost of project bike uses a comma as the decimal mark ('7,5'); use a full stop. "
        "Nothing was counted."
    )


def test_every_problem_is_listed_before_the_refusal(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost\nbike;0\ngym;50\n"
        "VOTES\nvoter_id;vote\n1;bike,gym\n2;gym,gym\n"
    )
    err = StringIO()

    with pytest.raises(CommandError, match="line 7: project bike has no cost"):
        call_command("allocate", str(bad), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{bad}: line 12: voter 2 chose the same project twice\n"


def test_ordinal_ballots_are_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "ranked.pb"
    path.write_text(
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n"
    )

    with pytest.raises(CommandError, match="line 4: ordinal \\(ranked\\) ballots are not supported"):
        run(path)


def test_the_command_exits_non_zero_with_a_plain_message_and_no_traceback(tmp_path):
    path = tmp_path / "broken.pb"
    path.write_text(
        "META\nkey;value\nbudget;ten\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n"
    )

    finished = subprocess.run(
        [sys.executable, "manage.py", "allocate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "rosc.settings_test", "ROSC_VAR_DIR": str(tmp_path)},
    )

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert "Traceback" not in finished.stderr
    assert f"{path}: line 3: the budget must be a number (found 'ten'). Nothing was counted." in finished.stderr
