"""The questionnaire's database reads: each returns what a view or template renders, in fixed queries."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects

from causes import urgency
from causes.models import Cause, Remedy, Status

from .matching import Answer, CauseData, match
from .models import Option, OptionWeight, Question

SIGN_LEVELS = tuple(level.value for level in urgency.ALERT_LEVELS)

Signs = list[tuple[urgency.Level, list[str]]]


def published_questions() -> list[Question]:
    """The published questions in order, each with its options (2 queries)."""
    return list(Question.objects.published().prefetch_related("options"))


def _group_signs(pairs: Iterable[tuple[str, str]]) -> Signs:
    by_level: dict[str, list[str]] = defaultdict(list)
    for level, label in pairs:
        by_level[level].append(label)
    return [(urgency.level(level), by_level[level]) for level in SIGN_LEVELS if by_level[level]]


def warning_signs() -> Signs:
    """The emergency and urgent options of the published red-flag questions, most urgent first (1 query)."""
    options = Option.objects.filter(
        question__status=Status.PUBLISHED, question__red_flag=True, urgency__in=SIGN_LEVELS
    ).order_by("question__order", "question_id", "order", "id")
    return _group_signs(options.values_list("urgency", "label"))


def results(answers: list[tuple[Question, list[Option]]]) -> dict:
    """Everything the results page shows for these answers (2 queries).

    The answers are the options the form already loaded; this reads only their weights for
    published causes, and the published remedies of the causes that matched.
    """
    chosen = [(question, option) for question, options in answers for option in options]
    weights = OptionWeight.objects.filter(
        option__in=[option for _, option in chosen], cause__status=Status.PUBLISHED
    ).select_related("cause")
    causes: dict[str, Cause] = {}
    weights_by_option: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for weight in weights:
        causes[weight.cause.slug] = weight.cause
        weights_by_option[weight.option_id].append((weight.cause.slug, weight.weight))

    result = match(
        [CauseData(slug=cause.slug, title=cause.title, urgency=cause.urgency) for cause in causes.values()],
        [
            Answer(
                option_id=option.id,
                label=option.label,
                urgency=option.urgency,
                advice=option.advice,
                red_flag=question.red_flag,
                weights=tuple(weights_by_option[option.id]),
            )
            for question, option in chosen
        ],
    )
    matched = [causes[m.cause.slug] for m in result.matches]
    prefetch_related_objects(matched, Prefetch("remedies", queryset=Remedy.objects.published()))
    return {
        "result": result,
        "level": urgency.level(result.triage.level),
        "matches": list(zip(result.matches, matched, strict=True)),
        "answers": [
            (question.text, [option.label for option in options] or ["Not answered"]) for question, options in answers
        ],
        "signs": _group_signs(
            (option.urgency, option.label)
            for question, _ in answers
            if question.red_flag
            for option in question.options.all()
            if option.urgency in SIGN_LEVELS
        ),
    }
