"""Reading `protocol.toml`: the document checked and turned into Rules, or refused.

msgspec converts the TOML into the tables below and refuses anything they do not name: an
unknown key, a missing number, a category or phase that does not exist, a number below its
limit. Then what no type can say is checked: placeholders, the order of the gate days, the
decision thresholds, reserved ids, the how-to steps. Loaded only when the protocol is read
from its TOML (no cache yet, a changed protocol, or a test's document), so the start of a
program that finds the cache never defines these tables.
"""

import re
import string
from collections.abc import Iterable
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from planner.model import Category, Distance, Phase
from planner.rules import (
    CALLS,
    DECISION_TEXTS,
    HOW_LINES,
    HOW_WIDTH,
    KINDS,
    MUSCLES,
    NEEDS_HOW,
    PLACEHOLDERS,
    CallText,
    Condition,
    Count,
    DecisionRules,
    DistanceRule,
    Fraction,
    GateDays,
    GateTest,
    KindName,
    KindRule,
    MuscleName,
    NeverRule,
    PainRules,
    PhaseInfo,
    Positive,
    RedFlag,
    Rules,
    RulesError,
    Running,
    Taper,
    Template,
    all_templates,
)

# ----------------------------------------------------------------------------- the file
#
# The tables of protocol.toml whose shape differs from the records above, as msgspec reads
# them: the records are made from them once what no type can say is checked. In each, the
# keys are in the order a problem is reported: the first missing one is named first.


class _Table(msgspec.Struct, forbid_unknown_fields=True):
    """A table of protocol.toml: a key it doesn't name is refused (a typo fails loudly)."""


class _When(_Table):
    """The keys that say when a task or a `never` rule applies: a Condition's fields, with
    a day by injury class (`from_day`, `until_day`) given as one day for all or a table."""

    phases: Annotated[frozenset[Phase], Meta(min_length=1)] | None = None
    kinds: Annotated[frozenset[KindName], Meta(min_length=1)] | None = None
    distances: Annotated[frozenset[Distance], Meta(min_length=1)] | None = None
    from_day: int | dict[str, Any] | None = None
    until_day: int | dict[str, Any] | None = None
    from_race: int | None = None
    until_race: int | None = None
    run_day: bool | None = None
    gate_day: bool | None = None
    plan_day: bool | None = None
    before_gate: Positive | None = None
    racing: bool | None = None
    strength_day: bool | None = None
    heel_day: bool | None = None
    daily_raises: bool | None = None
    protect_again: bool | None = None
    on_days: Annotated[frozenset[int], Meta(min_length=1)] | None = None
    on_race: Annotated[frozenset[int], Meta(min_length=1)] | None = None
    last_day: bool | None = None
    muscles: Annotated[frozenset[MuscleName], Meta(min_length=1)] | None = None
    recurrent: bool | None = None
    rest_day: bool | None = None
    intervals_day: bool | None = None


class _TaskTable(_When, kw_only=True):
    """A `[[tasks]]` template: what to do, and when.

    It names `_NamedTask`'s keys again: a Struct takes fields from one base only, and
    this one takes `_When`'s (which `[[never]]` shares)."""

    category: Category
    id: str
    title: str
    dose: str
    why: str
    minutes: Positive | None = None
    sets: Positive | None = None
    reps: Positive | None = None
    hold_s: Positive | None = None
    once: bool = False
    how: list[str] | None = None


class _Dose(_Table, kw_only=True):
    """What every task template says: its words and how much."""

    title: str
    dose: str
    why: str
    minutes: Positive | None = None
    sets: Positive | None = None
    reps: Positive | None = None
    hold_s: Positive | None = None
    how: list[str] | None = None


class _NamedTask(_Dose, kw_only=True):
    """A template placed by the engine itself (the gate, the day off racing, the swap)."""

    category: Category
    id: str


class _Step(_Dose, kw_only=True):
    """A running template: its id is `run`, and it is a run unless it says otherwise."""

    category: Category = Category.RUN


