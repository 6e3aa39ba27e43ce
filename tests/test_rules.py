"""The protocol data loads, and the loader refuses data it does not understand."""

import copy
from importlib import resources

import pytest
import tomli

from planner.model import Category, Phase
from planner.rules import RulesError, load_rules, parse_rules


@pytest.fixture
def doc():
    text = resources.files("planner.rules").joinpath("protocol.toml").read_text("utf-8")
    return tomli.loads(text)


def test_shipped_protocol_loads_with_every_phase_and_distance():
    rules = load_rules()
    assert set(rules.phases) == set(Phase)
    assert {k.taper_days for k in rules.distances.values()} == {5, 7, 10, 14}
    # protocol 2's gate table: (earliest, usual) by muscle, single-leg raises from a day
    table = {
        k: (rules.kinds[k].single_leg_from, {m: (g.earliest, g.usual) for m, g in gates.items()})
        for k, gates in ((k, rules.kinds[k].gate) for k in ("cramp", "grade1", "grade2"))
    }
    assert table == {
        "cramp": (1, {"gastrocnemius": (1, 1), "soleus": (1, 1)}),
        "grade1": (4, {"gastrocnemius": (6, 7), "soleus": (6, 10)}),
        "grade2": (10, {"gastrocnemius": (21, 21), "soleus": (24, 24)}),
    }
    assert {k: rules.kinds[k].gate_before_race for k in rules.kinds} == {
        "cramp": 1,
        "grade1": 3,
        "grade2": 3,
    }
    categories = {t.category for t in rules.tasks}
    # every treatment the protocol names has at least one template
    for needed in (
        "ice",
        "heat",
        "massage",
        "calf-raises",
        "heel-drops",
        "stretch",
        "isometric",
        "walk",
        "rest",
        "compression",
        "hydration",
        "check",
        "race",
    ):
        assert Category(needed) in categories


def test_never_rules_cover_the_strain_protect_days(doc):
    rules = parse_rules(doc)
    strain_protect = [
        r
        for r in rules.never
        if r.when.phases == {Phase.PROTECT} and r.when.kinds == {"grade1", "grade2"}
    ]
    assert strain_protect and strain_protect[0].categories >= {
        Category.RUN,
        Category.STRETCH,
        Category.HEAT,
        Category.MASSAGE,
        Category.HEEL_DROPS,
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["tasks"][0].update(colour="red"), "unknown key 'colour'"),
        (lambda d: d["tasks"][0].update(category="yoga"), "unknown category"),
        (lambda d: d["tasks"][0].update(phases=["nap"]), "phases"),
        (lambda d: d["tasks"][0].update(title="Ice the {leg}"), "unknown placeholder"),
        (lambda d: d["tasks"][0].update(from_day={"cramp": 1}), "no day for"),
        (lambda d: d["tasks"][0].update(minutes="ten"), "expected int"),
        (lambda d: d["tasks"][1].pop("minutes"), "must carry minutes"),
        (lambda d: d["kinds"]["grade1"].pop("single_leg_from"), "single_leg_from: missing"),
        (
            lambda d: d["kinds"]["grade1"]["gate"]["soleus"].update(earliest=5),
            "after two days of single-leg raises",
        ),
        (lambda d: d["kinds"]["grade2"]["gate"]["soleus"].update(usual=20), "earliest <= usual"),
        (lambda d: d["taper"].update(min_cut=1.5), "min_cut"),
        (lambda d: d["tasks"][0].update(id="run"), "reserved"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_loader_refuses_bad_data(doc, mutate, message):
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(RulesError, match=message.replace("(", r"\(").replace("{", r"\{")):
        parse_rules(bad)
