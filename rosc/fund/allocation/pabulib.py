"""Reading and writing Pabulib `.pb` files (https://pabulib.org/format).

A `.pb` file is semicolon-separated text in three sections, each starting with its name on a line
of its own and then a header row: META (key;value), PROJECTS (project_id;cost;...) and VOTES
(voter_id;vote;...). Fields may be quoted CSV-style, with "" for a quote inside a quoted field.

The reader refuses a malformed file as a whole, naming the line and the reason for each problem it
finds (the first one in `PabulibError.line` / `.reason`, all of them in `.errors`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from rosc.fund.allocation.model import Election, Project

SECTIONS = ("meta", "projects", "votes")
APPROVAL_TYPES = ("approval", "choose-1")
POINTS_TYPES = ("cumulative", "scoring")
KNOWN_TYPES = (*APPROVAL_TYPES, *POINTS_TYPES, "ordinal")
META_ORDER = (
    "description",
    "country",
    "unit",
    "district",
    "subunit",
    "instance",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
    "rule",
    "date_begin",
    "date_end",
)
MAX_ERRORS = 20


class PabulibError(ValueError):
    """A `.pb` file that cannot be read; `line` and `reason` name the first problem."""

    def __init__(self, line: int, reason: str, errors: Iterable[tuple[int, str]] = ()) -> None:
        self.line = line
        self.reason = reason
        self.errors: list[tuple[int, str]] = list(errors) or [(line, reason)]
        super().__init__(f"Line {line}: {reason}")


@dataclass(frozen=True)
class PabulibElection:
    election: Election
    meta: dict[str, str]
    official_selected: tuple[str, ...] | None  # projects marked selected=1, if the file has the column
    project_fields: dict[str, dict[str, str]] = field(default_factory=dict)  # every column, per project id


class _Errors:
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, reason: str) -> None:
        self.found.append((line, reason))
        if len(self.found) >= MAX_ERRORS:
            self.stop()

    def stop(self) -> NoReturn:
        line, reason = min(self.found)
        raise PabulibError(line, reason, sorted(self.found))


def _whole(text: str) -> int | None:
    """A whole number such as 1500, 1500.0 or 1500.00; None if it is not one."""
    match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    return int(match.group(1)) if match else None


def _amount(text: str, what: str) -> tuple[int | None, str | None]:
    if re.fullmatch(r"\d+,\d+", text):
        return None, f"{what} uses a comma as the decimal mark ({text!r}); use a full stop"
    value = _whole(text)
    if value is None:
        if re.fullmatch(r"\d+\.\d+", text):
            return None, f"{what} must be a whole number of currency units (found {text!r})"
        return None, f"{what} must be a number (found {text!r})"
    return value, None


def _rows(text: str, errors: _Errors):
    """(first line number, cells) for each record, cells stripped of surrounding spaces."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', doublequote=True, strict=True)
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            errors.add(previous_end + 1, f"the line cannot be read as ;-separated fields ({error})")
            errors.stop()
        yield previous_end + 1, [cell.strip().replace("\r\n", "\n") for cell in row]
        previous_end = reader.line_num


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PabulibError(line, "the file is not UTF-8 text") from None