class _NeverTable(_When, kw_only=True):
    """A `[[never]]` rule."""

    categories: Annotated[frozenset[Category], Meta(min_length=1)]
    why: str


def _keyed(name: str, keys: Iterable[str], kind: Any) -> Any:
    """A table that has exactly `keys` (no other), each holding a `kind`."""
    fields = []
    for key in keys:
        attribute = key.replace("-", "_")
        attribute = attribute if attribute.isidentifier() else f"_{attribute}"
        fields.append((attribute, kind, msgspec.field(name=key)))
    return msgspec.defstruct(name, fields, bases=(_Table,))


def _by_key(table: msgspec.Struct) -> dict[str, Any]:
    """A `_keyed` table as a dict by its keys."""
    keys = type(table).__struct_encode_fields__
    return dict(zip(keys, msgspec.structs.astuple(table), strict=True))


_GateByMuscle = _keyed("_GateByMuscle", MUSCLES, GateDays)


class _KindTable(_Table):
    gate: _GateByMuscle
    label: str
    protect_days: Positive
    single_leg_from: Positive
    gate_before_race: Positive
    typical_return_day: Count
    return_text: str


class _RunningTable(_Table):
    ladder: Annotated[list[_Step], Meta(min_length=1)]
    spike_factor: Annotated[float, Meta(gt=1, le=2)]
    sprint: Annotated[list[_Step], Meta(min_length=1)]
    easy: _Step
    long: _Step
    strides: _Step
    shakeout: _Step
    step_every_days: Positive
    easy_step: Count
    long_every: Positive
    long_step: Positive
    long_share: Fraction
    spike_window_days: Annotated[int, Meta(ge=7)]
    spike_free_minutes: Count
    ladder_repeats: Positive


class _PainTable(_Table):
    green_max: Count
    amber_max: Count
    clear_below: Positive
    clinician: str
    swap: _NamedTask


_Texts = _keyed("_Texts", DECISION_TEXTS, str)


class _DecisionTable(_Table):
    race: CallText
    run_walk: CallText = msgspec.field(name="run-walk")
    dont_start: CallText = msgspec.field(name="dont-start")
    texts: _Texts
    race_fraction: Fraction
    race_runs: Positive
    race_max_pain: Count
    run_walk_fraction: Fraction
    run_walk_runs: Positive
    run_walk_max_pain: Count
    cramp_runs: Positive
    pain_free_max: Count
    window_days: Positive
    log_max_age_days: Count
    rest_days: Positive
    grade2_min_days: Count
    sprint_days: Positive


class _Grade3(_Table):
    advice: str


class _Warning(_Table):
    too_soon: str
    too_soon_sprint: str
    no_race: str


class _After(_Table):
    no_race_days: Positive


_Kinds = _keyed("_Kinds", KINDS, _KindTable)
_Distances = _keyed("_Distances", (d.value for d in Distance), DistanceRule)
_Phases = _keyed("_Phases", (p.value for p in Phase), PhaseInfo)


class _Version(msgspec.Struct):
    version: int


class _Protocol(_Table):
    version: int
    kinds: _Kinds
    distances: _Distances
    phases: _Phases
    taper: Taper
    tasks: list[_TaskTable]
    never: list[_NeverTable]
    red_flags: list[RedFlag]
    gate_test: GateTest
    pain: _PainTable
    decision: _DecisionTable
    grade3: _Grade3
    warning: _Warning
    after: _After
    gate: _NamedTask
    no_race_day: _NamedTask
    running: _RunningTable


# ----------------------------------------------------------------------------- reading


