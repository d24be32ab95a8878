from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetConfig(AppConfig):
    """The ALLMEP dataset (allmep.toml) and ``manage.py load_allmep``, which seeds the record from it."""

    name = "dataset"
    verbose_name = _("ALLMEP dataset")
