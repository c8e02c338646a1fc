"""The questionnaire's database reads: each returns what a view or template renders, in fixed queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import Resolver404, resolve
from django.utils import timezone

from causes.models import Cause, MovedPage, Remedy
from causes.selectors import general_care_cards, page_part, urgency_level
from core.cache import versioned
from editorial import lifecycle
from editorial.lifecycle import Status

from .matching import Answer, CauseData, match
from .models import Option, OptionWeight, Question, Release
from .safety import QuestionnaireData

Questions = list[tuple[Question, list[Option]]]


def published_questions() -> Questions:
    """The published questions in order, each with its options (cached by content version).

    As the latest release approved them (see `Release`), or as saved before the first release. A
    question with no options is left out.
    """
    return versioned("questionnaire-questions", _load_questions)


def _load_questions() -> Questions:
    released = live_release()
    if released.questions is None:
        return _saved_questions()
    return _live_questions(released.questions)


def _live_questions(questions: Questions) -> Questions:
    """The released questions that are live now: a scheduled one counts from its time, as everywhere."""
    now = timezone.now()
    return [(q, options) for q, options in questions if lifecycle.is_live(q.status, q.publish_at, now)]


def _saved_questions(*, drafts: bool = False) -> Questions:
    """The questions with their options as saved (1 query): published ones, or with `drafts` every one."""
    # Option's default ordering follows its question's (red flags first), then the option's own order.
    chosen = Question.objects.all() if drafts else Question.objects.published()
    options = Option.objects.filter(question__in=chosen).select_related("question")
    questions: dict[int, tuple[Question, list[Option]]] = {}
    for option in options:
        questions.setdefault(option.question_id, (option.question, []))[1].append(option)
    return list(questions.values())


# --- Releases: the questionnaire a clinical reviewer approved, kept whole at approval ------------------

QUESTION_FIELDS = ("id", "key", "text", "help_text", "kind", "red_flag", "order", "status")
OPTION_FIELDS = ("id", "question_id", "label", "order", "urgency", "advice", "group", "sign_id")


def snapshot() -> dict:
    """The published questionnaire as saved now, as plain data for a release (2 queries).

    Computed once, when a reviewer approves, so readers' pages never rebuild it from history.
    """
    questions = Question.objects.filter(status=Status.PUBLISHED)  # scheduled ones too: readers check the time
    options = Option.objects.filter(question__in=questions).select_related("question")
    weights = OptionWeight.objects.filter(option__in=options).values_list("option_id", "cause_id", "weight")
    by_option: dict[int, list[list[int]]] = defaultdict(list)
    for option_id, cause_id, weight in weights:
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
    return {"questions": list(found.values())}


@dataclass(frozen=True)
class Released:
    """The questionnaire as its latest release approved it; `questions` is None before a site's first release."""

    questions: Questions | None
    weights: dict[int, tuple[tuple[int, int], ...]]  # option id: (cause id, weight)
    reviewed_by: str = ""  # the approving reviewer's public name and role
    approved_at: datetime.datetime | None = None


def live_release() -> Released:
    """The latest release, built into questions and options (1 query, cached by content version)."""
    return versioned("questionnaire-release", _load_release)


def _load_release() -> Released:
    latest = Release.objects.only("snapshot", "reviewed_by", "approved_at").first()
    if latest is None:
        return Released(questions=None, weights={})
    questions: Questions = []
    weights: dict[int, tuple[tuple[int, int], ...]] = {}
    for entry in latest.snapshot.get("questions", []):
        publish_at = entry["publish_at"]
        question = Question(
            **{name: entry[name] for name in QUESTION_FIELDS},
            publish_at=datetime.datetime.fromisoformat(publish_at) if publish_at else None,
        )
        options = []
        for item in entry["options"]:
            option = Option(**{name: item[name] for name in OPTION_FIELDS})
            option.question = question
            options.append(option)
            weights[option.id] = tuple((cause_id, weight) for cause_id, weight in item["weights"])
        questions.append((question, options))
    return Released(questions, weights, latest.reviewed_by, latest.approved_at)


@dataclass(frozen=True)
class Scoring:
    """What every answer weighs: published data only, the same for everyone, so it is cached."""

    causes: dict[str, Cause]  # by slug, with their published remedies
    weights: dict[int, tuple[tuple[str, int], ...]]  # by option id: (cause slug, weight)


