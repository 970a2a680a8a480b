from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stocktake.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .throttling import record_address_failure

        user_login_failed.connect(record_address_failure, dispatch_uid="login-address-failures")
