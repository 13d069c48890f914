from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, get_select2_language
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from exchange.admin import RegisterImportExportMixin
from registry import citations, services
from registry.changes import cached, request_stamp
from registry.history import audit_entries
from registry.models import Business, Organization, Section, StaffMember
from registry.resources import BusinessResource, OrganizationResource, SectionResource

# --- changelist filters for tables that grow -------------------------------------------


class AutocompleteFilter(admin.RelatedFieldListFilter):
    """A filter by a related record from a table that grows with the ward (業務, 相手方,
    諮問, 類型): a search box, answered by the admin's own autocomplete view from the
    related admin's search fields, instead of one link per row of that table on every
    page. Only the chosen value is read, for its name. Choosing a value opens the list
    filtered by it (static/js/filter_autocomplete.js)."""

    template = "admin/registry/autocomplete_filter.html"

    @staticmethod
    def page_media() -> forms.Media:
        """What the search box needs on the changelist (the admin class adds it): select2
        and the admin's autocomplete, as an autocomplete field has them, and the script
        that opens the chosen value."""
        # Named after jquery.init.js, so that the merged list puts the script after it.
        return AutocompleteSelect(None, None).media + forms.Media(
            js=["admin/js/jquery.init.js", "js/filter_autocomplete.js"]
        )

    def field_choices(self, field, request, model_admin):
        chosen = []
        for value in self.lookup_val or []:
            try:
                chosen.append(field.target_field.to_python(value))
            except ValidationError:
                continue  # the admin refuses the bad value itself (?e=1)
        if not chosen:
            return []
        return field.get_choices(
            include_blank=False,
            limit_choices_to={f"{field.target_field.name}__in": chosen},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        # The address a chosen value leads to, for the template's search box.
        self.choice_url = changelist.get_query_string(
            {self.lookup_kwarg: "__value__"}, [self.lookup_kwarg_isnull]
        )
        self.source_opts = self.field.model._meta
        self.select2_language = get_select2_language()
        return super().choices(changelist)


class RegisterFilter(admin.RelatedFieldListFilter):
    """A filter by a register that changes only with an audited write (所管課, the
    checkbox labels): its choices, the same for everyone, read once per change stamp."""

    def field_choices(self, field, request, model_admin):
        build = partial(super().field_choices, field, request, model_admin)
        return cached(
            "filter-choices",
            field.model._meta.label,
            field.name,
            build=build,
            stamp=request_stamp(request),
        )


# --- saving through the services -------------------------------------------------------


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name (aria-label): the admin
    shows it only as the column header, so a screen reader announced an unnamed field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", str(formfield.label))
        return formfield


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin page whose every save goes through the record's service: save_model and
    save_formset turn the validated forms into data and hand it, with the user, to the
    service, which checks the user's role, locks the row and writes the history. A
    refusal is shown on the page (the whole save rolled back), never a server error.
    Nothing is deleted here. The history page lists each change, field by field, in
    Japanese."""

    object_history_template = "admin/registry/audit_history.html"

    def service_save(self, request, obj, form, change):
        """Create or change obj through its service; return the saved record."""
        raise NotImplementedError

    @staticmethod
    def form_data(form, change: bool) -> dict:
        """What the form sets: every field on creation, the changed ones on a change (a
        field nobody touched is not written back over someone else's save)."""
        names = form.changed_data if change else list(form.cleaned_data)
        return {
            name: form.cleaned_data[name]
            for name in names
            if name in form.cleaned_data and name not in ("id", "DELETE")
        }

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        # The admin goes on with obj (messages, redirect, inline rows): make it the saved row.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service wrote the many-to-many lists; inline rows go through save_formset.
        for formset in formsets:
            # The admin's log message reads these; the history has the details.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed():
            raise PermissionDenied("この一覧はここでは変更できません。")

    @staticmethod
    def inline_rows(formset):
        """(existing row or None, data, deleted) for each inline form with a change."""
        for inline_form in formset.forms:
            instance = inline_form.instance if inline_form.instance.pk else None
            if inline_form in formset.deleted_forms:
                if instance is not None:
                    yield instance, {}, True
                continue
            if not inline_form.has_changed():
                continue
            data = AuditedAdmin.form_data(inline_form, change=instance is not None)
            data.pop(formset.fk.name, None)
            yield instance, data, False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would bypass the service (its rights check, lock and history) and
        # erase what answers, records and reports cite; registers end by their dates.
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Raised inside the admin's transaction, so nothing of the save remains.
            for message in error.messages:
                messages.error(request, f"保存できませんでした: {message}")
            return HttpResponseRedirect(request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.setdefault("title", f"変更履歴: {obj}")
            if "history" not in extra_context:
                extra_context["history"] = audit_entries(obj)
        return super().history_view(request, object_id, extra_context)


class CitingRecordsAdmin(RegisterImportExportMixin, AuditedAdmin):
    """A shared register: its change page lists the records that cite the row (a change
    shows on them), and a save names those records so their sections can amend them."""

    change_form_template = "admin/registry/citing_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context["citations"] = citations.citing_records(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        cited = citations.citing_records(obj)
        if cited:
            names = "、".join(str(c) for c in cited[:10])
            more = f" ほか{len(cited) - 10}件" if len(cited) > 10 else ""
            messages.warning(
                request,
                f"この{obj._meta.verbose_name}を記載している記録票が{len(cited)}件あります:"
                f" {names}{more}。記録票の内容を合わせる必要がある場合は、"
                "所管課が記録票の変更の手続きをしてください。",
            )
        return super().response_change(request, obj)


class BusinessInline(LabelledTabularInline):
    model = Business
    extra = 0
    fields = ["number", "name"]
    can_delete = False


@admin.register(Section)
class SectionAdmin(CitingRecordsAdmin):
    resource_classes = [SectionResource]
    list_display = ["__str__", "manager_title", "business_count"]
    search_fields = ["department", "name"]
    inlines = [BusinessInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(business_count=Count("businesses"))

    @admin.display(description="業務数", ordering="business_count")
    def business_count(self, section: Section) -> int:
        return section.business_count

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.section_update(actor=request.user, section=obj, data=data)
        return services.section_create(actor=request.user, data=data)

    def save_formset(self, request, form, formset, change):
        for business, data, _deleted in self.inline_rows(formset):
            if business is None:
                services.business_create(actor=request.user, data=data | {"section": form.instance})
            else:
                services.business_update(actor=request.user, business=business, data=data)


@admin.register(Business)
class BusinessAdmin(CitingRecordsAdmin):
    resource_classes = [BusinessResource]
    list_display = ["number", "name", "section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["number", "name", "section__name"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.business_update(actor=request.user, business=obj, data=data)
        return services.business_create(actor=request.user, data=data)


@admin.register(Organization)
class OrganizationAdmin(CitingRecordsAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "address", "is_terms_of_service"]
    list_filter = ["is_terms_of_service"]
    search_fields = ["name", "address"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.organization_update(actor=request.user, organization=obj, data=data)
        return services.organization_create(actor=request.user, data=data)


@admin.register(StaffMember)
class StaffMemberAdmin(AuditedAdmin):
    list_display = ["user", "section"]
    list_filter = ["section"]
    list_select_related = ["user", "section"]
    search_fields = ["user__username", "user__last_name", "section__name"]
    autocomplete_fields = ["user"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.staff_member_update(actor=request.user, staff_member=obj, data=data)
        return services.staff_member_create(actor=request.user, data=data)
