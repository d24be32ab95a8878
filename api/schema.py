"""OpenAPI description: the language parameter, the error answers every operation has, and
filter parameters as strict as the FilterSets that check them."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)

# A choice among more records than this is described as text rather than listed.
MAX_ENUM = 200


class RecordAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [
            OpenApiParameter(
                "lang",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description=_("Language of translated fields; without it, the Accept-Language header decides."),
            )
        ]

    def get_response_serializers(self):
        return {
            200: super().get_response_serializers(),
            400: OpenApiResponse(ERROR, description=_("Invalid parameters")),
            404: OpenApiResponse(ERROR, description=_("Not found, or a page past the end")),
        }

    def _get_filter_parameters(self):
        """Say what the FilterSet's form accepts: bounds, the identifiers a choice takes, and
        an empty value, which means "any" as on the list pages."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        if not parameters or filterset_class is None:
            return parameters
        fields = filterset_class(queryset=filterset_class._meta.model._default_manager.none()).form.fields
        for parameter in parameters:
            field = fields.get(parameter["name"])
            if field is None:
                continue
            schema = parameter["schema"]
            if not field.required:
                parameter["allowEmptyValue"] = True
            if getattr(field, "min_value", None) is not None:
                schema["minimum"] = field.min_value
            if getattr(field, "max_value", None) is not None:
                schema["maximum"] = field.max_value
            if schema.get("type") == "array":
                # Sorting keys, comma-separated; an empty key is skipped, as on the list pages.
                schema.pop("enum", None)
                if "enum" in schema.get("items", {}):
                    schema["items"]["enum"].append("")
            elif isinstance(field, forms.ModelChoiceField):
                key = field.to_field_name or "pk"
                choices = [str(getattr(choice, key)) for choice in field.queryset[: MAX_ENUM + 1]]
                schema.clear()
                schema["type"] = "string"
                if len(choices) <= MAX_ENUM:
                    schema["enum"] = choices
            elif isinstance(field, forms.ChoiceField):
                schema["enum"] = [str(value) for value, _label in field.choices if value != ""]
            if schema.get("type") == "string" and "enum" not in schema:
                # Django's form fields refuse the NUL character in any text.
                schema["pattern"] = "^[^\\x00]*$"
        return parameters
