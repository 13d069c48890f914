"""The one register page section staff use: adding a new organisation (相手方) while
filing a Form 2 / Form 5 record, so a new contractor's record never goes out without it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from registry import services
from registry.access import may_add_organization
from registry.forms import OrganizationForm
from registry.models import Organization


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    if not may_add_organization(request.user):
        raise PermissionDenied("相手方を登録できるのは所管課の職員・審査担当・事務局です。")
    form = OrganizationForm(request.POST or None)
    similar: list[Organization] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = Organization.objects.similar_to(data["name"])
        if similar and not data["confirm_similar"]:
            form.add_error(
                "confirm_similar",
                "似た名称の相手方が既に登録されています。同じ相手方であれば、記録票の一覧から"
                "選んでください。別の相手方であれば、このチェックを付けて登録してください。",
            )
        else:
            try:
                organization = services.organization_create(
                    actor=request.user,
                    data={key: data[key] for key in ("name", "address", "note")},
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"相手方「{organization.name}」を登録しました。記録票の画面で"
                    "「印刷イメージを確認」を押すと、入力中の内容はそのままで一覧に加わります。",
                )
                return redirect(_next_url(request) or "registry:organization_new")
    return render(
        request,
        "registry/organization_form.html",
        {"form": form, "similar": similar, "next": _next_url(request)},
    )
