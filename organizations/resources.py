"""Staff imports of organizations and memberships (see records.importing)."""

from import_export import fields, widgets

from records.importing import RecordResource, per_language_names

from .models import Membership, Organization


class OrganizationResource(RecordResource):
    slug = fields.Field(attribute="slug", column_name="id")
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Organization, field="slug")
    )

    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        fields = [
            "slug",
            *per_language_names("name", "short_name"),
            "kind",
            "parent",
            "country",
            "website",
            "founded",
            "formally_founded",
            *per_language_names("summary", "description"),
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class MembershipResource(RecordResource):
    # "id" is the membership's number, as the memberships export gives it; empty for a new one.
    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    member = fields.Field(
        attribute="member", column_name="member", widget=widgets.ForeignKeyWidget(Organization, field="slug")
    )
    coalition = fields.Field(
        attribute="coalition", column_name="coalition", widget=widgets.ForeignKeyWidget(Organization, field="slug")
    )

    class Meta:
        model = Membership
        import_id_fields = ["id"]
        fields = ["id", "member", "coalition", "joined", "left", *per_language_names("note")]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
