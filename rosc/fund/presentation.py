"""What the results and round pages show, built from stored data.

The results page shows the result as published (``RoundResult``), never a
fresh count: the "check the count" page is where a recount is compared with it.
Charts are drawn as server-rendered SVG, always next to a table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from rosc.fund.allocation import COMPLETION_RULE
from rosc.fund.models import Proposal, Round, RoundResult, Rule

RULE_NAMES = {
    Rule.EQUAL_SHARES_ADD1: "Method of Equal Shares",
    Rule.EQUAL_SHARES: "Method of Equal Shares",
    Rule.GREEDY: "Greedy by votes",
}


def completion_rule(rule: str) -> str:
    """The round's completion rule in plain English, as stated in its settings and results."""
    if rule == Rule.EQUAL_SHARES_ADD1:
        return COMPLETION_RULE
    if rule == Rule.EQUAL_SHARES:
        return (
            "No completion rule: money that the Method of Equal Shares does not spend is left unspent, "
            "even if another project would fit."
        )
    return (
        "None needed: greedy by votes funds projects in order of votes until the money runs out, "
        "skipping any project that no longer fits."
    )


def rule_explainer(rule: str) -> str:
    if rule == Rule.GREEDY:
        return (
            "Projects are funded in order of votes, most first. A project that costs more than the money left "
            "is skipped and the next one is tried."
        )
    return (
        "Every voter gets an equal share of the budget. A project is funded when the people who voted for it "
        "can pay for it together from their shares, cheapest per vote first. So each group of voters decides "
        "how its share is spent, and a large group cannot take the whole budget."
    )


SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money(value: Any, currency: str = "GBP") -> str:
    """£1,234 for whole amounts, £1,234.57 otherwise (rounded to the penny). Other currencies
    (imported rounds) without a symbol read "1,234 PLN"."""
    if value in (None, ""):
        return ""
    amount = Fraction(value)
    if amount.denominator == 1:
        text = f"{amount.numerator:,}"
    else:
        pence = round(amount * 100)
        text = f"{pence // 100:,}.{pence % 100:02d}"
    symbol = SYMBOLS.get(currency or "GBP")
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def pounds(value: Any) -> str:
    return money(value, "GBP")


# --- Charts ---------------------------------------------------------------------------------------------------------

CHART_WIDTH = 720
LABEL_WIDTH = 270
BAR_START = 280
BAR_SPACE = 300
ROW_HEIGHT = 34
BAR_HEIGHT = 20
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    highlighted: bool
    y: int = 0
    width: float = 0.0

    @property
    def text_x(self) -> float:
        return BAR_START + self.width + 8

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def bar_y(self) -> int:
        return self.y

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    caption: str = "The same figures are in the table."
    width: int = CHART_WIDTH
    height: int = 0
    bar_height: int = BAR_HEIGHT
    bar_start: int = BAR_START
    label_width: int = LABEL_WIDTH


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    rows: Iterable[tuple[str, float, str, bool]],
    caption: str = "The same figures are in the table.",
) -> BarChart:
    """Horizontal bars, longest = full width; each bar is labelled with its value in words."""
    items = list(rows)
    top = max((value for _, value, _, _ in items), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            text=text,
            highlighted=highlighted,
            y=10 + index * ROW_HEIGHT,
            width=round(BAR_SPACE * value / top, 1) if value else 0.0,
        )
        for index, (label, value, text, highlighted) in enumerate(items)
    ]
    return BarChart(
        id=id, title=title, description=description, bars=bars, caption=caption, height=20 + len(bars) * ROW_HEIGHT
    )


# --- Results --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectOutcome:
    proposal: Proposal
    votes: int
    supporters: int
    cost: int
    selected: bool
    paid_per_supporter: Fraction | None
    paid_per_point: Fraction | None
    reason: str
    compared_selected: bool


@dataclass(frozen=True)
class AreaShare:
    name: str
    voters: int
    share: Fraction
    paid: list[tuple[Proposal, Fraction]]
    left: Fraction

    @property
    def spent(self) -> Fraction:
        return sum((amount for _, amount in self.paid), Fraction(0))


