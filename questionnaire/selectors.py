"""The questionnaire's database reads: each returns what a view or template renders, in fixed queries."""

import datetime
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.db.models import FilteredRelation
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from causes.models import Cause, MovedPage
from causes.selectors import Link, general_care_cards, page_part, urgency_level
from core.cache import versioned
from editorial import lifecycle
from editorial.lifecycle import Status

from .matching import AnswerOption, AskedQuestion, CauseData, asked, match
from .models import Option, OptionWeight, Question, Release
from .safety import QuestionnaireData


@dataclass(frozen=True)
class CausePage:
    """What the results page shows of a matched cause beyond its title: its summary and published remedies."""

    url: str
    summary: str
    remedies: tuple[Link, ...]


@dataclass(frozen=True)
class Questionnaire:
    """The questionnaire in one state, built into what the form, matching and the results page use.

    Keyed by id from the release to the results: each option carries its weights as (cause id,
    weight), for live causes only, and `causes` holds exactly those causes.
    """

    questions: tuple[AskedQuestion, ...]
    causes: Mapping[int, CauseData]
    pages: Mapping[int, CausePage]  # by cause id
    reviewed_by: str = ""  # the approving reviewer's public name and role; empty before the first release
    approved_at: datetime.datetime | None = None

    @property
    def shortest(self) -> tuple[AskedQuestion, ...]:
        """The questions every reader is asked: the path of a reader whose answers open no follow-up."""
        return asked(self.questions, ())

    @property
    def has_follow_ups(self) -> bool:
        return len(self.shortest) < len(self.questions)

    @cached_property
    def minutes(self) -> int:
        """About how long the shortest path takes: reading every word on its pages, and a moment to answer each."""
        words = sum(
            len(re.findall(r"[\w’'-]+", text))
            for question in self.shortest
            for text in (question.text, question.help_text, *(o.label for o in question.options), *_groups(question))
        )
        return max(1, math.ceil(words / READING_SPEED + len(self.shortest) * SECONDS_TO_ANSWER / 60))


READING_SPEED = 200  # words a minute: plain text read with care on a phone (adults average about 240)
SECONDS_TO_ANSWER = 5  # to choose and press Continue, once a page is read


def _groups(question: AskedQuestion) -> list[str]:
    """The group headings a question's page shows, once each."""
    return list(dict.fromkeys(option.group for option in question.options if option.group))


States = Literal["live", "saved", "drafts"]


def load(state: States = "live") -> Questionnaire:
    """The questionnaire in one state, read fresh (at most 4 queries).

    "live": as readers get it now, as the latest release approved it (or as saved before a site's
    first release), less any question whose publish time has not come. "saved": the published
    questions as editors have saved them, which the next release would make live. "drafts": as
    saved, with every draft question published too. A question with no options is left out, and
    weights count only for causes live now, as on the results page.
    """
    release = Release.objects.only("snapshot", "reviewed_by", "approved_at").first() if state == "live" else None
    if release is not None:
        entries = release.snapshot.get("questions", [])
    else:
        entries = _saved(drafts=state == "drafts")
    now = timezone.now()
    if state != "drafts":
        entries = [entry for entry in entries if lifecycle.is_live(entry["status"], _time(entry["publish_at"]), now)]
    causes, pages = _causes({pair[0] for entry in entries for item in entry["options"] for pair in item["weights"]})
    questions = _built(entries, causes)
    return Questionnaire(
        questions=questions,
        causes=causes,
        pages=pages,
        reviewed_by=release.reviewed_by if release else "",
        approved_at=release.approved_at if release else None,
    )


def _built(entries: list[dict], causes: Mapping[int, CauseData]) -> tuple[AskedQuestion, ...]:
    """The entries as readers' questions, in order, with weights for these causes only.

    A follow-up is kept only if the answer that opens it belongs to a question kept before it, so
    a reader can reach it; the safety cases then name any answer that could not be reached.
    """
    questions: list[AskedQuestion] = []
    labels: dict[int, str] = {}  # the answers seen so far, which may open a follow-up
    for entry in entries:
        trigger = entry.get("asked_if_id")
        if trigger is not None and trigger not in labels:
            continue
        options = tuple(
            AnswerOption(
                id=item["id"],
                label=item["label"],
                urgency=item["urgency"],
                advice=item["advice"],
                red_flag=entry["red_flag"],
                weights=tuple((cause_id, weight) for cause_id, weight in item["weights"] if cause_id in causes),
                group=item["group"],
                asked_if=trigger,
            )
            for item in entry["options"]
        )
        labels.update((option.id, option.label) for option in options)
        questions.append(
            AskedQuestion(
                id=entry["id"],
                key=entry["key"],
                text=entry["text"],
                help_text=entry["help_text"],
                kind=entry["kind"],
                red_flag=entry["red_flag"],
                options=options,
                asked_if=trigger,
                opened_by=labels[trigger] if trigger is not None else "",
            )
        )
    return tuple(questions)


def _causes(ids: set[int]) -> tuple[dict[int, CauseData], dict[int, CausePage]]:
    """The live causes among these, with what the results page shows of each (1 query)."""
    live_remedy = FilteredRelation("remedies", condition=lifecycle.live_q("remedies__"))
    rows = (
        Cause.objects.published()
        .filter(pk__in=ids)
        .annotate(live_remedy=live_remedy)
        .values_list("pk", "slug", "title", "urgency", "summary", "live_remedy__slug", "live_remedy__title")
        .order_by("pk", "live_remedy__title")
    )
    causes: dict[int, CauseData] = {}
    remedies: dict[int, list[Link]] = {}
    summaries: dict[int, str] = {}
    for pk, slug, title, urgency, summary, remedy_slug, remedy_title in rows:
        if pk not in causes:
            causes[pk], summaries[pk], remedies[pk] = CauseData(pk, slug, title, urgency), summary, []
        if remedy_slug is not None:
            remedies[pk].append(Link(remedy_title, reverse("causes:remedy-detail", args=[remedy_slug])))
    pages = {
        pk: CausePage(reverse("causes:cause-detail", args=[cause.slug]), summaries[pk], tuple(remedies[pk]))
        for pk, cause in causes.items()
    }
    return causes, pages


