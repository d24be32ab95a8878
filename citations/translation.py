from modeltranslation.translator import TranslationOptions, register

from .models import Citation, Source


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    # The title stays in the source's own language; readers get a translated title beside it.
    fields = ("title_translation", "publisher")


@register(Citation)
class CitationTranslationOptions(TranslationOptions):
    fields = ("locator",)
