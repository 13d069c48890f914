"""The incident as the section records it (and the 事務局 completes it)."""

from django import forms
from django.conf import settings
from django.db.models import Q

from incidents.models import Incident
from registry.forms import JisWarningMixin, NormalizedNewlinesMixin
from registry.models import Section

TEXT_FIELDS = (
    "title",
    "summary",
    "items",
    "cause",
    "secondary_damage",
    "response_to_people",
    "publication_note",
    "measures",
    "other",
    "notice_impossible_reason",
    "notice_substitute",
    "public_summary",
)


class IncidentForm(NormalizedNewlinesMixin, JisWarningMixin, forms.ModelForm):
    """Section staff record for their own section (set by the view); a superuser, who
    belongs to none, picks the section on creation."""

    jis_fields = TEXT_FIELDS

    class Meta:
        model = Incident
        fields = [
            "section",
            "title",
            "discovered_on",
            "occurred_on",
            "kind",
            "suspected",
            "other_sections",
            "businesses",
            "files",
            "consignments",
            "contractors",
            "summary",
            "items",
            "people_count",
            "count_may_exceed_100",
            "sensitive",
            "ordinance_sensitive",
            "financial_risk",
            "unlawful_intent",
            "secured",
            "cause",
            "secondary_damage",
            "response_to_people",
            "publication_note",
            "measures",
            "other",
            "preliminary_reported_on",
            "final_reported_on",
            "notified_on",
            "notice_impossible_reason",
            "notice_substitute",
            "publication_exception",
            "public_summary",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in TEXT_FIELDS if name != "title"},
        }
        error_messages = {
            "section": {"required": "所管課を選んでください。"},
            "title": {"required": "件名を入力してください。"},
            "discovered_on": {"required": "発覚日を入力してください。"},
            "kind": {"required": "事態の種別を選んでください。"},
            "summary": {"required": "概要を入力してください。"},
            "items": {"required": "保有個人情報の項目を入力してください。"},
        }

    def __init__(self, *args, section: Section | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if section is not None or self.instance.pk:
            del self.fields["section"]
        self.fields["publication_exception"].choices = [
            ("", "（公表する）"),
            *(
                (value, label)
                for value, label in Incident.Withheld.choices
                if value in settings.INCIDENTS_PUBLICATION_EXCEPTIONS
            ),
        ]
        self.fields["businesses"].queryset = self.fields["businesses"].queryset.select_related(
            "section"
        )
        # What is in force, and what the incident already cites (a version since
        # replaced stays cited); a list of every version would be long.
        for name in ("files", "consignments"):
            field = self.fields[name]
            cited = getattr(self.instance, name).all() if self.instance.pk else []
            field.queryset = (
                field.queryset.model.objects.filter(
                    Q(pk__in=field.queryset.in_force()) | Q(pk__in=[row.pk for row in cited])
                )
                .select_related("business")
                .order_by("business__number", "pk")
            )

    def incident_data(self) -> dict:
        """The incident's fields as the services take them (the section apart)."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "section"}