def parse_rules(doc: dict, source: str = "protocol.toml") -> Rules:
    """Check a parsed protocol document and return it as Rules, or raise RulesError."""
    version = _converted(doc, _Version, source).version
    if version != 1:
        raise RulesError(f"{source}.version: only version 1 is understood")
    table = _converted(doc, _Protocol, source)

    kinds = {}
    for name, kind in _by_key(table.kinds).items():
        where = f"{source}.kinds.{name}"
        gates = _by_key(kind.gate)
        # A strain's gate comes after two days of single-leg raises (and outside protect);
        # a cramp's day-1 check is its gate. The usual day is never before the earliest.
        first = kind.protect_days
        if name != "cramp":
            first = max(first, kind.single_leg_from + 2)
        for muscle, days in gates.items():
            if days.earliest < first or days.usual < days.earliest:
                raise RulesError(
                    f"{where}.gate.{muscle}: need {first} <= earliest <= usual "
                    "(after protect, and for a strain after two days of single-leg raises)"
                )
        kinds[name] = KindRule(
            label=kind.label,
            protect_days=kind.protect_days,
            single_leg_from=kind.single_leg_from,
            gate=gates,
            gate_before_race=kind.gate_before_race,
            typical_return_day=kind.typical_return_day,
            return_text=kind.return_text,
        )

    distances = {Distance(key): rule for key, rule in _by_key(table.distances).items()}
    for distance, rule in distances.items():
        if rule.finish_range is not None and rule.finish_range[0] > rule.finish_range[1]:
            where = f"{source}.distances.{distance.value}.finish_range"
            raise RulesError(f"{where}: expected [low, high], whole minutes")
    phases = {Phase(key): info for key, info in _by_key(table.phases).items()}

    taper = table.taper
    if taper.target_cut < taper.min_cut:
        raise RulesError(f"{source}.taper.target_cut: must be at least min_cut")

    tasks = tuple(_template(t, f"{source}.tasks[{i}]") for i, t in enumerate(table.tasks))
    reserved = {"run", "gate", "dont-start"}
    for i, template in enumerate(tasks):
        if template.id in reserved:
            raise RulesError(f"{source}.tasks[{i}].id: {template.id!r} is reserved")
        if template.category in NEEDS_HOW and not template.how:
            raise RulesError(
                f"{source}.tasks[{i}].how: missing; every {template.category.value} "
                "template says how it is done"
            )

    never = tuple(
        NeverRule(rule.categories, _condition(rule, f"{source}.never[{i}]"), rule.why)
        for i, rule in enumerate(table.never)
    )

    red_flags = tuple(table.red_flags)
    if len({f.id for f in red_flags}) != len(red_flags):
        raise RulesError(f"{source}.red_flags: ids must be unique")

    where = f"{source}.pain"
    pain = PainRules(
        green_max=table.pain.green_max,
        amber_max=table.pain.amber_max,
        clear_below=table.pain.clear_below,
        clinician=table.pain.clinician,
        swap=_template(table.pain.swap, f"{where}.swap"),
    )
    if not 0 <= pain.green_max < pain.amber_max < 10:
        raise RulesError(f"{where}: need 0 <= green_max < amber_max < 10")
    if "{minutes}" not in pain.swap.title:
        raise RulesError(f"{where}.swap.title: must say {{minutes}}")

    decision = _decision(table.decision, pain, f"{source}.decision")

    rules = Rules(
        kinds=kinds,
        distances=distances,
        phases=phases,
        gate=_template(table.gate, f"{source}.gate"),
        no_race_day=_template(table.no_race_day, f"{source}.no_race_day"),
        running=_running(table.running, f"{source}.running"),
        taper=taper,
        tasks=tasks,
        never=never,
        grade3_advice=table.grade3.advice,
        too_soon_warning=table.warning.too_soon,
        too_soon_sprint_warning=table.warning.too_soon_sprint,
        no_race_warning=table.warning.no_race,
        no_race_after_days=table.after.no_race_days,
        red_flags=red_flags,
        gate_test=table.gate_test,
        pain=pain,
        decision=decision,
    )
    _check_how_is_one(rules, source)
    return rules


def _check_text(text: str, where: str) -> str:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise RulesError(f"{where}: unknown placeholder {{{name}}}")
    return text


