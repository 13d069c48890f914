"""Demo users for trying the product (see README). The password is DEMO_PASSWORD.

Users that exist already are left as they are (their password, roles and section), so
running `make run` again never undoes what someone changed. Each demo section gets a
業務 when it has none, so its staff can create records; one that has any is left alone."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry import roles, services
from registry.models import Business, Section

DEMO_USERS = [
    # username, last name, first name, group, (department, section) or None, is_superuser
    ("shuno", "収納", "花子", roles.SECTION_STAFF, ("区民部", "収納課"), False),
    # The seed's Shinjuku section, so zeimu works on its 資料９ and records.
    ("zeimu", "税務", "太郎", roles.SECTION_STAFF, ("新宿区 総務部", "税務課"), False),
    ("shinsa", "審査", "一郎", roles.REVIEWER, None, False),
    ("jimu", "事務", "次郎", roles.CLERK, None, False),
    ("admin", "", "管理者", None, None, True),
]
SECTION_MANAGERS = {"収納課": "収納課長", "税務課": "税務課長"}
# The seed gives both sections their businesses; without the seed (a bare database),
# 税務課 gets one here so zeimu can still create records.
DEMO_BUSINESSES = {("新宿区 総務部", "税務課"): ("0403-01", "特別区民税・都民税の課税に関する業務")}


class Command(BaseCommand):
    help = "デモ用ユーザー（shuno, zeimu, shinsa, jimu, admin）を作成します。"

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD")
        if not password:
            raise CommandError("環境変数 DEMO_PASSWORD にデモ用パスワードを設定してください。")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("DEMO_PASSWORD: " + " ".join(error.messages)) from error
        User = get_user_model()
        members = []
        for username, last, first, group, section_key, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if not created:
                self.stdout.write(f"{username}: 既に存在するため変更しません")
                continue
            user.last_name, user.first_name = last, first
            user.is_superuser = superuser
            # Section staff work in the staff pages; the admin is for reviewers and clerks.
            user.is_staff = superuser or group in (roles.REVIEWER, roles.CLERK)
            user.set_password(password)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            if section_key:
                members.append((user, section_key))
            self.stdout.write(f"{username}: {group or 'スーパーユーザー'}")
        # Sections, memberships and businesses are registers: written through their
        # services, with the administrator as the actor in their history.
        actor = User.objects.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            return
        for user, (department, name) in members:
            section = Section.objects.filter(department=department, name=name).first()
            if section is None:
                section = services.section_create(
                    actor=actor,
                    data={
                        "department": department,
                        "name": name,
                        "manager_title": SECTION_MANAGERS[name],
                    },
                )
            services.staff_member_create(actor=actor, data={"user": user, "section": section})
        self.add_businesses(actor=actor)

    def add_businesses(self, *, actor) -> None:
        for (department, name), (number, title) in DEMO_BUSINESSES.items():
            section = Section.objects.filter(department=department, name=name).first()
            if section is None or section.businesses.exists():
                continue
            if Business.objects.filter(number=number).exists():
                continue
            services.business_create(
                actor=actor, data={"number": number, "name": title, "section": section}
            )
            self.stdout.write(f"{department} {name}: 業務 {number} {title}")