@dataclass(frozen=True)
class VoterGroup:
    choices: list[tuple[Proposal, int]]
    voters: int
    share: Fraction
    paid: list[tuple[Proposal, Fraction]]
    left: Fraction


@dataclass
class ResultsView:
    round: Round
    result: RoundResult
    outcomes: list[ProjectOutcome]
    rule_name: str
    compared_rule_name: str
    completion: str
    steps: list[str]
    ties: list[str]
    voter_share: Fraction | None
    total_cost: int
    compared_total: int
    compared_selected: list[Proposal]
    areas: list[AreaShare]
    groups: list[VoterGroup]
    group_count: int
    votes_chart: BarChart
    cost_chart: BarChart
    differences: list[ProjectOutcome] = field(default_factory=list)
    imported_agrees: bool | None = None
    imported_selected: list[str] = field(default_factory=list)
    preference: dict[str, Any] | None = None  # voters better off under each rule (Equal Shares rounds)

    @property
    def funded(self) -> list[ProjectOutcome]:
        return [outcome for outcome in self.outcomes if outcome.selected]

    @property
    def not_funded(self) -> list[ProjectOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.selected]

    @property
    def even_share(self) -> Fraction | None:
        voters = self.result.allocation.get("voters") or 0
        return Fraction(self.round.budget, voters) if voters else None

    @property
    def shares_raised(self) -> bool:
        even = self.even_share
        return bool(self.voter_share is not None and even is not None and self.voter_share > even)

    @property
    def left_over(self) -> int:
        return self.round.budget - self.total_cost


MAX_GROUPS_SHOWN = 25
FUNDED_CAPTION = "Dark bars are funded projects; grey bars are not. The same figures are in the table below."


def _fraction(value: Any) -> Fraction | None:
    return None if value in (None, "") else Fraction(value)


def _steps(allocation: dict[str, Any], currency: str) -> list[str]:
    """The completion rule's steps in plain English."""
    lines = []
    for step in allocation.get("steps", []):
        low, high = step["share_from"], step["share_to"]
        shares = (
            f"A share of {money(low, currency)} each"
            if high == low
            else f"Shares from {money(low, currency)} to {money(high, currency)} each"
            if high is not None
            else f"Shares of {money(low, currency)} or more each"
        )
        count = step["selected"]
        fits = "fits within the budget" if step["fits"] else "is more than the budget, so the count stopped"
        lines.append(
            f"{shares}: {count} project{'s' if count != 1 else ''} costing {money(step['total_cost'], currency)}, "
            f"which {fits}."
        )
    return lines


SMALL_AREA = 5  # areas with fewer voters than this are shown together, so no one's choices stand out


def area_shares(rows: list[dict[str, Any]], by_code: dict[str, Proposal]) -> list[AreaShare]:
    """What each area's voters paid for. Areas with a few voters are added together, because what one
    or two voters paid for would show how they voted; areas with none are left out."""
    shown: list[AreaShare] = []
    small_areas = small_voters = 0
    small_share = small_left = Fraction(0)
    small_paid: dict[str, Fraction] = {}
    for row in rows:
        if not row["voters"]:
            continue
        paid = [(code, Fraction(amount)) for code, amount in row["paid"] if code in by_code]
        if row["voters"] < SMALL_AREA:
            small_areas += 1
            small_voters += row["voters"]
            small_share += Fraction(row["share"])
            small_left += Fraction(row["left"])
            for code, amount in paid:
                small_paid[code] = small_paid.get(code, Fraction(0)) + amount
            continue
        shown.append(
            AreaShare(
                name=row["name"],
                voters=row["voters"],
                share=Fraction(row["share"]),
                paid=[(by_code[code], amount) for code, amount in paid],
                left=Fraction(row["left"]),
            )
        )
    if small_voters:
        shown.append(
            AreaShare(
                name=f"{small_areas} area{'s' if small_areas != 1 else ''} with fewer than {SMALL_AREA} voters each",
                voters=small_voters,
                share=small_share,
                paid=[(by_code[code], amount) for code, amount in sorted(small_paid.items())],
                left=small_left,
            )
        )
    return shown


TIE_WORDS = {"lower cost": "it costs less", "more votes": "it had more votes", "lot": "it came first in the lot"}


