from modeltranslation.translator import TranslationOptions, register

from .models import ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "summary", "description")


@register(Membership)
class MembershipTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(ReportedFigure)
class ReportedFigureTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description")


@register(Role)
class RoleTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(ArticleSection)
class ArticleSectionTranslationOptions(TranslationOptions):
    fields = ("title", "body")


@register(Proposal)
class ProposalTranslationOptions(TranslationOptions):
    fields = ("name", "description", "outcome")
