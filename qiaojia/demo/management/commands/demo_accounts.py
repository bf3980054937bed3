"""`manage.py demo_accounts`: where the demo runs and who can log in."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from qiaojia.accounts.models import User
from qiaojia.demo.accounts import DEMO_ACCOUNTS, accounts_table


class Command(BaseCommand):
    help = "Print the demo URL and the demo accounts with their passwords."

    def handle(self, *args, **options):
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"QiaoJia 僑之家 demo: http://127.0.0.1:{port}"))
        self.stdout.write("")
        self.stdout.write(accounts_table())
        self.stdout.write("")
        if settings.QIAOJIA_REQUIRE_OTP:
            self.stdout.write(
                "雙重認證已開啟 (QIAOJIA_REQUIRE_OTP=1)：管理員、工作人員和社團負責人首次登錄時綁定驗證器應用。"
            )
            self.stdout.write(
                "Two-factor authentication is ON (QIAOJIA_REQUIRE_OTP=1): admin, staff and officers "
                "set up an authenticator app at their first login."
            )
        else:
            self.stdout.write("演示環境中雙重認證關閉，設置 QIAOJIA_REQUIRE_OTP=1 可開啟。")
            self.stdout.write("Two-factor authentication is off in the demo unless QIAOJIA_REQUIRE_OTP=1.")
        try:
            missing = sorted(
                {a.username for a in DEMO_ACCOUNTS}
                - set(
                    User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
                        "username", flat=True
                    )
                )
            )
        except DatabaseError:
            missing = ["(database not migrated)"]
        if missing:
            self.stdout.write(
                self.style.WARNING("Not in this database yet: " + ", ".join(missing) + " — run `manage.py demo_load`.")
            )
        self.stdout.write("")