def results_view(round: Round, result: RoundResult, proposals: Iterable[Proposal]) -> ResultsView:
    by_code = {proposal.code: proposal for proposal in proposals}
    allocation: dict[str, Any] = result.allocation
    comparison: dict[str, Any] = result.comparison
    currency = round.currency
    compared = set(comparison.get("selected", []))
    order = {code: index for index, code in enumerate(allocation.get("selected", []))}
    outcomes = [
        ProjectOutcome(
            proposal=by_code[row["project_id"]],
            votes=row["votes"],
            supporters=row.get("supporters", 0),
            cost=row["cost"],
            selected=row["selected"],
            paid_per_supporter=_fraction(row.get("paid_per_supporter")),
            paid_per_point=_fraction(row.get("paid_per_point")),
            reason=row.get("reason", ""),
            compared_selected=row["project_id"] in compared,
        )
        for row in allocation.get("projects", [])
        if row["project_id"] in by_code
    ]
    outcomes.sort(key=lambda o: (not o.selected, order.get(o.proposal.code, 0), -o.votes, o.proposal.number))
    unit = "points" if round.is_cumulative else "votes"
    votes_chart = bar_chart(
        id="votes-chart",
        title=f"{unit.capitalize()} for each project",
        description=f"Bar chart of the {unit} each project got. The table below gives the same numbers.",
        caption=FUNDED_CAPTION,
        rows=[
            (
                o.proposal.title,
                o.votes,
                f"{o.votes:,} {unit if o.votes != 1 else unit[:-1]}{', funded' if o.selected else ''}",
                o.selected,
            )
            for o in outcomes
        ],
    )
    cost_chart = bar_chart(
        id="cost-chart",
        title="Cost of each project",
        description="Bar chart of what each project costs. The table below gives the same numbers.",
        caption=FUNDED_CAPTION,
        rows=[
            (o.proposal.title, o.cost, f"{money(o.cost, currency)}{', funded' if o.selected else ''}", o.selected)
            for o in outcomes
        ],
    )
    areas = area_shares(result.by_area, by_code)
    raw_groups = sorted(allocation.get("spent_by_ballot", []), key=lambda g: (-g["voters"], g["ballot"]))
    groups = [
        VoterGroup(
            choices=[(by_code[code], points) for code, points in group["ballot"] if code in by_code],
            voters=group["voters"],
            share=Fraction(group["share"]),
            paid=[(by_code[code], Fraction(amount)) for code, amount in group["paid"] if code in by_code],
            left=Fraction(group["left"]),
        )
        for group in raw_groups[:MAX_GROUPS_SHOWN]
    ]
    ties = [
        f"“{by_code[tie['chosen']].title}” went before “{by_code[tie['passed_over']].title}” because "
        f"{TIE_WORDS.get(tie['decided_by'], tie['decided_by'])}."
        for tie in allocation.get("ties", [])
        if tie["chosen"] in by_code and tie["passed_over"] in by_code
    ]
    imported_agrees = None
    imported_selected: list[str] = []
    if round.imported_selected is not None:
        imported_selected = [by_code[code].title if code in by_code else code for code in round.imported_selected]
        imported_agrees = set(round.imported_selected) == set(allocation.get("selected", []))
    preference = allocation.get("comparison") or None
    return ResultsView(
        round=round,
        result=result,
        outcomes=outcomes,
        rule_name=RULE_NAMES.get(allocation.get("rule", result.rule), result.rule),
        compared_rule_name=RULE_NAMES.get(comparison.get("rule", ""), "Greedy by votes"),
        completion=allocation.get("rule_statement") or completion_rule(result.rule),
        steps=_steps(allocation, currency),
        ties=ties,
        voter_share=_fraction(allocation.get("voter_share")),
        total_cost=allocation.get("total_cost", 0),
        compared_total=comparison.get("total_cost", 0),
        compared_selected=[by_code[code] for code in comparison.get("selected", []) if code in by_code],
        areas=areas,
        groups=groups,
        group_count=len(raw_groups),
        votes_chart=votes_chart,
        cost_chart=cost_chart,
        differences=[o for o in outcomes if o.selected != o.compared_selected],
        imported_agrees=imported_agrees,
        imported_selected=imported_selected,
        preference=preference,
    )
