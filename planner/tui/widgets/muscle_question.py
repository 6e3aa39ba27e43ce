"""Which calf muscle a strain is in, asked in plain words: how it started and which heel
raise hurts more. The two answers pick the muscle the plan is laid out for.

Soleus strains heal more slowly and come back more often, so anything short of two answers
that agree is planned as soleus (`Muscle.UNSURE`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, RadioButton, RadioSet, Static

from planner.model import Muscle
from planner.tui.dialogs.base import ChoiceSet

# (the muscle the answer points to, the answer as the runner would say it)
STARTS = [
    (Muscle.GASTROCNEMIUS, "Suddenly, sharp, high in the inner calf, while pushing off"),
    (Muscle.SOLEUS, "It built up in a run: tightening, lower and deeper, like a cramp"),
    (Muscle.UNSURE, "Not sure"),
]
WORSE = [
    (Muscle.GASTROCNEMIUS, "Knee straight"),
    (Muscle.SOLEUS, "Knee bent"),
    (Muscle.UNSURE, "Not sure"),
]
PLANNED = {
    Muscle.GASTROCNEMIUS: "Planned as: gastrocnemius strain (usually quicker to heal)",
    Muscle.SOLEUS: "Planned as: soleus strain (slower to heal)",
    Muscle.UNSURE: "Planned as: soleus strain (slower to heal; the answers differ)",
}
NOT_SURE = "Planned as: soleus strain (slower to heal; the safe guess when unsure)"


def pick_muscle(start: Muscle | None, worse: Muscle | None) -> Muscle:
    """The muscle two answers point to: the one both name, else `unsure`."""
    if start is not None and start == worse:
        return start
    return Muscle.UNSURE


def planned_words(start: Muscle | None, worse: Muscle | None) -> str:
    """The line under the questions: what the plan will be laid out for, and why."""
    muscle = pick_muscle(start, worse)
    not_sure = (None, Muscle.UNSURE)
    if muscle == Muscle.UNSURE and (start in not_sure or worse in not_sure):
        return NOT_SURE
    return PLANNED[muscle]


class MuscleQuestions(Vertical):
    """The two questions and the picked muscle; `muscle` is what the form passes on.

    Nothing is chosen at first (a question left unanswered counts as "not sure"); the sets
    are ChoiceSets, so the arrow keys choose the answer they move to and the highlighted
    answer is always the one the plan is made with.
    The radio sets' Changed messages bubble on to the screen, which re-checks the form.
    """

    def compose(self) -> ComposeResult:
        yield Label("Which calf muscle", classes="section-label")
        yield Static("How did it start?", classes="question")
        with ChoiceSet(id="muscle-start"):
            for _, label in STARTS:
                yield RadioButton(label)
        yield Static(
            "Which hurts more: a heel raise with the knee straight, or bent?",
            classes="question",
        )
        with ChoiceSet(id="muscle-worse"):
            for _, label in WORSE:
                yield RadioButton(label)
        yield Static(id="muscle-picked")

    def on_mount(self) -> None:
        self._show()

    def _answer(self, set_id: str, answers: list[tuple[Muscle, str]]) -> Muscle | None:
        index = self.query_one(f"#{set_id}", RadioSet).pressed_index
        return answers[index][0] if 0 <= index < len(answers) else None

    @property
    def answers(self) -> tuple[Muscle | None, Muscle | None]:
        """The muscle each answer points to (None: not answered)."""
        return self._answer("muscle-start", STARTS), self._answer("muscle-worse", WORSE)

    @property
    def muscle(self) -> Muscle:
        """The muscle the two answers pick."""
        return pick_muscle(*self.answers)

    def _show(self) -> None:
        self.query_one("#muscle-picked", Static).update(Text(planned_words(*self.answers)))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show()
