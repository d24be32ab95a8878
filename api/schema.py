"""OpenAPI description: the language parameter and the error answers every operation has."""

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


class RecordAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [
            OpenApiParameter(
                "lang",
                str,
                enum=["ar", "en", "he"],
                description=_("Language of translated fields; without it, the Accept-Language header decides."),
            )
        ]

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        return {
            200: serializer,
            400: OpenApiResponse(ERROR, description=_("Invalid parameters")),
            404: OpenApiResponse(ERROR, description=_("Not found, or an invalid page")),
        }
