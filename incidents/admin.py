"""What the Form 2 and 個人情報ファイル admin pages show of the incidents that concerned
them, added with the record admin's hooks (config.wiring registers the panels):
incidents depend on those records and never the other way round."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from notation import wareki
from reviews.workflow.admin import RecordPanel


def _incident_links(incidents) -> SafeString:
    rows = [
        (
            reverse("incidents:detail", args=[i.pk]),
            f"No.{i.pk} {i.title}",
            f"{wareki.format_date(i.discovered_on)} 発覚・{i.kind_display}・{i.get_status_display()}",
        )
        for i in incidents.order_by("-discovered_on", "-pk")
    ]
    if not rows:
        return format_html("{}", "ありません。")
    return format_html(
        "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>（{}）</li>', rows)
    )


@admin.display(description="この記録票に関係する漏えい等事案")
def consignment_incidents(record) -> SafeString:
    return _incident_links(record.incidents.all())


@admin.display(description="このファイルに関係する漏えい等事案")
def file_incidents(record) -> SafeString:
    return _incident_links(record.incidents.all())


CONSIGNMENT_INCIDENTS = RecordPanel("漏えい等事案", (consignment_incidents,))
FILE_INCIDENTS = RecordPanel("漏えい等事案", (file_incidents,))
