"""Third-party admins (auth groups, allauth, django-q2, token blacklist, sites) re-registered
with unfold's ModelAdmin so every page of the backoffice has the same look.

Task results are records of what ran: their pages offer neither Save nor Delete ("Resubmit"
still re-queues a task, and takes a failed one off the list).
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.socialaccount.admin import SocialAccountAdmin as BaseSocialAccountAdmin
from allauth.socialaccount.admin import SocialAppAdmin as BaseSocialAppAdmin
from allauth.socialaccount.admin import SocialTokenAdmin as BaseSocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.contrib.sites.admin import SiteAdmin as BaseSiteAdmin
from django.contrib.sites.models import Site
from django_q import admin as q_admin
from django_q import models as q_models
from rest_framework_simplejwt.token_blacklist import admin as jwt_admin
from rest_framework_simplejwt.token_blacklist import models as jwt_models
from unfold.admin import ModelAdmin

from core.admin import ReadOnlyAdminMixin

_RESTYLED = [
    (Group, BaseGroupAdmin),
    (Site, BaseSiteAdmin),
    (EmailAddress, BaseEmailAddressAdmin),
    (SocialApp, BaseSocialAppAdmin),
    (SocialAccount, BaseSocialAccountAdmin),
    (SocialToken, BaseSocialTokenAdmin),
    (q_models.Success, q_admin.TaskAdmin),
    (q_models.Failure, q_admin.FailAdmin),
    (q_models.Schedule, q_admin.ScheduleAdmin),
    (q_models.OrmQ, q_admin.QueueAdmin),
    (jwt_models.OutstandingToken, jwt_admin.OutstandingTokenAdmin),
    (jwt_models.BlacklistedToken, jwt_admin.BlacklistedTokenAdmin),
]


_READ_ONLY = {q_models.Success, q_models.Failure}


def _restyle(model, base_admin) -> None:
    """Register ``model`` again with a class that is the original admin plus unfold's look."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    bases = (base_admin, ModelAdmin)
    if model in _READ_ONLY:
        bases = (ReadOnlyAdminMixin, *bases)
    unfold_admin = type(f"Unfold{base_admin.__name__}", bases, {})
    admin.site.register(model, unfold_admin)


for _model, _base_admin in _RESTYLED:
    _restyle(_model, _base_admin)