def _template(table: _TaskTable | _Dose, where: str) -> Template:
    """A task template read from `table`, once what its type can't say is checked."""
    for key in ("title", "dose", "why"):
        _check_text(getattr(table, key), f"{where}.{key}")
    template = Template(
        id=getattr(table, "id", "run"),  # a running step's id is `run`
        category=table.category,
        title=table.title,
        dose=table.dose,
        why=table.why,
        minutes=table.minutes,
        sets=table.sets,
        reps=table.reps,
        hold_s=table.hold_s,
    )
    if isinstance(table, _TaskTable):
        template.when = _condition(table, where)
        template.once = table.once
    if table.how is not None:
        template.how = _checked_how(table.how, f"{where}.how")
    if not template.id or not template.title.strip():
        raise RulesError(f"{where}: a task needs an id and a title")
    carries_minutes = template.minutes is not None or "{minutes}" in template.title
    if template.category in (Category.RUN, Category.WALK) and not carries_minutes:
        raise RulesError(f"{where}: runs and walks must carry minutes")
    return template


_CONDITION = Condition.__struct_fields__


def _condition(table: _When, where: str) -> Condition:
    """The Condition the keys of `table` say; a day by injury class becomes a table."""
    when = Condition(*(getattr(table, name) for name in _CONDITION))
    when.from_day = _day_table(table.from_day, table.kinds, f"{where}.from_day")
    when.until_day = _day_table(table.until_day, table.kinds, f"{where}.until_day")
    return when


def _day_table(value: Any, kinds: frozenset[str] | None, where: str) -> dict[str, int] | None:
    """A day since the injury by injury class: one for all, or one for each class the
    template is for."""
    if value is None:
        return None
    if isinstance(value, int):
        return dict.fromkeys(KINDS, value)
    missing = sorted((kinds or frozenset(KINDS)) - set(value))
    if missing:
        raise RulesError(f"{where}: no day for {missing[0]!r}")
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        raise RulesError(f"{where}: unknown injury class {unknown[0]!r}")
    if not all(type(v) is int for v in value.values()):
        raise RulesError(f"{where}: days must be whole numbers")
    return dict(value)


def _running(table: _RunningTable, where: str) -> Running:
    ladder = tuple(_template(t, f"{where}.ladder[{i}]") for i, t in enumerate(table.ladder))
    sprint = tuple(_template(t, f"{where}.sprint[{i}]") for i, t in enumerate(table.sprint))
    if any(t.minutes is None for t in sprint):
        raise RulesError(f"{where}.sprint: needs steps, each with minutes")
    running = Running(
        ladder=ladder,
        easy=_template(table.easy, f"{where}.easy"),
        long=_template(table.long, f"{where}.long"),
        strides=_template(table.strides, f"{where}.strides"),
        shakeout=_template(table.shakeout, f"{where}.shakeout"),
        step_every_days=table.step_every_days,
        easy_step=table.easy_step,
        long_every=table.long_every,
        long_step=table.long_step,
        long_share=table.long_share,
        spike_factor=table.spike_factor,
        spike_window_days=table.spike_window_days,
        spike_free_minutes=table.spike_free_minutes,
        ladder_repeats=table.ladder_repeats,
        sprint=sprint,
    )
    if running.shakeout.minutes is None:
        raise RulesError(f"{where}.shakeout.minutes: missing")
    return running