def read_pb(text_or_path: str | Path | bytes) -> PabulibElection:
    """Read a `.pb` file from a path, from bytes, or from its text (anything containing a line break)."""
    if isinstance(text_or_path, bytes):
        text = _decode(text_or_path)
    elif isinstance(text_or_path, Path) or ("\n" not in text_or_path and "\r" not in text_or_path):
        path = Path(text_or_path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PabulibError(0, f"the file {str(path)!r} cannot be opened ({error.strerror or error})") from None
        text = _decode(data)
    else:
        text = text_or_path.removeprefix("\ufeff")
    return _parse(text)


def _parse(text: str) -> PabulibElection:
    errors = _Errors()
    sections: dict[str, tuple[int, list[str], list[tuple[int, list[str]]]]] = {}
    current: str | None = None
    expecting_header = False
    blank_lines: list[int] = []
    titles: dict[str, int] = {}  # line of each section's title
    for line, cells in _rows(text, errors):
        if not any(cells):
            blank_lines.append(line)
            continue
        if blank_lines:
            # Blank lines are allowed only at the very end of the file.
            for blank in blank_lines:
                errors.add(blank, "empty line inside the file")
            blank_lines = []
        if len(cells) == 1 and cells[0].lower() in SECTIONS:
            name = cells[0].lower()
            expected = SECTIONS[len(sections)] if len(sections) < len(SECTIONS) else None
            if name in sections:
                errors.add(line, f"the {name.upper()} section appears twice")
                errors.stop()
            if name != expected:
                errors.add(
                    line, f"the {name.upper()} section must come after {expected.upper() if expected else 'VOTES'}"
                )
                errors.stop()
            current = name
            sections[name] = (line, [], [])
            titles[name] = line
            expecting_header = True
            continue
        if current is None:
            errors.add(line, "the file must start with a line reading META")
            errors.stop()
        if expecting_header:
            header = [cell.lower() for cell in cells]
            while header and not header[-1]:
                header.pop()  # a trailing ; adds nothing
            sections[current] = (line, header, [])
            expecting_header = False
            continue
        sections[current][2].append((line, cells))
    last_line = text.count("\n") + 1
    for name in SECTIONS:
        if name not in sections:
            errors.add(last_line, f"the file has no {name.upper()} section")
            errors.stop()
        if not sections[name][1]:
            errors.add(sections[name][0], f"the {name.upper()} section has no header row")
            errors.stop()

    meta, meta_lines = _read_meta(sections["meta"], errors)
    found_before = len(errors.found)
    vote_type = meta.get("vote_type", "").lower()
    budget, budget_error = _amount(meta.get("budget", ""), "the budget")
    if "budget" not in meta:
        errors.add(titles["meta"], "META has no budget")
    elif budget_error:
        errors.add(meta_lines["budget"], budget_error)
    if "vote_type" not in meta:
        errors.add(titles["meta"], "META has no vote_type")
    elif vote_type not in KNOWN_TYPES:
        errors.add(
            meta_lines["vote_type"],
            f"vote_type {meta['vote_type']!r} is not a Pabulib vote type "
            "(approval, choose-1, cumulative, scoring, ordinal)",
        )
    elif vote_type == "ordinal":
        errors.add(
            meta_lines["vote_type"],
            "ordinal (ranked) ballots are not supported: the Recovery Fund counts approval and cumulative ballots",
        )
    if len(errors.found) > found_before:
        errors.stop()  # without a budget and a known vote type the rest cannot be read

    before_counts = len(errors.found)
    projects, selected, fields, project_lines, named = _read_projects(sections["projects"], errors)
    points_ballots = vote_type in POINTS_TYPES
    ballots, counted_votes, counted_points = _read_votes(
        sections["votes"], {p.id: p for p in projects}, named, meta, points_ballots, errors
    )
    if len(errors.found) > before_counts:
        errors.stop()  # the counts below would only repeat these problems
    for project in projects:
        line = project_lines[project.id]
        given = fields[project.id]
        if "votes" in given and given["votes"] != "" and _whole(given["votes"]) != counted_votes[project.id]:
            errors.add(
                line,
                f"project {project.id} has votes {given['votes']} but {counted_votes[project.id]} voters chose it",
            )
        if points_ballots and given.get("score", "") != "" and _whole(given["score"]) != counted_points[project.id]:
            errors.add(
                line,
                f"project {project.id} has score {given['score']} "
                f"but its points add up to {counted_points[project.id]}",
            )
    for key, counted, what in (("num_projects", len(projects), "projects"), ("num_votes", len(ballots), "votes")):
        if key in meta and _whole(meta[key]) != counted:
            errors.add(meta_lines[key], f"{key} is {meta[key]} but the file has {counted} {what}")
    if errors.found:
        errors.stop()

    currency = meta.get("currency", "")
    election = Election(
        budget=budget or 0,
        projects=tuple(projects),
        ballots=tuple(ballots),
        vote_type="cumulative" if points_ballots else "approval",
        currency=currency,
    )
    return PabulibElection(election=election, meta=meta, official_selected=selected, project_fields=fields)


def _fit(cells: list[str], header: list[str], line: int, errors: _Errors) -> list[str] | None:
    if len(cells) > len(header) and not any(cells[len(header) :]):
        cells = cells[: len(header)]
    if len(cells) != len(header):
        errors.add(line, f"expected {len(header)} fields ({';'.join(header)}) but found {len(cells)}")
        return None
    return cells


def _read_meta(section, errors: _Errors) -> tuple[dict[str, str], dict[str, int]]:
    header_line, header, rows = section
    if header[:2] != ["key", "value"] or len(header) != 2:
        errors.add(header_line, "the META header must be key;value")
        errors.stop()
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, cells in rows:
        fitted = _fit(cells, header, line, errors)
        if fitted is None:
            continue
        key, value = fitted[0].lower(), fitted[1]
        if not key:
            errors.add(line, "a META line has no key")
            continue
        if key in meta:
            errors.add(line, f"META key {key!r} appears twice")
            continue
        meta[key] = value
        lines[key] = line
    integers = (
        "num_projects",
        "num_votes",
        "min_length",
        "max_length",
        "min_points",
        "max_points",
        "min_sum_points",
        "max_sum_points",
    )
    for key in integers:
        if key in meta and _whole(meta[key]) is None:
            errors.add(lines[key], f"{key} must be a whole number (found {meta[key]!r})")
    for key in ("min_sum_cost", "max_sum_cost"):
        if key in meta and not re.fullmatch(r"\d+(\.\d+)?", meta[key]):
            errors.add(lines[key], f"{key} must be a number (found {meta[key]!r})")
    if "currency" in meta and not re.fullmatch(r"[A-Z]{3}", meta["currency"]):
        errors.add(
            lines["currency"],
            f"currency must be a three-letter ISO 4217 code such as GBP or EUR (found {meta['currency']!r})",
        )
    for key in ("fully_funded", "experimental"):
        if key in meta and meta[key] != "1":
            errors.add(lines[key], f"{key} may only be 1 when present (found {meta[key]!r})")
    for key in ("date_begin", "date_end"):
        if key in meta and not re.fullmatch(r"\d{4}|\d{2}\.\d{2}\.\d{4}", meta[key]):
            errors.add(lines[key], f"{key} must be a year or a date written DD.MM.YYYY (found {meta[key]!r})")
    return meta, lines


def _read_projects(section, errors: _Errors):
    header_line, header, rows = section
    before = len(errors.found)
    for required in ("project_id", "cost"):
        if required not in header:
            errors.add(header_line, f"the PROJECTS header has no {required} column")
    if len(set(header)) != len(header):
        errors.add(header_line, "the PROJECTS header names a column twice")
    if len(errors.found) > before:
        errors.stop()
    projects: list[Project] = []
    fields: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    selected: list[str] = []
    named: set[str] = set()  # every id listed, even on a line refused for another reason
    for line, cells in rows:
        fitted = _fit(cells, header, line, errors)
        if fitted is None:
            continue
        row = dict(zip(header, fitted, strict=True))
        project_id = row["project_id"]
        if not project_id:
            errors.add(line, "a project has no project_id")
            continue
        if project_id in named:
            errors.add(line, f"project_id {project_id!r} appears twice")
            continue
        named.add(project_id)
        cost, problem = _amount(row["cost"], f"the cost of project {project_id}")
        if problem:
            errors.add(line, problem)
            continue
        if cost == 0:
            errors.add(line, f"project {project_id} has no cost (0)")
            continue
        for column in ("votes", "score"):
            if row.get(column, "") != "" and _whole(row[column]) is None:
                errors.add(line, f"{column} of project {project_id} must be a whole number (found {row[column]!r})")
        if "selected" in row and row["selected"] not in ("", "0", "1", "2", "3"):
            errors.add(line, f"selected must be 0 or 1 (found {row['selected']!r})")
        if row.get("selected") == "1":
            selected.append(project_id)
        fields[project_id] = row
        lines[project_id] = line
        projects.append(Project(id=project_id, cost=cost or 0, name=row.get("name", "")))
    if not rows:
        errors.add(header_line, "the PROJECTS section lists no projects")
    return projects, (tuple(selected) if "selected" in header else None), fields, lines, named


def _read_votes(section, projects: Mapping[str, Project], named: set[str], meta, points_ballots: bool, errors: _Errors):
    header_line, header, rows = section
    before = len(errors.found)
    for required in ("voter_id", "vote"):
        if required not in header:
            errors.add(header_line, f"the VOTES header has no {required} column")
    if points_ballots and "points" not in header:
        errors.add(header_line, f"{meta.get('vote_type')} ballots need a points column in VOTES")
    if len(set(header)) != len(header):
        errors.add(header_line, "the VOTES header names a column twice")
    if len(errors.found) > before:
        errors.stop()
    column = {name: position for position, name in enumerate(header)}
    voter_col, vote_col = column["voter_id"], column["vote"]
    points_col = column.get("points") if points_ballots else None
    sex_col, age_col = column.get("sex"), column.get("age")
    limits = {
        key: _whole(meta[key]) for key in meta if key.startswith(("min_", "max_")) and _whole(meta[key]) is not None
    }
    max_sum_cost = float(meta["max_sum_cost"]) if re.fullmatch(r"\d+(\.\d+)?", meta.get("max_sum_cost", "")) else None
    counted_votes = dict.fromkeys(projects, 0)
    counted_points = dict.fromkeys(projects, 0)
    ballots: list[dict[str, int]] = []
    seen: set[str] = set()
    width = len(header)
    for line, cells in rows:
        if len(cells) != width:
            fitted = _fit(cells, header, line, errors)
            if fitted is None:
                continue
            cells = fitted
        voter = cells[voter_col]
        if not voter:
            errors.add(line, "a vote has no voter_id")
            continue
        if voter in seen:
            errors.add(line, f"voter_id {voter!r} appears twice")
            continue
        seen.add(voter)
        chosen = [item.strip() for item in cells[vote_col].split(",")] if cells[vote_col] else []
        problem = None
        for project_id in chosen:
            if project_id not in named:
                problem = f"voter {voter} voted for project {project_id!r}, which is not in PROJECTS"
                break
        if problem is None and len(set(chosen)) != len(chosen):
            problem = f"voter {voter} chose the same project twice"
        if problem is None and points_col is not None:
            raw = [item.strip() for item in cells[points_col].split(",")] if cells[points_col] else []
            values = [_whole(item) for item in raw]
            if len(values) != len(chosen):
                problem = f"voter {voter} has {len(chosen)} projects but {len(values)} points"
            elif any(value is None for value in values):
                problem = f"voter {voter} has points that are not whole numbers ({cells[points_col]!r})"
            else:
                ballot = dict(zip(chosen, values, strict=True))
        elif problem is None:
            ballot = dict.fromkeys(chosen, 1)
        if problem is None:
            problem = _check_limits(voter, ballot, points_col is not None, limits, max_sum_cost, projects)
        if problem is None and sex_col is not None and cells[sex_col] not in ("", "M", "F", "O"):
            problem = f"voter {voter} has sex {cells[sex_col]!r}; Pabulib allows M, F or O"
        if problem is None and age_col is not None and not re.fullmatch(r"|\d+|\d+-\d+", cells[age_col]):
            problem = f"voter {voter} has age {cells[age_col]!r}; expected a number or a range such as 40-59"
        if problem is not None:
            errors.add(line, problem)
            continue
        if ballot.keys() <= projects.keys():
            for project_id, points in ballot.items():
                counted_votes[project_id] += 1
                counted_points[project_id] += points
            ballots.append(ballot)
    return ballots, counted_votes, counted_points


def _check_limits(voter, ballot, with_points, limits, max_sum_cost, projects) -> str | None:
    length = len(ballot)
    if "min_length" in limits and length < limits["min_length"]:
        return f"voter {voter} chose {length} projects; min_length is {limits['min_length']}"
    if "max_length" in limits and length > limits["max_length"]:
        return f"voter {voter} chose {length} projects; max_length is {limits['max_length']}"
    if with_points:
        total = sum(ballot.values())
        if "min_sum_points" in limits and total < limits["min_sum_points"]:
            return f"voter {voter} gave {total} points; min_sum_points is {limits['min_sum_points']}"
        if "max_sum_points" in limits and total > limits["max_sum_points"]:
            return f"voter {voter} gave {total} points; max_sum_points is {limits['max_sum_points']}"
        for project_id, points in ballot.items():
            if "min_points" in limits and points < limits["min_points"]:
                return f"voter {voter} gave project {project_id} {points} points; min_points is {limits['min_points']}"
            if "max_points" in limits and points > limits["max_points"]:
                return f"voter {voter} gave project {project_id} {points} points; max_points is {limits['max_points']}"
            if points < 1:
                return f"voter {voter} gave project {project_id} {points} points; points must be 1 or more"
    if max_sum_cost is not None:
        total_cost = sum(projects[project_id].cost for project_id in ballot if project_id in projects)
        if total_cost > max_sum_cost:
            return f"voter {voter} chose projects costing {total_cost:,} in total; max_sum_cost is {max_sum_cost:g}"
    return None


# --- Writing -----------------------------------------------------------------------------------------


def write_pb(
    election: Election,
    meta: Mapping[str, str],
    *,
    selected: Iterable[str] | None = None,
    voter_ids: Iterable[str] | None = None,
) -> str:
    """The election as a `.pb` file. Counts, budget and vote type always come from the election.

    `selected` adds the selected column (1 for the given project ids); `voter_ids` replaces the
    default anonymous voter ids 1, 2, 3...
    """
    for project in election.projects:
        if not project.id or "," in project.id or project.id != project.id.strip():
            raise ValueError(f"Project id {project.id!r} cannot be written: ids must be non-empty, without commas.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', doublequote=True, lineterminator="\n")
    points_ballots = election.vote_type == "cumulative"
    values = {str(key).lower(): str(value) for key, value in meta.items()}
    values["num_projects"] = str(len(election.projects))
    values["num_votes"] = str(len(election.ballots))
    values["budget"] = str(election.budget)
    if not (points_ballots and values.get("vote_type") in POINTS_TYPES):
        values["vote_type"] = "cumulative" if points_ballots else "approval"
    if election.currency and "currency" not in values:
        values["currency"] = election.currency
    values.setdefault("rule", "unknown")
    ordered = [key for key in META_ORDER if key in values] + [key for key in values if key not in META_ORDER]
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key in ordered:
        writer.writerow([key, values[key]])

    votes = dict.fromkeys((p.id for p in election.projects), 0)
    score = dict.fromkeys((p.id for p in election.projects), 0)
    for ballot in election.ballots:
        for project_id, points in ballot.items():
            if points:
                votes[project_id] += 1
                score[project_id] += points
    chosen = set(selected) if selected is not None else None
    header = ["project_id", "cost", "votes"] + (["score"] if points_ballots else []) + ["name"]
    if chosen is not None:
        header.append("selected")
    writer.writerow(["PROJECTS"])
    writer.writerow(header)
    for project in election.projects:
        row = [project.id, str(project.cost), str(votes[project.id])]
        if points_ballots:
            row.append(str(score[project.id]))
        row.append(project.name)
        if chosen is not None:
            row.append("1" if project.id in chosen else "0")
        writer.writerow(row)

    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote"] + (["points"] if points_ballots else []))
    ids = list(voter_ids) if voter_ids is not None else [str(n) for n in range(1, len(election.ballots) + 1)]
    if len(ids) != len(election.ballots):
        raise ValueError("voter_ids must name every ballot once.")
    for voter, ballot in zip(ids, election.ballots, strict=True):
        items = [(project_id, points) for project_id, points in ballot.items() if points]
        row = [voter, ",".join(project_id for project_id, _ in items)]
        if points_ballots:
            row.append(",".join(str(points) for _, points in items))
        writer.writerow(row)
    return buffer.getvalue()
