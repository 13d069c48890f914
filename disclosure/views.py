"""The staff pages of 開示請求等: the list with days left, the request's whole course,
one page per step, the notices as PDF and the yearly figures. Every page fetches the
request through `get_request_for_user`: a request the user may not see does not exist
for them (404), whatever the role."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from disclosure import forms, services
from disclosure.figures import decision_bars, figures_workbook, year_figures
from disclosure.models import Decision, DisclosureRequest
from disclosure.pdf import DECISION_NOTICE, EXTENSION_NOTICE
from disclosure.suggestions import suggest
from notation import wareki
from printing.http import pdf_response
from registry import access

PAGE_SIZE = 50


def get_request_for_user(request: HttpRequest, pk: int) -> DisclosureRequest:
    requests = DisclosureRequest.objects.visible_to(request.user).prefetch_related(
        "corrections", "asked__section", "asked__decisions__objections__consultation__answer"
    )
    return get_object_or_404(requests, pk=pk)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    requests = (
        DisclosureRequest.objects.visible_to(request.user)
        .prefetch_related("corrections", "asked__decisions")
        .order_by("status", "-received_on", "-number")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"request": r, "days_left": r.days_left(today), "overdue": r.is_overdue(today)}
        for r in page
    ]
    return render(
        request,
        "disclosure/list.html",
        {"page": page, "rows": rows, "may_receive": access.is_clerk(request.user)},
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    if not access.is_clerk(request.user):
        raise PermissionDenied(services.CLERKS_ONLY)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.request_receive(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{saved.reference}として受け付けました。")
            return redirect("disclosure:detail", saved.pk)
    return render(request, "disclosure/form.html", {"form": form, "title": "開示請求等の受付"})


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure_request = get_request_for_user(request, pk)
    if not access.is_clerk(request.user):
        raise PermissionDenied(services.CLERKS_ONLY)
    form = forms.RequestForm(request.POST or None, instance=disclosure_request)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.request_update(actor=request.user, request=disclosure_request, data=data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "請求の内容を更新しました。")
            return redirect("disclosure:detail", pk)
    context = {"form": form, "title": f"{disclosure_request.reference}の訂正"}
    return render(request, "disclosure/form.html", context | {"disclosure": disclosure_request})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure_request = get_request_for_user(request, pk)
    today = timezone.localdate()
    is_clerk = access.is_clerk(request.user)
    steps = [
        (name, step.label)
        for name, step in STEPS.items()
        if step.offered(disclosure_request) and (is_clerk or step.deciders)
    ]
    return render(
        request,
        "disclosure/detail.html",
        {
            "disclosure": disclosure_request,
            "days_left": disclosure_request.days_left(today),
            "overdue": disclosure_request.is_overdue(today),
            "steps": steps if disclosure_request.status == DisclosureRequest.Status.OPEN else [],
            "is_clerk": is_clerk,
        },
    )


# --- the steps ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    form: Callable[..., forms.forms.Form]
    perform: Callable[..., object]
    # Whether the step is offered on the request's page now.
    offered: Callable[[DisclosureRequest], bool] = lambda r: True
    # Section staff may take it (recording their own decision); otherwise clerks only.
    deciders: bool = False


def _plain(form_class):
    return lambda data, request, user: form_class(data)


def _with_request(form_class):
    return lambda data, request, user: form_class(data, request=request)


STEPS: dict[str, Step] = {
    "ask": Step(
        "所管課へ決定を依頼",
        _plain(forms.AskSectionForm),
        lambda user, r, d: services.request_ask_section(actor=user, request=r, **d),
    ),
    "correction": Step(
        "補正を求める",
        _plain(forms.CorrectionAskForm),
        lambda user, r, d: services.correction_ask(actor=user, request=r, **d),
        offered=lambda r: not r.waiting_correction,
    ),
    "corrected": Step(
        "補正を記録",
        _with_request(forms.CorrectionAnswerForm),
        lambda user, r, d: services.correction_answer(actor=user, **d),
        offered=lambda r: r.waiting_correction,
    ),
    "extend": Step(
        "期限を延長（延長通知）",
        _plain(forms.ExtendForm),
        lambda user, r, d: services.request_extend(actor=user, request=r, **d),
        offered=lambda r: not r.extension_days and not r.special_until,
    ),
    "special": Step(
        "期限の特例を適用（特例通知）",
        _plain(forms.SpecialForm),
        lambda user, r, d: services.request_extend_special(actor=user, request=r, **d),
        offered=lambda r: not r.special_until,
    ),
    "third-party": Step(
        "第三者に意見照会（第86条）",
        _plain(forms.ThirdPartyForm),
        lambda user, r, d: services.request_ask_third_party(actor=user, request=r, **d),
        offered=lambda r: r.kind == "disclosure" and not r.third_party,
    ),
    "third-party-objection": Step(
        "第三者の反対意見書を記録",
        _plain(forms.ConfirmForm),
        lambda user, r, d: services.request_record_objection(actor=user, request=r),
        offered=lambda r: bool(r.third_party) and not r.third_party_objected,
    ),
    "decide": Step(
        "決定を登録",
        lambda data, request, user: forms.DecisionForm(data, request=request, user=user),
        lambda user, r, d: services.decision_record(actor=user, asked=d.pop("asked"), data=d),
        offered=lambda r: r.asked.exists(),
        deciders=True,
    ),
    "implement": Step(
        "開示の実施を記録",
        _with_request(forms.ImplementForm),
        lambda user, r, d: services.decision_implement(actor=user, **d),
        offered=lambda r: r.kind == "disclosure",
    ),
    "objection": Step(
        "審査請求を受付",
        _with_request(forms.ObjectionForm),
        lambda user, r, d: services.objection_file(actor=user, **d),
        offered=lambda r: r.all_decided,
    ),
    "refer": Step(
        "審査請求を審議会へ諮問",
        _with_request(forms.ReferForm),
        lambda user, r, d: services.objection_refer(actor=user, **d),
        offered=lambda r: Decision.objects.filter(
            asked__request=r, objections__consultation__isnull=True, objections__isnull=False
        ).exists(),
    ),
    "ruling": Step(
        "裁決を記録",
        _with_request(forms.RulingForm),
        lambda user, r, d: services.objection_decide(actor=user, **d),
        offered=lambda r: Decision.objects.filter(
            asked__request=r, objections__isnull=False, objections__result=""
        ).exists(),
    ),
    "close": Step(
        "完了",
        _plain(forms.CloseForm),
        lambda user, r, d: services.request_close(actor=user, request=r, **d),
        offered=lambda r: r.all_decided,
    ),
    "withdraw": Step(
        "取下げ",
        _plain(forms.CloseForm),
        lambda user, r, d: services.request_withdraw(
            actor=user, request=r, withdrawn_on=d["closed_on"]
        ),
    ),
}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    disclosure_request = get_request_for_user(request, pk)
    if step not in STEPS:
        raise Http404("この操作はありません。")
    definition = STEPS[step]
    if not (access.is_clerk(request.user) or definition.deciders):
        raise PermissionDenied(services.CLERKS_ONLY)
    form = definition.form(request.POST or None, disclosure_request, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            definition.perform(request.user, disclosure_request, dict(form.cleaned_data))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"「{definition.label}」を記録しました。")
            return redirect("disclosure:detail", pk)
    context = {"form": form, "title": definition.label, "disclosure": disclosure_request}
    if step == "ask":
        context["suggestions"] = suggest(disclosure_request.requested_information)
    return render(request, "disclosure/form.html", context)


# --- notices (PDF) -------------------------------------------------------------------


@login_required
def decision_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision's notice (開示決定通知書, 不開示決定通知書, 訂正決定通知書, ...)."""
    requests = DisclosureRequest.objects.visible_to(request.user)
    decision = get_object_or_404(
        DECISION_NOTICE.queryset().filter(asked__request__in=requests), pk=pk
    )
    return pdf_response(
        DECISION_NOTICE.render([decision]).content, DECISION_NOTICE.filename(decision)
    )


