"""The forms of the staff pages: one per step; each only parses, the services decide."""

from django import forms

from disclosure.models import (
    DISCLOSING,
    OUTCOMES_BY_KIND,
    AskedSection,
    Correction,
    Decision,
    DisclosureRequest,
    ExemptCategory,
    Kind,
    Objection,
)
from disclosure.services import REQUEST_FIELDS, may_decide
from registry.fields import WarekiDateFormField
from registry.models import Section


def _text(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), required=required)


class RequestForm(forms.ModelForm):
    class Meta:
        model = DisclosureRequest
        fields = REQUEST_FIELDS
        widgets = {
            "requested_information": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }


class AskSectionForm(forms.Form):
    section = forms.ModelChoiceField(label="所管課", queryset=Section.objects.all())
    asked_on = WarekiDateFormField(label="依頼日")
    what = _text("該当する保有個人情報", required=False)


class CorrectionAskForm(forms.Form):
    asked_on = WarekiDateFormField(label="補正を求めた日")
    what = _text("補正を求めた事項")


class CorrectionAnswerForm(forms.Form):
    correction = forms.ModelChoiceField(label="補正", queryset=Correction.objects.none())
    answered_on = WarekiDateFormField(label="補正された日")

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = request.corrections.filter(answered_on__isnull=True)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延長日数", min_value=1, max_value=30)
    reason = _text("延長の理由")
    notified_on = WarekiDateFormField(label="通知日")


class SpecialForm(forms.Form):
    reason = _text("特例を適用する理由")
    notified_on = WarekiDateFormField(label="通知日")
    until = WarekiDateFormField(label="残りの部分の決定期限")


class ThirdPartyForm(forms.Form):
    third_party = forms.CharField(label="第三者の名称", max_length=200)
    asked_on = WarekiDateFormField(label="意見照会日")
    due_on = WarekiDateFormField(label="意見書の提出期限")


class ConfirmForm(forms.Form):
    """A step with nothing to fill in: the button is the whole form."""


class DecisionForm(forms.Form):
    asked = forms.ModelChoiceField(label="決定する所管課", queryset=AskedSection.objects.none())
    outcome = forms.ChoiceField(label="決定", widget=forms.RadioSelect)
    decided_on = WarekiDateFormField(label="決定日")
    document_number = forms.CharField(label="文書番号", max_length=100, required=False)
    disclosed = _text("開示する（訂正・利用停止する）保有個人情報", required=False)
    categories = forms.MultipleChoiceField(
        label="不開示情報の区分（第78条）",
        choices=ExemptCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasons = _text("理由（不開示とした部分とその理由など）", required=False)

    def __init__(self, *args, request: DisclosureRequest, user, **kwargs):
        super().__init__(*args, **kwargs)
        asked = [a.pk for a in request.asked.all() if may_decide(user, a)]
        self.fields["asked"].queryset = AskedSection.objects.filter(pk__in=asked).select_related(
            "section"
        )
        self.fields["outcome"].choices = [
            (outcome.value, outcome.label) for outcome in OUTCOMES_BY_KIND[Kind(request.kind)]
        ]


def _decisions(request: DisclosureRequest):
    return Decision.objects.filter(asked__request=request).select_related("asked__section")


class ImplementForm(forms.Form):
    decision = forms.ModelChoiceField(label="決定", queryset=Decision.objects.none())
    implemented_on = WarekiDateFormField(label="開示の実施日")
    method = forms.ChoiceField(label="実施の方法", choices=DisclosureRequest.Method.choices)

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _decisions(request).filter(
            outcome__in=DISCLOSING, implemented_on__isnull=True
        )


class CloseForm(forms.Form):
    closed_on = WarekiDateFormField(label="日付")


class ObjectionForm(forms.Form):
    decision = forms.ModelChoiceField(
        label="審査請求の対象となる決定", queryset=Decision.objects.none()
    )
    filed_on = WarekiDateFormField(label="審査請求日")
    grounds = _text("審査請求の趣旨及び理由")

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _decisions(request)


class ReferForm(forms.Form):
    objection = forms.ModelChoiceField(label="審査請求", queryset=Objection.objects.none())
    consulted_on = WarekiDateFormField(label="諮問日")

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection"].queryset = Objection.objects.filter(
            decision__asked__request=request, consultation__isnull=True
        )


class RulingForm(forms.Form):
    objection = forms.ModelChoiceField(label="審査請求", queryset=Objection.objects.none())
    result = forms.ChoiceField(label="裁決", choices=Objection.Result.choices[1:])
    result_on = WarekiDateFormField(label="裁決日")

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection"].queryset = Objection.objects.filter(
            decision__asked__request=request, result=""
        )
