"""manage.py allocate FILE.pb: count a Pabulib election and print the projects chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.fund.allocation import DEFAULT_RULE, RULES, PabulibError, allocate, read_pb
from rosc.fund.allocation.explain import money
from rosc.fund.allocation.model import CompletionStep


class Command(BaseCommand):
    help = (
        "Count a Pabulib (.pb) election with approval or cumulative ballots and print the chosen project ids, "
        "one per line in the order they were chosen, then the total cost. Rules: equal-shares-add1 (the "
        "default: the Method of Equal Shares with the Recovery Fund's completion rule), equal-shares (no "
        "completion) and greedy (most votes first). Ordinal (ranked) ballots are refused. Progress goes to "
        "standard error; -v 0 silences it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A Pabulib .pb file.")
        parser.add_argument(
            "--rule", choices=RULES, default=DEFAULT_RULE, help=f"Counting rule (default {DEFAULT_RULE})."
        )
        parser.add_argument(
            "--explain", action="store_true", help="After the total, say why each project was chosen or not."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        rule: str = options["rule"]
        chatty = options["verbosity"] >= 1
        try:
            file = read_pb(Path(path))
        except PabulibError as error:
            for line, reason in error.errors[1:]:
                self.stderr.write(f"{path}: line {line}: {reason}")
            where = f"line {error.line}: " if error.line else ""
            raise CommandError(f"{path}: {where}{error.reason}. Nothing was counted.") from None
        election = file.election
        currency = election.currency
        if chatty:
            self.stderr.write(
                f"{path}: {len(election.ballots):,} voters, {len(election.projects)} projects, "
                f"{election.vote_type} ballots, budget {money(election.budget, currency)}; rule {rule}."
            )

        def progress(step: CompletionStep) -> None:
            if not chatty:
                return
            shares = (
                f"share {step.share_from}"
                if step.share_to == step.share_from
                else (f"shares {step.share_from} to {step.share_to if step.share_to is not None else 'any higher'}")
            )
            verdict = "fits" if step.fits else "over the budget: stop"
            self.stderr.write(f"  {shares}: {step.selected} projects, {money(step.total_cost, currency)} ({verdict})")

        result = allocate(election, rule, progress=progress)
        for project_id in result.selected:
            self.stdout.write(project_id)
        self.stdout.write(f"Total cost: {result.total_cost}")
        if chatty and file.official_selected is not None:
            official = set(file.official_selected)
            if official == set(result.selected):
                self.stderr.write("This is the selection marked in the file.")
            else:
                missing = sorted(official - set(result.selected))
                extra = sorted(set(result.selected) - official)
                self.stderr.write(
                    "The file marks a different selection: "
                    f"not chosen here {', '.join(missing) or 'none'}; chosen here only {', '.join(extra) or 'none'}."
                )
        if options["explain"]:
            self.stdout.write("")
            self.stdout.write(result.rule_statement)
            if result.voter_share is not None:
                self.stdout.write(f"Share per voter: {money(result.voter_share, currency)}")
            for project in result.projects:
                mark = "chosen" if project.selected else "not chosen"
                self.stdout.write(f"{project.project_id} ({mark}): {project.reason}")