def _decision(table: _DecisionTable, pain: PainRules, where: str) -> DecisionRules:
    """The race-day call's rules; refuses thresholds that would let a looser call demand
    more than a stricter one, or let anyone start without a run or a green pain log."""
    calls = dict(zip(CALLS, (table.race, table.run_walk, table.dont_start), strict=True))
    if calls["dont-start"].if_you_start is None:
        raise RulesError(f"{where}.dont-start.if_you_start: missing")
    texts = _by_key(table.texts)
    for key, allowed in DECISION_TEXTS.items():
        for _, name, _, _ in string.Formatter().parse(texts[key]):
            if name is not None and name not in allowed:
                raise RulesError(f"{where}.texts.{key}: unknown placeholder {{{name}}}")
    rules = DecisionRules(
        race_fraction=table.race_fraction,
        race_runs=table.race_runs,
        race_max_pain=table.race_max_pain,
        run_walk_fraction=table.run_walk_fraction,
        run_walk_runs=table.run_walk_runs,
        run_walk_max_pain=table.run_walk_max_pain,
        cramp_runs=table.cramp_runs,
        pain_free_max=table.pain_free_max,
        window_days=table.window_days,
        log_max_age_days=table.log_max_age_days,
        rest_days=table.rest_days,
        grade2_min_days=table.grade2_min_days,
        sprint_days=table.sprint_days,
        calls=calls,
        texts=texts,
    )
    if rules.run_walk_fraction > rules.race_fraction or rules.run_walk_runs > rules.race_runs:
        raise RulesError(f"{where}: run-walk can't need more than racing")
    if not rules.race_max_pain <= rules.run_walk_max_pain <= pain.green_max:
        raise RulesError(f"{where}: need race_max_pain <= run_walk_max_pain <= pain.green_max")
    if rules.pain_free_max > pain.green_max:
        raise RulesError(f"{where}.pain_free_max: a pain-free run is at most green")
    return rules


# ------------------------------------------------------------------------- how-tos


def _checked_how(how: list[str], where: str) -> tuple[str, ...]:
    """An exercise's steps, refused unless there are 4-6 lines, each one printable line of
    at most HOW_WIDTH characters without a placeholder (nothing fills one in a step)."""
    low, high = HOW_LINES
    if not low <= len(how) <= high:
        raise RulesError(f"{where}: {low}-{high} lines, not {len(how)}")
    for i, line in enumerate(how):
        if not line.strip() or line != line.strip() or not line.isprintable():
            raise RulesError(f"{where}[{i}]: one line of text, without blanks around it")
        if len(line) > HOW_WIDTH:
            raise RulesError(f"{where}[{i}]: {len(line)} characters; at most {HOW_WIDTH}")
        if "{" in line or "}" in line:
            raise RulesError(f"{where}[{i}]: no placeholders in a step (say 'the sore leg')")
    return tuple(how)


def _check_how_is_one(rules: Rules, source: str) -> None:
    """Templates that share an id and a title, and can meet in one plan (their injury
    classes overlap), must say the same steps: a task made from either would otherwise
    get whichever `how_to` met first."""
    seen: dict[tuple[str, str], list[Template]] = {}
    for template in all_templates(rules):
        for other in seen.setdefault((template.id, template.title), []):
            mine, theirs = template.when.kinds, other.when.kinds
            overlap = mine is None or theirs is None or bool(mine & theirs)
            if overlap and other.how != template.how:
                raise RulesError(
                    f"{source}: two {template.id!r} templates titled {template.title!r} "
                    "say different steps (`how`); make them the same, or the titles differ"
                )
        seen[(template.id, template.title)].append(template)


# ------------------------------------------------------------------------- refusals


def _converted(doc: Any, kind: Any, source: str) -> Any:
    """`doc` as `kind`, or RulesError naming the key and what is wrong with it."""
    try:
        return msgspec.convert(doc, kind)
    except msgspec.ValidationError as error:
        raise RulesError(_refusal(str(error), kind, doc, source)) from None


def _allowed(enum: Any) -> str:
    return ", ".join(m.value for m in enum)


# What a list of names must hold, in the words of the messages, for a refusal of the list
# or of one of its items: (the list is empty, an item is wrong). For the `category` of a
# task, an unknown value. `{value!r}` is the value the file has for the key.
_SAYS: dict[str, tuple[str | None, str | None]] = {
    "phases": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Phase)}",
    ),
    "distances": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Distance)}",
    ),
    "categories": (
        "expected a non-empty list",
        f"unknown value in {{value!r}}; allowed: {_allowed(Category)}",
    ),
    "kinds": (f"use {', '.join(KINDS)}",) * 2,
    "muscles": (f"use {', '.join(MUSCLES)}",) * 2,
    "on_days": ("expected a non-empty list of whole numbers",) * 2,
    "on_race": ("expected a non-empty list of whole numbers",) * 2,
    "finish_range": ("expected [low, high], whole minutes",) * 2,
    "ladder": ("needs at least one step", None),
    "sprint": ("needs steps, each with minutes", None),
    "category": (None, "unknown category {value!r}"),
}
# msgspec's names of what it expected, as the messages name them.
_NAMES = {"object": "dict", "array": "list", "float": "int or float"}
_PATH_PART = r"\.([^.\[]+)|\[(\d+|\.\.\.)\]"  # msgspec's path: $.tasks[3].phases


