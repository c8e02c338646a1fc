"""The hourly limit on feedback per address, counted in the database so every worker shares it."""

import logging

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import PostCount

logger = logging.getLogger(__name__)

POSTS_PER_HOUR = 10  # per address: more than any reader sends, few enough that spam stays small


def count_post(address: str | None) -> int | None:
    """Count one post from `address` this hour; how many it has sent this hour, or None if that is unknown.

    A counter in the database, not the cache: without Redis each worker's cache counts alone, and
    with Redis down the cache would forget every count. None (the count could not be kept) means
    the caller refuses the post: the limit never turns itself off.
    """
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    sender = salted_hmac("feedback-rate", f"{address}|{hour.isoformat()}", algorithm="sha256").hexdigest()
    try:
        with transaction.atomic():
            row, created = PostCount.objects.get_or_create(sender=sender, defaults={"hour": hour})
            if created:  # the first post from this address this hour: a good moment to forget past hours
                PostCount.objects.filter(hour__lt=hour).delete()
                return row.posts
            # In the database, not from the value read: two workers counting at once both count.
            PostCount.objects.filter(pk=row.pk).update(posts=F("posts") + 1)
            return PostCount.objects.values_list("posts", flat=True).get(pk=row.pk)
    except DatabaseError:
        logger.warning("Feedback refused: the hourly count could not be kept", exc_info=True)
        return None
