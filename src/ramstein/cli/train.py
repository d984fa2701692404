"""`ramstein train` and `ramstein readiness`: crews for the equipment, and when it is usable."""

from __future__ import annotations

import json
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.spinner import Spinner

from ramstein.cli.common import (
    PlanByDefault,
    SolveDisplay,
    TimeLimit,
    actor,
    console,
    fail,
    input_errors,
    read_text,
    transaction,
)
from ramstein.cli.plan_tables import (
    print_plans,
    readiness_table,
    slips_table,
    training_table,
    unassigned_table,
)
from ramstein.io.readiness_json import readiness_document
from ramstein.io.train_json import parse_training, plan_document
from ramstein.plan.readiness import CapabilityReadiness, slips
from ramstein.plan.train import solve_train
from ramstein.services import readiness as ready
from ramstein.services import training
from ramstein.services.plans import plan_and_save
from ramstein.store.training import import_training


class Solver(StrEnum):
    """The exact solvers the training model runs on."""

    HIGHS = "highs"
    CPSAT = "cpsat"


app = typer.Typer(cls=PlanByDefault, help="Schedule the recipient's cohorts into courses.")


@app.command("plan")
def plan(
    file: Annotated[Path | None, typer.Argument(help="a ramstein.training/1 file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.training-plan/1")] = False,
    time_limit: TimeLimit = None,
    solver: Annotated[Solver, typer.Option(help="the exact solver")] = Solver.HIGHS,
) -> None:
    """Schedule a training file, or the stored cohorts (saved as a new version)."""
    with input_errors():
        if file is not None:
            instance = parse_training(read_text(file))
            result = solve_train(instance, time_limit=time_limit, solver=solver.value)
            version = None
        else:
            with (
                transaction() as session,
                Live(Spinner("dots", text="Scheduling"), console=console, transient=True) as live,
            ):
                solve = partial(
                    training.solve,
                    time_limit=time_limit,
                    solver=solver.value,
                    on_progress=None if as_json else SolveDisplay(live, "Scheduling"),
                )
                saved = plan_and_save(session, solve, actor=actor())
            instance, result, version = saved.instance, saved.plan, saved.record.version
    doc = plan_document(result, instance)
    if as_json:
        print(json.dumps(doc, indent=2))
        return
    console.print(training_table(instance, result))
    if result.unassigned:
        console.print(unassigned_table(instance, result))
    proof = "optimal" if result.optimal else f"bound {result.bound:,.6g}"
    saved_as = f"; saved as training plan version {version}" if version else ""
    console.print(f"Score {result.score:,.6g} ({proof}), {result.stats.seconds:.2f} s{saved_as}.")
    if result.stats.note:
        console.print(f"Note: {result.stats.note}.")


@app.command("import")
def import_file(file: Annotated[Path, typer.Argument(help="a ramstein.training/1 file")]) -> None:
    """Store a file's courses, sessions and cohorts (all or nothing)."""
    with input_errors():
        instance = parse_training(read_text(file))
        with transaction() as session:
            import_training(session, instance)
    console.print(
        f"Imported {len(instance.sessions)} sessions and {len(instance.cohorts)} cohorts."
    )


@app.command("plans")
def plans() -> None:
    """List the saved training plans, oldest first, to compare them over time."""
    print_plans(training.KIND, "Training plans")


def _split_delay(text: str) -> tuple[str, int]:
    hub, _, days = text.partition(":")
    if not hub or not days.isdigit():
        fail(f"--delay-hub: {text!r} is not HUB:DAYS")
    return hub, int(days)


def _what_if_words(what_if: dict[str, Any]) -> str:
    """The what-if in words: "HUB_POL handles 7 days slower; USA's offers are gone"."""
    words = []
    if "delay_hub" in what_if:
        hub = what_if["delay_hub"]
        words.append(f"{hub['hub']} handles {hub['days']} days slower")
    if "drop_donor" in what_if:
        words.append(f"{what_if['drop_donor']}'s offers and consignments are gone")
    return "; ".join(words)


def readiness(
    as_json: Annotated[bool, typer.Option("--json", help="print ramstein.readiness/1")] = False,
    delay_hub: Annotated[
        str | None, typer.Option(help="HUB:DAYS, handling at the hub takes that much longer")
    ] = None,
    drop_donor: Annotated[
        str | None, typer.Option(help="ISO3: the donor's offers and consignments are gone")
    ] = None,
) -> None:
    """When each delivered unit is usable: equipment there and crew trained; with what-ifs."""
    with input_errors():
        with transaction() as session:
            inputs = ready.current_inputs(session)
        base = ready.compute(inputs)
        what_if: dict[str, Any] | None = None
        changed: list[CapabilityReadiness] | None = None
        if delay_hub or drop_donor:
            copy = inputs
            what_if = {}
            if delay_hub:
                hub, days = _split_delay(delay_hub)
                copy = ready.delay_hub(copy, hub, days)
                what_if["delay_hub"] = {"hub": hub, "days": days}
            if drop_donor:
                copy = ready.drop_donor(copy, drop_donor.upper())
                what_if["drop_donor"] = drop_donor.upper()
            changed = ready.compute(copy)
    changes = slips(base, changed) if changed is not None else None
    if as_json:
        print(json.dumps(readiness_document(base, what_if, changes, changed), indent=2))
        return
    console.print(readiness_table(base))
    if changes is not None:
        console.print(slips_table(f"What if {_what_if_words(what_if or {})}", changes))