def _refusal(message: str, kind: Any, doc: Any, source: str) -> str:
    """The message for msgspec's refusal of `doc` as `kind`: the key (`source.kinds.grade1.
    gate`) and what is wrong, as the protocol's editor reads it."""
    from msgspec import inspect  # for a protocol we refuse only

    what, _, at = message.partition(" - at `")
    path = [int(i) if i.isdigit() else f or i for f, i in re.findall(_PATH_PART, at[1:-1])]
    missing = re.match(r"Object missing required field `(.+)`", what)
    if missing:
        path.append(missing.group(1))
    # The place msgspec names, step by step: the key, its type and the file's value.
    steps = [(source, inspect.type_info(kind), doc)]
    for part in path:
        where, info, value = steps[-1]
        info = _unwrapped(info)
        if isinstance(info, inspect.StructType):
            info = next(f.type for f in info.fields if f.encode_name == part)
            where = f"{where}.{part}"
        elif isinstance(info, inspect.TupleType):
            info, where = info.item_types[part], f"{where}[{part}]"
        else:
            info, where = info.item_type, f"{where}[{part}]"
        if part == "...":
            break
        value = value[part] if not missing or part != path[-1] else None
        steps.append((where, info, value))
    where, info, value = steps[-1]
    if missing:
        return f"{where}: missing"
    unknown = re.match(r"Object contains unknown field `", what)
    if unknown:
        known = _unwrapped(info).cls.__struct_encode_fields__
        return f"{where}: unknown key {sorted(set(value) - set(known))[0]!r}"
    for depth, (place, field_info, field_value) in enumerate(steps[1:], 1):
        says = _SAYS.get(path[depth - 1]) if isinstance(path[depth - 1], str) else None
        if says is None:
            continue
        empty, wrong = says
        if depth == len(steps) - 1:  # the key itself
            words = empty if "of length" in what else wrong if "Invalid enum" in what else None
        else:  # an item in it
            words = wrong if _is_list(field_info) else None
        if words is not None:
            return f"{place}: {words.format(value=field_value)}"
    info = _unwrapped(info)
    if what.startswith("Expected `object`, got") and (not path or isinstance(path[-1], int)):
        return f"{where}: expected a table"
    if isinstance(info, inspect.IntType) and type(value) is int:
        return f"{where}: must be at least {info.ge}"
    if isinstance(info, inspect.FloatType) and type(value) in (int, float):
        low = f"from {info.ge:g}" if info.ge is not None else f"above {info.gt:g}"
        high = f"to below {info.lt:g}" if info.lt is not None else f"and at most {info.le:g}"
        return f"{where}: must be {low} {high}"
    expected = re.match(r"Expected `([^`]+)`, got", what)
    if expected:
        names = [_NAMES.get(n, n) for n in expected.group(1).split(" | ") if n != "null"]
        return f"{where}: expected {' or '.join(names)}, got {value!r}"
    return f"{where}: {what}"


def _unwrapped(info: Any) -> Any:
    """The type of an optional value (`int | None`: int)."""
    from msgspec import inspect

    if isinstance(info, inspect.UnionType):
        types = [t for t in info.types if not isinstance(t, inspect.NoneType)]
        return types[0] if len(types) == 1 else info
    return info


def _is_list(info: Any) -> bool:
    from msgspec import inspect

    kinds = (inspect.ListType, inspect.FrozenSetType, inspect.TupleType, inspect.SetType)
    return isinstance(_unwrapped(info), kinds)
