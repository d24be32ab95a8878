"""Staff imports of organizations and memberships (see records.importing)."""

from import_export import fields, widgets

from records.importing import RecordResource, import_columns

from .models import MEMBERSHIP_FIELDS, ORGANIZATION_FIELDS, Membership, Organization


class OrganizationResource(RecordResource):
    slug = fields.Field(attribute="slug", column_name="id")
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Organization, field="slug")
    )

    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        fields = ["slug", *import_columns(Organization, ORGANIZATION_FIELDS)]
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
        fields = ["id", *import_columns(Membership, MEMBERSHIP_FIELDS)]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
