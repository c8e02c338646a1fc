"""The questionnaire's database reads: each returns what a view or template renders, in fixed queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from causes import urgency
from causes.cache import versioned
from causes.models import Cause, Remedy, Status
from causes.selectors import general_care_cards

from .matching import Answer, CauseData, match
from .models import Option, OptionWeight, Question
from .safety import QuestionnaireData

Questions = list[tuple[Question, list[Option]]]


def published_questions() -> Questions:
    """The published questions in order, each with its options (1 query, cached by content version).

    A question with no options is left out.
    """
    return versioned("questionnaire-questions", _load_questions)


def _load_questions() -> Questions:
    # Option's default ordering follows its question's (red flags first), then the option's own order.
    options = Option.objects.filter(question__in=Question.objects.published()).select_related("question")
    questions: dict[int, tuple[Question, list[Option]]] = {}
    for option in options:
        questions.setdefault(option.question_id, (option.question, []))[1].append(option)
    return list(questions.values())


@dataclass(frozen=True)
class Scoring:
    """What every answer weighs: published data only, the same for everyone, so it is cached."""

    causes: dict[str, Cause]  # by slug, with their published remedies
    weights: dict[int, tuple[tuple[str, int], ...]]  # by option id: (cause slug, weight)


def _load_scoring() -> Scoring:
    weights = (
        OptionWeight.objects.filter(cause__status=Status.PUBLISHED)
        .select_related("cause")
        .only("option_id", "weight", "cause__slug", "cause__title", "cause__urgency", "cause__summary")
    )
    causes: dict[str, Cause] = {}
    by_option: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for weight in weights:
        causes[weight.cause.slug] = weight.cause
        by_option[weight.option_id].append((weight.cause.slug, weight.weight))
    prefetch_related_objects(list(causes.values()), Prefetch("remedies", queryset=Remedy.objects.published()))
    return Scoring(causes=causes, weights={option: tuple(pairs) for option, pairs in by_option.items()})


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
        "level": urgency.level(result.triage.level),
        "matches": [(match_, scoring.causes[match_.cause.slug]) for match_ in result.matches],
        "answers": [
            (question.text, [option.label for option in options] or ["Not answered"]) for question, options in answers
        ],
        "general_cards": general_care_cards(),
    }


def safety_data(*, drafts: bool = False) -> QuestionnaireData:
    """The questionnaire the safety cases run on, read fresh (2 queries, never cached).

    Published questions only, as readers see them now; or with `drafts`, every question, as
    readers would see it if every draft were published. Weights count only for published causes,
    as on the results page.
    """
    questions = Question.objects.all() if drafts else Question.objects.published()
    options = Option.objects.filter(question__in=questions).select_related("question")
    weights = (
        OptionWeight.objects.filter(option__in=options, cause__status=Status.PUBLISHED)
        .select_related("cause")
        .only("option_id", "weight", "cause__slug", "cause__title", "cause__urgency")
        .order_by("option_id", "-weight", "cause__slug")
    )
    causes: dict[str, CauseData] = {}
    by_option: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for weight in weights:
        cause = weight.cause
        causes[cause.slug] = CauseData(slug=cause.slug, title=cause.title, urgency=cause.urgency)
        by_option[weight.option_id].append((cause.slug, weight.weight))
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
    return QuestionnaireData(answers=answers, causes=causes)