def _load_scoring() -> Scoring:
    released = live_release()
    if released.questions is None:  # before the first release: the weights as saved (1 query)
        rows = _saved_weights(None, "summary")
    else:  # the released weights, with their causes as published now (1 query)
        rows = _with_causes(released.weights, "summary")
    causes: dict[str, Cause] = {}
    by_option: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for option_id, cause, weight in rows:
        causes[cause.slug] = cause
        by_option[option_id].append((cause.slug, weight))
    prefetch_related_objects(list(causes.values()), Prefetch("remedies", queryset=Remedy.objects.published()))
    return Scoring(causes=causes, weights={option: tuple(pairs) for option, pairs in by_option.items()})


def _saved_weights(option_ids: list[int] | None, *fields: str) -> list[tuple[int, Cause, int]]:
    """Saved weights as (option id, cause, weight), of these options or all, for live causes (1 query)."""
    weights = OptionWeight.objects.filter(lifecycle.live_q("cause__"))
    if option_ids is not None:
        weights = weights.filter(option__in=option_ids)
    columns = ("cause__slug", "cause__title", "cause__urgency", *(f"cause__{name}" for name in fields))
    rows = weights.select_related("cause").only("option_id", "weight", *columns)
    return [(w.option_id, w.cause, w.weight) for w in rows.order_by("option_id", "-weight", "cause__slug")]


def _with_causes(weights: dict[int, tuple[tuple[int, int], ...]], *fields: str) -> list[tuple[int, Cause, int]]:
    """Released weights as (option id, cause, weight), for live causes only, in the saved order (1 query)."""
    ids = {cause_id for pairs in weights.values() for cause_id, _ in pairs}
    causes = Cause.objects.published().filter(pk__in=ids).only("slug", "title", "urgency", *fields)
    by_id = causes.in_bulk()
    rows = [
        (option_id, by_id[cause_id], weight)
        for option_id, pairs in weights.items()
        for cause_id, weight in pairs
        if cause_id in by_id
    ]
    return sorted(rows, key=lambda row: (row[0], -row[2], row[1].slug))


def results(answers: Questions) -> dict:
    """Everything the results page shows for these answers (at most 3 queries; none with a warm cache).

    The answers are the options the form already loaded; what they weigh comes from the cached
    published data. The answers themselves are never cached, stored or logged.
    """
    scoring = versioned("questionnaire-scoring", _load_scoring)
    chosen = [(question, option) for question, options in answers for option in options]
    slugs = {slug for _, option in chosen for slug, _ in scoring.weights.get(option.id, ())}
    result = match(
        [
            CauseData(slug=slug, title=scoring.causes[slug].title, urgency=scoring.causes[slug].urgency)
            for slug in slugs
        ],
        [
            Answer(
                option_id=option.id,
                label=option.label,
                urgency=option.urgency,
                advice=option.advice,
                red_flag=question.red_flag,
                weights=scoring.weights.get(option.id, ()),
            )
            for question, option in chosen
        ],
    )
    return {
        "result": result,
        "level": urgency_level(result.triage.level),
        "tips": page_part("results-tips"),
        "matches": [(match_, scoring.causes[match_.cause.slug]) for match_ in result.matches],
        "answers": [
            (question.text, [option.label for option in options] or ["Not answered"]) for question, options in answers
        ],
        "general_cards": general_care_cards(),
    }


def safety_data(*, state: str = "live") -> QuestionnaireData:
    """The questionnaire the safety cases run on, read fresh (4 queries, never cached).

    With every cause's title and the old slugs of renamed causes, so a case written with a cause's
    old slug still finds it, and reports name causes by title.

    "live": as readers get it now (the latest release). "saved": the published questions as
    editors have saved them, which the next release would make live. "drafts": as saved, with
    every draft published too. Weights count only for published causes, as on the results page.
    """
    released = _load_release() if state == "live" else Released(questions=None, weights={})
    if released.questions is not None:
        options = [option for _, options in _live_questions(released.questions) for option in options]
        rows = _with_causes(released.weights)
    else:
        options = [option for _, options in _saved_questions(drafts=state == "drafts") for option in options]
        rows = _saved_weights([option.pk for option in options])
    causes: dict[str, CauseData] = {}
    by_option: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for option_id, cause, weight in rows:
        causes[cause.slug] = CauseData(slug=cause.slug, title=cause.title, urgency=cause.urgency)
        by_option[option_id].append((cause.slug, weight))
    answers = {
        (option.question.key, option.label): Answer(
            option_id=option.id,
            label=option.label,
            urgency=option.urgency,
            advice=option.advice,
            red_flag=option.question.red_flag,
            weights=tuple(by_option[option.id]),
        )
        for option in options
    }
    titles, moved = _cause_names()
    return QuestionnaireData(answers=answers, causes=causes, titles=titles, moved=moved)


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