def _time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def live_release() -> Questionnaire:
    """The questionnaire as readers get it now (`load("live")`, cached by content version)."""
    return versioned("questionnaire", load)


Questions = list[tuple[AskedQuestion, list[AnswerOption]]]  # each live question with its options, in order


def published_questions() -> Questions:
    """The live questions in order, each with its options, as the form takes them (cached by content version)."""
    return [(question, list(question.options)) for question in live_release().questions]


# --- Releases: the questionnaire a clinical reviewer approved, kept whole at approval ------------------

QUESTION_FIELDS = ("id", "key", "text", "help_text", "kind", "red_flag", "order", "status", "asked_if_id")
OPTION_FIELDS = ("id", "question_id", "label", "order", "urgency", "advice", "group", "sign_id")


def snapshot() -> dict:
    """The published questionnaire as saved now, as plain data for a release (2 queries).

    Computed once, when a reviewer approves, so readers' pages never rebuild it from history.
    Scheduled questions are in it too: readers' pages check the time.
    """
    return {"questions": _saved(drafts=False)}


def _saved(*, drafts: bool) -> list[dict]:
    """The questions as saved, with their options and weights, in the release's form (2 queries).

    Published ones (scheduled included), or with `drafts` every one; a question with no options is left out.
    """
    # Option's default ordering follows its question's (red flags first), then the option's own order.
    questions = Question.objects.all() if drafts else Question.objects.filter(status=Status.PUBLISHED)
    options = Option.objects.filter(question__in=questions).select_related("question")
    weights = OptionWeight.objects.filter(option__question__in=questions).order_by("option_id", "-weight", "cause_id")
    by_option: dict[int, list[list[int]]] = defaultdict(list)
    for option_id, cause_id, weight in weights.values_list("option_id", "cause_id", "weight"):
        by_option[option_id].append([cause_id, weight])
    found: dict[int, dict] = {}
    for option in options:
        question = option.question
        entry = found.setdefault(
            question.pk,
            {
                **{name: getattr(question, name) for name in QUESTION_FIELDS},
                "publish_at": question.publish_at.isoformat() if question.publish_at else None,
                "options": [],
            },
        )
        entry["options"].append({**{n: getattr(option, n) for n in OPTION_FIELDS}, "weights": by_option[option.pk]})
    return list(found.values())


def results(answers: Sequence[tuple[AskedQuestion, Sequence[AnswerOption]]]) -> dict:
    """Everything the results page shows for these answers (no queries with a warm cache).

    The answers are each question with the options the form chose from `published_questions()`;
    they carry their own weights. The answers themselves are never cached, stored or logged.
    """
    questionnaire = live_release()
    chosen = [option for _, options in answers for option in options]
    cause_ids = {cause_id for option in chosen for cause_id, _ in option.weights}
    result = match([questionnaire.causes[pk] for pk in cause_ids if pk in questionnaire.causes], chosen)
    see_a_gp = next((card for card in general_care_cards() if card.level.value == "see_doctor"), None)
    return {
        "result": result,
        "level": urgency_level(result.triage.level),
        # What would change a self-care result: the general signs that mean seeing a GP.
        "changes": {"heading": see_a_gp.level.card_heading, "signs": [sign.text for sign in see_a_gp.signs]}
        if see_a_gp
        else None,
        "tips": page_part("results-tips"),
        "matches": [(found, questionnaire.pages[found.cause.id]) for found in result.matches],
        "answers": [
            (question.text, [option.label for option in options] or ["Not answered"]) for question, options in answers
        ],
    }


def safety_data(*, state: States = "live", questionnaire: Questionnaire | None = None) -> QuestionnaireData:
    """The questionnaire the safety cases run on, read fresh (`load(state)` and 2 queries, never cached).

    With every cause's title and the old slugs of renamed causes, so a case written with a cause's
    old slug still finds it, and reports name causes by title. A caller that has just loaded the
    state passes it as `questionnaire`, so it is not read twice.
    """
    questionnaire = questionnaire or load(state)
    answers = {
        (question.key, option.label): option for question in questionnaire.questions for option in question.options
    }
    titles, moved = _cause_names()
    return QuestionnaireData(answers=answers, causes=questionnaire.causes, titles=titles, moved=moved)


def _cause_names() -> tuple[dict[str, str], dict[str, str]]:
    """Every cause's title by its slug, and each old slug of a renamed cause with its slug now (2 queries)."""
    slugs, titles = {}, {}
    for pk, slug, title in Cause.objects.values_list("pk", "slug", "title"):
        slugs[pk], titles[slug] = slug, title
    moved = {}
    for old_path, object_id in MovedPage.objects.filter(
        content_type__app_label="causes", content_type__model="cause"
    ).values_list("old_path", "object_id"):
        try:
            found = resolve(old_path)
        except Resolver404:
            continue
        if found.view_name == "causes:cause-detail" and object_id in slugs:
            moved[found.kwargs["slug"]] = slugs[object_id]
    return titles, moved
