from django import forms
from django.core.exceptions import ValidationError

from payments.models import Flow


class FlowForm(forms.ModelForm):
    class Meta:
        model = Flow
        fields = [
            "sender",
            "receiver",
            "via",
            "item_set",
            "items",
            "label",
            "channels",
            "tax_types",
            "line",
            "effective_from",
            "effective_until",
            "order",
        ]

    def clean(self):
        cleaned = super().clean()
        # Checked here rather than in Flow.clean(): the single items are a many-to-many
        # field, known only to the form before the flow is saved.
        if not (cleaned.get("item_set") or cleaned.get("items") or cleaned.get("label")):
            raise ValidationError(
                "項目セットか個別の項目を選ぶか、表示名（収納金など）を入力してください。"
            )
        return cleaned
