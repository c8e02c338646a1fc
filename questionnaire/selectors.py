"""The questionnaire's database reads: each returns what a view or template renders, in fixed queries."""

from collections import defaultdict

from django.db.models import Prefetch, prefetch_related_objects

from causes import urgency
from causes.models import Cause, Remedy, Status
from causes.selectors import general_care_cards

from .matching import Answer, CauseData, match
from .models import Option, OptionWeight, Question

Questions = list[tuple[Question, list[Option]]]


def published_questions() -> Questions:
    """The published questions in order, each with its options (1 query; a question with no options is left out)."""
    # Option's default ordering follows its question's (red flags first), then the option's own order.
    options = Option.objects.filter(question__in=Question.objects.published()).select_related("question")
    questions: dict[int, tuple[Question, list[Option]]] = {}
    for option in options:
        questions.setdefault(option.question_id, (option.question, []))[1].append(option)
    return list(questions.values())


def results(answers: list[tuple[Question, list[Option]]]) -> dict:
    """Everything the results page shows for these answers (3 queries).

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
        "general_cards": general_care_cards(),
    }
