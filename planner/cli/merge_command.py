"""planner merge PLAN COPY [--dry-run]: fold a copy of a plan (a sync tool's conflict
copy) into the plan, after saying what it changes; both files are kept."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.common import Context, DataError, UsageError, open_plan, out
from planner.model import clean_text, shown_path
from planner.paths import PlanNotFound, find_plan, is_inside, plans_dir, remember


def _copy_path(ref: str, ctx: Context) -> Path:
    """The COPY argument's file: a path or a plan name, as PLAN is; or a file of the plans
    folder by its name without `.toml` (a conflict copy's name is no plan name's slug)."""
    try:
        return find_plan(ref, ctx.home)
    except PlanNotFound as error:
        folder = plans_dir(ctx.home)
        named = folder / f"{ref}.toml"
        if "/" not in ref and named.is_file() and is_inside(folder, named):
            return named
        raise UsageError(f"COPY: {error}") from None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def cmd_merge(args: argparse.Namespace, ctx: Context) -> int:
    """planner merge: print what merging COPY into PLAN changes, then (unless --dry-run)
    merge, save through the store and keep both originals as backups."""
    from planner.merge import copy_backup_path, plan_backup_path, read_copy, same_plan_problem
    from planner.service import ChangeRefused, PlanSession

    plan_file = open_plan(args.plan, ctx, note_copies=False)
    copy_path = _copy_path(args.copy, ctx)
    if _same_file(plan_file.path, copy_path):
        raise UsageError("COPY: it is PLAN itself; name the other copy (see `planner list`)")
    from planner.conflicts import original_name, same_name

    original = original_name(plan_file.path)
    if original is not None and same_name(original, copy_path.name):
        # The merged plan would be saved under the copy's name and the plan itself moved
        # aside: the plan keeps its name, the copy is the one set aside.
        raise UsageError(
            f"PLAN: {shown_path(plan_file.path.name)} is a conflict copy of COPY; "
            "name the plan first: planner merge COPY PLAN"
        )
    found = read_copy(copy_path)  # a corrupt copy: path:line:col, exit 1, nothing changed
    plan = plan_file.plan
    if plan.read_only or found.plan.read_only:
        newer = plan_file.path if plan.read_only else copy_path
        raise DataError(
            f"{newer}: written by a newer version of the app (schema "
            f"{max(plan.schema_version, found.plan.schema_version)}); this version can't "
            "merge it"
        )
    problem = same_plan_problem(plan, found.plan)
    if problem is not None:
        raise UsageError(f"COPY: not a copy of PLAN: {problem}")
    session = PlanSession(plan_file, ctx.today, lambda: ctx.now, home=ctx.home)
    lines = session.merge_preview(found.plan)
    out(f"Merging {shown_path(copy_path)}")
    out(f"   into {shown_path(plan_file.path)} ({plan.name}):")
    for line in lines:
        out(f"  {line}")
    if not lines:
        out("  nothing of the copy is missing from the plan")
    if args.dry_run:
        keep = shown_path(plan_backup_path(plan_file.path, ctx.now))
        aside = shown_path(copy_backup_path(copy_path, ctx.now))
        out()
        out("Dry run: nothing changed. Without --dry-run:")
        if lines:
            out(f"  the plan is saved with these changes; as it is now, it is kept as {keep}")
        out(f"  the copy is moved out of the plans list (nothing deleted) to {aside}")
        return 0
    try:
        merged = session.merge_file(copy_path)
    except ChangeRefused as error:  # the plan changed meanwhile into another plan's copy
        raise UsageError(f"COPY: not a copy of PLAN: {error}") from None
    out()
    if merged.elsewhere:
        out("Another program saved the plan while it was merged; the merge went onto that")
        out("version. What changed from it:")
        for line in merged.lines or ["nothing of the copy was missing from it"]:
            out(f"  {line}")
    if merged.changed:
        out(f"Saved: {shown_path(plan_file.path)}")
        out(f"Kept: the plan as it was, as {shown_path(merged.plan_backup)}")
    else:
        out(f"Nothing to save: {shown_path(plan_file.path)} is as it was.")
    if merged.copy_moved is not None:
        out(
            f"Kept: the copy, moved out of the plans list (nothing deleted), as "
            f"{shown_path(merged.copy_moved)}"
        )
    else:
        print(
            f"planner: the copy stays where it is: {clean_text(merged.copy_left or '')}",
            file=sys.stderr,
        )
    from planner.advice import clinician_warning

    warning = clinician_warning(session.plan, ctx.today)
    if warning:  # the merged pain log may call for one where neither copy alone did
        out(f"!! {warning}")
    if session.calendar_error is not None:  # the plan is saved all the same
        print(f"planner: saved, but {clean_text(session.calendar_error)}", file=sys.stderr)
    remember(ctx.home, plan_file.path)
    return 0
