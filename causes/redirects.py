"""Where an old address points: a page whose slug changes keeps its old address, redirecting for good.

Recorded on every save that changes a slug, whatever saved it: the admin, a revert, a management
command or the shell. A restore (a raw save) brings its moved pages with it, so it records nothing.
"""

from django.db.models.signals import post_save, pre_save

from .models import MovedPage


def watch(*models) -> None:
    for model in models:
        pre_save.connect(_remember_slug, sender=model, dispatch_uid=f"moved-from-{model._meta.label}")
        post_save.connect(_record_move, sender=model, dispatch_uid=f"moved-to-{model._meta.label}")


def _remember_slug(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.pk is not None:
        instance._slug_before = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _record_move(sender, instance, raw=False, **kwargs) -> None:
    old_slug = instance.__dict__.pop("_slug_before", None)
    if raw or not old_slug or old_slug == instance.slug:
        return
    old_path = sender(slug=old_slug).get_absolute_url()
    if "#" in old_path:
        return  # a place on a shared page (an FAQ), not a page of its own
    MovedPage.objects.update_or_create(old_path=old_path, defaults={"item": instance})
    MovedPage.objects.filter(old_path=instance.get_absolute_url()).delete()  # an address taken back