@login_required
def extension_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """開示決定等期限延長通知書, or the 特例 notice once art. 84 (95, 103) applies."""
    disclosure_request = get_request_for_user(request, pk)
    if not (disclosure_request.extension_days or disclosure_request.special_until):
        raise Http404("期限を延長していません。")
    pdf = EXTENSION_NOTICE.render([disclosure_request])
    return pdf_response(pdf.content, EXTENSION_NOTICE.filename(disclosure_request))


# --- yearly figures --------------------------------------------------------------------


def _fiscal_year(request: HttpRequest) -> int:
    if not access.is_clerk(request.user):
        raise PermissionDenied(services.CLERKS_ONLY)
    current = wareki.fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    return year if 1989 <= year <= current + 1 else current


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    year = _fiscal_year(request)
    numbers = year_figures(year)
    context = {
        "figures": numbers,
        "chart": decision_bars(numbers),
        "year_label": wareki.format_fiscal_year(year),
        "year": year,
        "years": range(wareki.fiscal_year(timezone.localdate()), 2021, -1),
    }
    return render(request, "disclosure/figures.html", context)


@login_required
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    year = _fiscal_year(request)
    title = f"{wareki.format_fiscal_year(year)} 開示請求等の件数"
    response = HttpResponse(
        figures_workbook(year_figures(year), title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="disclosure_{year}.xlsx"'
    return response


# --- for residents ---------------------------------------------------------------------


def public_guide(request: HttpRequest) -> HttpResponse:
    """How to request (no login): where, what to bring, fees, the deadlines, and the
    published 個人情報ファイル簿 to name what is wanted."""
    return render(
        request,
        "disclosure/public_guide.html",
        {
            "window": settings.DISCLOSURE_WINDOW,
            "fees": settings.DISCLOSURE_FEES,
            "documents": DisclosureRequest.IdentityDocument.labels[:-1],
            "agents": DisclosureRequest._meta.get_field("agent_proof").help_text,
        },
    )
